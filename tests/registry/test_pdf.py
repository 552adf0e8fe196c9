import io

import pytest
from pypdf import PdfReader

from registry.pdf import certificate_pdf
from tests.factories import make_national_id


def test_pdf_is_a4_landscape_with_arabic_name_in_logical_order(make_issued):
    cert = make_issued(
        full_name_ar="منى أحمد السيد", full_name_en="Mona Ahmed El-Sayed"
    )
    reader = PdfReader(io.BytesIO(certificate_pdf(cert)))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert len(reader.pages) == 1
    assert round(width) == 842 and round(height) == 595
    text = page.extract_text()
    assert "منى أحمد السيد" in text
    assert "Mona Ahmed El-Sayed" in text
    assert cert.serial_display in text
    assert cert.national_id not in text


def test_pdf_embeds_the_shipped_arabic_font(make_issued):
    reader = PdfReader(io.BytesIO(certificate_pdf(make_issued())))
    fonts = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
            fonts.add(str(font["/BaseFont"]))
    assert any("Amiri" in name for name in fonts)


def test_pdf_qr_code_scans_to_the_signed_verification_link(make_issued):
    """Render the page to pixels and decode the QR as a phone camera would."""
    import pypdfium2
    import zxingcpp

    from registry.tokens import certificate_verify_url

    cert = make_issued()
    image = pypdfium2.PdfDocument(certificate_pdf(cert))[0].render(scale=2).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == certificate_verify_url(cert, with_token=True)
    assert f"/verify/{cert.serial_display}/?t=" in code.text


@pytest.fixture
def signed_certificate(make_pending, second_staff):
    """Approved by a Sharqia staff member with a name and a job title."""
    from lms.accounts.services import staff_directorate_assign
    from registry.services import certificate_approve

    second_staff.full_name_ar = "هالة عبد الرحمن"
    second_staff.full_name_en = "Hala Abdelrahman"
    second_staff.job_title_ar = "مدير إدارة الشهادات"
    second_staff.job_title_en = "Director of Certificates"
    second_staff.save()
    staff_directorate_assign(user_id=second_staff.pk, directorate_code="13")
    pending = make_pending(
        full_name_ar="منى أحمد السيد",
        full_name_en="Mona Ahmed El-Sayed",
        national_id=make_national_id(governorate="13"),  # Sharqia's to approve
    )
    return certificate_approve(certificate_id=pending.id, approver_id=second_staff.pk)


def _lines(pdf: bytes) -> list[str]:
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line.strip() for line in text.splitlines()]


def test_mixed_lines_come_out_in_logical_order(signed_certificate):
    """Each run of the other direction is isolated: "Serial:" stays "Serial:",
    brackets are not mirrored, Arabic labels read in logical order."""
    cert = signed_certificate
    lines = _lines(certificate_pdf(cert))
    text = "\n".join(lines)
    assert f"Serial: {cert.serial_display}" in lines
    assert ":Serial" not in text
    assert (
        "Skill Level Certificate — Ministry of Labour, national skills registry "
        "(Maharat)" in lines
    )
    assert ")Maharat(" not in text
    assert "وزارة العمل — سجل المهارات الوطني (مهارات)" in lines
    assert f"الرقم التسلسلي{cert.serial_display}" in lines
    assert "المهنةالخياطون وصانعو الملابس (ترزي) (7531)" in lines
    assert "Occupation Tailors, dressmakers, furriers and hatters (7531)" in lines
    assert any(line.endswith("Digitally signed (Ed25519)") for line in lines)
    assert f"تاريخ الإصدار{cert.issue_date:%Y-%m-%d}" in lines


def test_the_signature_block_names_the_approver_and_title_in_both_languages(
    signed_certificate,
):
    lines = _lines(certificate_pdf(signed_certificate))
    assert "هالة عبد الرحمن" in lines
    assert "مدير إدارة الشهادات" in lines
    assert "Hala Abdelrahman, Director of Certificates" in lines


def test_the_stamp_names_the_approver_s_directorate(signed_certificate):
    lines = _lines(certificate_pdf(signed_certificate))
    assert "Sharqia Labour Directorate" in lines
    assert "جهة الإصدارمديرية العمل بمحافظة الشرقية" in lines


def test_the_stamp_falls_back_to_the_issuing_governorate_s_directorate(
    make_issued, make_user
):
    import dataclasses

    from registry.pdf import _stamp_directorate

    cert = make_issued(national_id=make_national_id(governorate="12"))
    # approved before directorates existed: its approver belongs to none
    unplaced = make_user("ministry_staff", is_staff=True)
    cert = dataclasses.replace(cert, approved_by_id=unplaced.pk)
    assert _stamp_directorate(cert).code == "12"


def _pixels_near(image, box, colour, tolerance=40) -> int:
    region = image.crop(box).convert("RGB")
    return sum(
        1
        for pixel in region.get_flattened_data()
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


def test_the_page_draws_the_emblem_and_the_stamp(signed_certificate):
    """Rendered as a person sees it: the green emblem at the top centre, the blue
    ink of the directorate's stamp in the footer."""
    import pypdfium2

    from lms.accounts.selectors import directorate_list
    from registry.pdf import EMBLEM, directorate_stamp_svg

    image = pypdfium2.PdfDocument(certificate_pdf(signed_certificate))[0]
    image = image.render(scale=1).to_pil()
    width, height = image.size
    top_centre = (width * 2 // 5, 0, width * 3 // 5, height // 6)
    footer = (0, height * 2 // 3, width, height)
    assert _pixels_near(image, top_centre, (11, 93, 75)) > 300  # emblem green
    assert _pixels_near(image, footer, (29, 79, 145)) > 300  # stamp ink
    emblem = EMBLEM.read_text()
    assert emblem.startswith("<svg") and "<image" not in emblem  # drawn, no raster
    sharqia = next(d for d in directorate_list() if d.code == "13")
    assert "مديرية العمل بمحافظة الشرقية" in directorate_stamp_svg(sharqia)


def test_qr_modules_are_large_enough_to_scan_from_paper(
    signed_certificate, make_issued
):
    """A cheap phone's camera needs modules of about half a millimetre. The token
    carries the Arabic name: as \\u escapes (PyJWT's encoder) it grew the code to
    version 17, 0.36 mm modules, and a whole page at 144 dpi no longer scanned."""
    import pypdfium2
    import zxingcpp

    from registry.tokens import certificate_verify_url

    long_name = "عبد الرحمن محمد عبد العزيز مصطفى الشناوي"
    # the fixture moved the approver to Sharqia: a Sharqia holder for the long name
    sharqia = make_national_id(governorate="13")
    for cert in (
        signed_certificate,
        make_issued(full_name_ar=long_name, national_id=sharqia),
    ):
        page = pypdfium2.PdfDocument(certificate_pdf(cert))[0]
        [code] = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        assert code.text == certificate_verify_url(cert, with_token=True)
        [fine] = zxingcpp.read_barcodes(page.render(scale=4).to_pil())
        modules = 17 + 4 * int(fine.extra["Version"])
        corners = fine.position
        width_px = abs(corners.top_right.x - corners.top_left.x)
        module_mm = width_px / modules / (4 * 72) * 25.4
        assert module_mm >= 0.45, (fine.extra["Version"], module_mm)
