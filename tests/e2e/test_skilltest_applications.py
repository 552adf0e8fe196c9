"""In Chromium, on a phone's screen: a worker who never took a course signs up, has
the ID card seen at the directorate, finds the test centres near Sharqia on the map,
applies with a photo of their work, is accepted by the directorate's staff, books a
seat, keeps the slip (page and PDF); the centre's staff scan it. (Issue #21 items
1-3; the day of the test and the certificate continue from here.)"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.harness import manage_on
from tests.e2e.journeys import log_in, new_trainee, sign_up
from tests.factories import make_national_id

pytestmark = pytest.mark.e2e

# A session at Zagazig's garment workshop next week, published by staff2 (Sharqia).
SESSION = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from skilltests.services import session_publish
User = get_user_model()
day = timezone.localdate() + dt.timedelta(days=12)
session = session_publish(
    staff_id=User.objects.get(username="staff2").pk, centre_code="13-zagazig",
    workshop_code="tailoring", occupation_code="7532", level_code="skilled",
    starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    duration_min=180, seats=4,
    assessor_ids=[User.objects.get(username="assessor").pk],
)
print(session.id)
"""


def _photo(folder: Path) -> Path:
    from PIL import Image

    path = folder / "qamis.png"
    out = io.BytesIO()
    Image.new("RGB", (200, 150), "#8a4b00").save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_a_worker_applies_is_accepted_books_and_the_centre_scans_the_slip(
    new_context, server_url, shot, tmp_path
):
    manage_on(server_url, "shell", "-c", SESSION)
    worker = dataclasses.replace(
        new_trainee(),
        full_name_ar="رضا عبد الفتاح",
        national_id=make_national_id(governorate="13"),
    )
    page = new_context().new_page()
    sign_up(page, worker)
    page.goto("/skill-tests/")
    assert page.locator('main a[href="/accounts/identity/"]').is_visible()

    staff = new_context().new_page()
    log_in(staff, "staff2")
    staff.goto("/accounts/claims/")
    staff.fill("#id_national_id", worker.national_id)
    staff.click("main form button[type=submit]")
    with staff.expect_navigation():
        staff.locator("tr[data-claim] form[action*='verify'] button").click()

    page.goto("/test-centres/?near=13")
    assert page.locator("svg.egypt-map").count() == 2
    assert (
        page.locator("ol.centres li").first.get_attribute("data-code").startswith("13-")
    )
    assert_accessible(page)
    shot(page, "centres-near-sharqia")

    page.goto("/skill-tests/apply/")
    page.select_option("#id_occupation_code", "7532")
    page.select_option("#id_level_code", "skilled")
    page.select_option("#id_governorate_code", "13")
    page.fill("#id_experience_years", "٩")
    page.fill("#id_experience_summary", "قصّاص في مصنع ملابس بالعاشر من رمضان منذ ٢٠١٦")
    page.set_input_files("#id_work_photos", str(_photo(tmp_path)))
    assert_accessible(page)
    shot(page, "application-filled")
    page.click("main button[type=submit]")
    page.wait_for_url("**/skill-tests/applications/*/")
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert page.locator(".status.state-submitted").is_visible()

    staff.goto("/skill-tests/staff/applications/")
    staff.click(f"text={reference}")
    assert staff.locator("a[href^='/skill-tests/documents/']").count() == 1
    shot(staff, "staff-checks-the-application")
    staff.click("main form[action$='/accept/'] button")
    staff.wait_for_url("**/skill-tests/staff/applications/")

    page.reload()
    assert page.locator(".status.state-accepted").is_visible()
    page.locator("ul.sessions form button").first.click()
    page.wait_for_url(f"**/skill-tests/applications/{reference}/")
    assert page.locator(".status.state-booked").is_visible()
    assert_accessible(page)
    page.click(f"a[href='/skill-tests/applications/{reference}/slip/']")
    qr = page.locator(".slip-qr svg")
    assert qr.is_visible()
    assert worker.national_id not in page.content()
    shot(page, "slip-on-the-phone")
    pdf = page.request.get(f"/skill-tests/applications/{reference}/slip.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The centre scans the QR: its address is the slip's check page.
    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(pdf.body())[0].render(scale=2).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    path = "/" + code.text.split("/", 3)[3]
    assert path.startswith("/skill-tests/slips/")
    assert page.request.get(path).status == 404  # not for the worker
    staff.goto(path)
    assert reference in staff.content()
    assert staff.locator("text=" + worker.national_id).count() == 1  # staff: whole ID
    shot(staff, "centre-scans-the-slip")
