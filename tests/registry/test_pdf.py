import io

from pypdf import PdfReader

from registry.pdf import certificate_pdf


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
