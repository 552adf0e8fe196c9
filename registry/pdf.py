"""The certificate document: A4 landscape PDF (WeasyPrint), Arabic with English beside.

Pango shapes the Arabic and orders it right-to-left; the shipped Amiri font (OFL) is
embedded, so the PDF looks the same on every machine.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation

from lms.accounts.national_id import governorates
from registry.data import CertificateData
from registry.tokens import certificate_verify_url

FONT_DIR = Path(__file__).with_name("static") / "registry" / "fonts"


def qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_pdf(cert: CertificateData) -> bytes:
    """Render the certificate; the QR opens /verify/<serial>/ with the signed token."""
    from weasyprint import HTML

    governorate = governorates().get(cert.issuing_directorate)
    with translation.override("ar"):
        html = render_to_string(
            "registry/certificate_pdf.html",
            {
                "cert": cert,
                "governorate": governorate,
                "qr": qr_svg_data_uri(certificate_verify_url(cert, with_token=True)),
                "verify_url": certificate_verify_url(cert),
                "font_regular": (FONT_DIR / "Amiri-Regular.ttf").as_uri(),
                "font_bold": (FONT_DIR / "Amiri-Bold.ttf").as_uri(),
            },
        )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
