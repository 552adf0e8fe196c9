"""The appointment slip as a PDF (WeasyPrint, A5 portrait, in the reader's
language, the Amiri font the registry ships) and its QR code (inline SVG): the
centre scans it to find the booking (`/skill-tests/slips/<token>/`). The slip
carries no full national ID."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from skilltests.data import SlipData

FONT = "registry/fonts/Amiri-Regular.ttf"
FONT_BOLD = "registry/fonts/Amiri-Bold.ttf"


def qr_svg(text: str) -> str:
    """The QR code of `text` as SVG markup (error correction M: a slip folded in a
    pocket stays readable)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    text = buffer.getvalue().decode()
    return text[text.index("<svg") :]  # without the XML declaration: inline in HTML


def qr_data_uri(text: str) -> str:
    return (
        "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode()
    )


def _font_uri(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(str(found)).as_uri()


def slip_pdf(slip: SlipData) -> bytes:
    """The slip in the page's language (Arabic unless English was chosen)."""
    from weasyprint import HTML

    html = render_to_string(
        "skilltests/slip_pdf.html",
        {
            "slip": slip,
            "qr": qr_data_uri(slip.check_url),
            "font_regular": _font_uri(FONT),
            "font_bold": _font_uri(FONT_BOLD),
        },
    )
    return HTML(string=html).write_pdf()
