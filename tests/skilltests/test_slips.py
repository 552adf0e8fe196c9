"""The appointment slip: a phone-friendly page and a printable PDF with a QR code
that holds the booking's check address (no personal data), the national ID masked;
a moved appointment's old slip stops working."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from skilltests import services
from skilltests.models import Booking
from skilltests.selectors import slip_check, slip_get
from skilltests.slip_pdf import qr_svg

pytestmark = pytest.mark.django_db


def test_the_slip_page_has_the_appointment_a_qr_and_a_masked_id(
    client, booked, applicant
):
    application, session = booked(applicant)
    client.force_login(applicant)
    response = client.get(reverse("skilltests:slip", args=[application.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<?xml" not in html
    assert applicant.national_id not in html
    assert applicant.national_id[-4:] in html
    assert session.centre_name in html
    assert 'name="viewport"' in html


def test_the_qr_holds_the_check_address_and_nothing_personal(booked, applicant):
    application, _ = booked(applicant)
    slip = slip_get(reference=application.reference, applicant_id=applicant.pk)
    token = Booking.objects.get().token
    assert slip.check_url.endswith(reverse("skilltests:slip_check", args=[token]))
    assert slip.check_url.startswith("http")
    assert applicant.national_id not in slip.check_url
    assert qr_svg(slip.check_url) != qr_svg(slip.check_url + "x")


def test_the_pdf_is_a_slip_in_arabic_with_the_reference(client, booked, applicant):
    from pypdf import PdfReader

    application, _ = booked(applicant)
    client.force_login(applicant)
    response = client.get(reverse("skilltests:slip_pdf", args=[application.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert application.reference in text
    assert applicant.national_id not in text.replace(" ", "")
    assert applicant.national_id[-4:] in text
    assert "الرقم القومي" in text


def test_no_slip_without_an_appointment(client, accepted, applicant):
    application = accepted(applicant)
    client.force_login(applicant)
    for name in ("skilltests:slip", "skilltests:slip_pdf"):
        url = reverse(name, args=[application.reference])
        assert client.get(url).status_code == 404


def test_a_moved_appointments_old_slip_is_no_longer_valid(
    booked, applicant, publish, sharqia_staff
):
    application, _ = booked(applicant)
    old = Booking.objects.get().token
    later = publish(starts_at=timezone.now() + dt.timedelta(days=10))
    services.booking_reschedule(
        reference=application.reference, applicant_id=applicant.pk, session_id=later.id
    )
    assert slip_check(token=old, viewer_id=sharqia_staff.pk).valid is False
    new = Booking.objects.get(status="booked").token
    assert slip_check(token=new, viewer_id=sharqia_staff.pk).valid is True


def test_the_printed_qr_scans_to_the_check_address(booked, applicant):
    """Render the PDF to pixels and decode the QR as the centre's phone would."""
    import pypdfium2
    import zxingcpp

    from skilltests.slip_pdf import slip_pdf

    application, _ = booked(applicant)
    slip = slip_get(reference=application.reference, applicant_id=applicant.pk)
    image = pypdfium2.PdfDocument(slip_pdf(slip))[0].render(scale=2).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == slip.check_url
