"""In Chromium: a trainee who signs up with another person's national ID (one with a
paper-era certificate in the registry) sees none of that person's certificates and
cannot download them by URL; the real holder's claim is then contested for staff."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.e2e.harness import manage_on
from tests.e2e.journeys import log_in, new_trainee, sign_up
from tests.factories import make_national_id

pytestmark = pytest.mark.e2e

# Runs in the server's environment: a paper-era record, issued by two staff members
# of the demo data, for someone who has no account.
IMPORTED = """
import json
from django.contrib.auth import get_user_model
from registry.services import certificate_approve, certificate_create_pending
User = get_user_model()
maker = User.objects.get(username="staff")
checker = User.objects.get(username="staff2")
cert = certificate_create_pending(
    user_id=None, national_id="{nid}", full_name_ar="صاحب الشهادة الحقيقي",
    full_name_en="", occupation_code="7531", level_code="skilled",
    source="paper_import", evidence={{}}, created_by_id=maker.pk,
    idempotency_key="e2e:identity:{nid}",
)
cert = certificate_approve(certificate_id=cert.id, approver_id=checker.pk)
print(json.dumps({{"serial": cert.serial_display, "status": cert.status}}))
"""


def test_a_trainee_claiming_anothers_id_sees_none_of_their_certificates(
    new_context, server_url, shot
):
    nid = make_national_id(governorate="13")
    output = manage_on(server_url, "shell", "-c", IMPORTED.format(nid=nid))
    record = json.loads(output.strip().splitlines()[-1])
    assert record["status"] == "issued"
    serial = record["serial"]

    page = new_context().new_page()
    squatter = dataclasses.replace(new_trainee(), national_id=nid)
    sign_up(page, squatter)
    assert serial not in page.content()  # the dashboard's certificates panel

    page.goto("/certificates/")
    assert serial not in page.content()
    assert page.locator("[data-identity=unverified]").is_visible()
    shot(page, "squatter-certificates")
    downloads = (
        f"/certificates/{serial}/pdf/",
        f"/certificates/{serial}/credential.json",
    )
    for path in downloads:
        answer = page.request.get(path)
        assert answer.status == 404, path
        assert not answer.body().startswith(b"%PDF")

    page.goto("/accounts/identity/")
    assert page.locator("[data-claim=unverified]").is_visible()

    # The real holder is not refused: the same answer, and the ID is now contested.
    holder_page = new_context().new_page()
    sign_up(holder_page, dataclasses.replace(new_trainee(), national_id=nid))
    holder_page.goto("/certificates/")
    assert serial not in holder_page.content()

    staff_page = new_context().new_page()
    log_in(staff_page, "staff2")  # the Sharqia directorate (governorate 13)
    staff_page.goto("/accounts/claims/")
    staff_page.fill("#id_national_id", nid)
    staff_page.click("main form button[type=submit]")
    assert nid not in staff_page.url
    rows = staff_page.locator("tr[data-claim]")
    assert rows.count() == 2
    assert rows.filter(has_text="متنازع عليها").count() == 2
    shot(staff_page, "staff-contested-claims")
