"""In Chromium, on a phone's screen: a worker who never took a course applies for
the tailoring test, is accepted by Sharqia's directorate, books a seat; on the day
the session's assessor scans the slip's QR and checks them in, the worker sits the
theory part on the centre's tablet and the assessor scores the practical part with
a photo; they pass, a second staff member approves the certificate, and the worker
verifies it from its QR. (Issue #21 item 4.)"""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.harness import manage_on
from tests.e2e.journeys import log_in, new_trainee, sign_up
from tests.e2e.test_skilltest_applications import _photo
from tests.e2e.test_trainee_journey import (
    ESSAY_TEXT,
    answer,
    ar,
    attach_a_photo,
    exam_key,
    verify_the_certificate,
)
from tests.factories import make_national_id

pytestmark = pytest.mark.e2e

# A session at Zagazig's garment workshop next week, published by staff2 (Sharqia),
# with the demo assessor.
SESSION = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from skilltests.services import session_publish
User = get_user_model()
day = timezone.localdate() + dt.timedelta(days=23)
session = session_publish(
    staff_id=User.objects.get(username="staff2").pk, centre_code="13-zagazig",
    workshop_code="tailoring", occupation_code="7531", level_code="skilled",
    starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(14))),
    duration_min=240, seats=6,
    assessor_ids=[User.objects.get(username="assessor").pk],
)
print(session.id)
"""

# The day comes: the session started a quarter of an hour ago.
THE_DAY = """
import datetime as dt
from django.utils import timezone
from skilltests.models import TestSession
TestSession.objects.filter(pk={id}).update(
    starts_at=timezone.now() - dt.timedelta(minutes=15)
)
"""


def _apply_and_book(page, staff, session_id: str, tmp_path) -> str:
    page.goto("/skill-tests/apply/")
    page.select_option("#id_occupation_code", "7531")
    page.select_option("#id_level_code", "skilled")
    page.select_option("#id_governorate_code", "13")
    page.fill("#id_experience_years", "١٢")
    page.fill("#id_experience_summary", "ترزي رجالي في ورشتي بالزقازيق منذ ٢٠١٤")
    page.set_input_files("#id_work_photos", str(_photo(tmp_path)))
    page.click("main button[type=submit]")
    page.wait_for_url("**/skill-tests/applications/*/")
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]

    staff.goto(f"/skill-tests/staff/applications/{reference}/")
    staff.click("main form[action$='/accept/'] button")
    staff.wait_for_url("**/skill-tests/staff/applications/")

    page.reload()
    # the session published for this journey (the demo data has others)
    page.locator(
        f"ul.sessions form:has(input[name=session][value='{session_id}']) button"
    ).click()
    page.wait_for_url(f"**/skill-tests/applications/{reference}/")
    assert page.locator(".status.state-booked").is_visible()
    return reference


def _slip_qr_path(page, reference: str) -> str:
    """The slip's PDF as the worker carries it, its QR read from the pixels."""
    import pypdfium2
    import zxingcpp

    pdf = page.request.get(f"/skill-tests/applications/{reference}/slip.pdf")
    image = pypdfium2.PdfDocument(pdf.body())[0].render(scale=2).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    return "/" + code.text.split("/", 3)[3]


def _sit_the_theory(page, reference: str, shot) -> None:
    key = exam_key()
    page.goto(f"/skill-tests/applications/{reference}/")
    shot(page, "checked-in-on-the-tablet")
    page.click(f"form[action$='/applications/{reference}/theory/'] button")
    page.wait_for_url(re.compile(r"/exams/attempts/\d+/q/1/$"))
    assert_accessible(page)
    position = 1
    while True:
        answer(page, key)
        page.click("form.question button.primary")
        page.wait_for_url(re.compile(rf"/q/{position + 1}/$|/review/$"))
        if page.url.endswith("/review/"):
            break
        position += 1
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/result/$"))
    shot(page, "theory-submitted")


def _grade_the_essay_if_any(page) -> None:
    page.goto("/grading/")
    card = page.locator("form.card", has_text=ESSAY_TEXT)
    if card.count():
        card.locator("input[name=percent]").fill("١٠٠")
        card.locator("button[type=submit]").click()
        page.locator("form.card", has_text=ESSAY_TEXT).wait_for(state="detached")


def _score_the_practical(page, reference: str, roster_url: str, shot) -> None:
    page.goto(roster_url)
    row = page.locator(f"tr[data-reference='{reference}']")
    row.locator("form[action$='/practical/'] button").click()
    page.wait_for_url(re.compile(r"/practical/\d+/$"))
    attach_a_photo(page)
    for fieldset in page.locator("form.rubric fieldset").all():
        fieldset.locator("label.opt").first.locator("input").check()
    shot(page, "practical-scored-on-the-tablet")
    page.click("form.rubric button[name=submit]")
    page.wait_for_url(re.compile(r"/practical/\d+/summary/$"))
    page.click("button[name=confirm]")
    page.wait_for_url(re.compile(r"/practical/\d+/result/$"))


def _approve(page, worker, shot) -> None:
    log_in(page, "staff")
    page.goto("/registry/pending/")
    row = page.locator("tbody tr", has_text=worker.full_name_ar)
    row.get_by_role("link", name=ar("Review and approve")).click()
    page.wait_for_url(re.compile(r"/registry/certificates/.+/approve/$"))
    shot(page, "second-staff-weighs-the-evidence")
    page.get_by_label(ar("I have read the evidence and confirm the approval.")).check()
    page.get_by_role("button", name=ar("Approve and issue")).click()
    page.wait_for_url(re.compile(r"/registry/pending/$"))


def test_a_worker_is_checked_in_sits_both_parts_passes_and_verifies_the_certificate(
    new_context, server_url, shot, tmp_path
):
    session_id = manage_on(server_url, "shell", "-c", SESSION).strip().splitlines()[-1]
    worker = dataclasses.replace(
        new_trainee(),
        full_name_ar="حسن عبد الرازق",
        national_id=make_national_id(governorate="13"),
    )
    page = new_context().new_page()
    sign_up(page, worker)
    staff = new_context().new_page()
    log_in(staff, "staff2")
    staff.goto("/accounts/claims/")
    staff.fill("#id_national_id", worker.national_id)
    staff.click("main form button[type=submit]")
    with staff.expect_navigation():
        staff.locator("tr[data-claim] form[action*='verify'] button").click()
    reference = _apply_and_book(page, staff, session_id, tmp_path)
    slip_path = _slip_qr_path(page, reference)
    manage_on(server_url, "shell", "-c", THE_DAY.format(id=session_id))

    # The assessor's workplace: today's session, its roster, the slip scanned.
    assessor = new_context().new_page()
    log_in(assessor, "assessor")
    assessor.goto("/skill-tests/day/")
    roster_url = f"/skill-tests/day/{session_id}/"
    assessor.click(f"li[data-session='{session_id}'] a")
    assessor.wait_for_url(f"**{roster_url}")
    assert assessor.locator(f"tr[data-reference='{reference}']").is_visible()
    assert_accessible(assessor)
    shot(assessor, "roster-before-check-in")
    assessor.goto(slip_path)
    assert worker.full_name_ar in assessor.content()
    assessor.click(f"form[action='{roster_url}check-in/'] button")
    assessor.wait_for_url(f"**{roster_url}")
    row = assessor.locator(f"tr[data-reference='{reference}']")
    assert row.get_attribute("data-status") == "checked_in"
    shot(assessor, "roster-checked-in")
    # a second scan says so
    assessor.fill("#slip", slip_path)
    assessor.click("form.check-in >> nth=0 >> button")
    assert assessor.locator("#problem").is_visible()

    _sit_the_theory(page, reference, shot)
    _grade_the_essay_if_any(assessor)
    _score_the_practical(assessor, reference, roster_url, shot)

    page.goto(f"/skill-tests/applications/{reference}/")
    assert page.locator(".status.state-passed").is_visible()
    assert page.locator("dd[data-part='result']").is_visible()
    shot(page, "passed")

    _approve(new_context().new_page(), worker, shot)
    page.goto(f"/skill-tests/applications/{reference}/")
    assert page.locator(".status.state-certified").is_visible()
    assert_accessible(page)
    shot(page, "certified")
    verify_the_certificate(page, shot)
