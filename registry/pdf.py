"""The certificate document: A4 landscape PDF (WeasyPrint), Arabic with English beside.

Pango shapes the Arabic and orders it right-to-left; the shipped Amiri font (OFL) is
embedded, so the PDF looks the same on every machine. It carries the ministry's
emblem (drawn for the project, static/registry/emblem.svg), the approver's signature
block (name and job title) and the issuing directorate's stamp (an SVG generated with
the directorate's name). Every run of the other direction is isolated (`<bdi>`,
`unicode-bidi: isolate`), so "Serial:" never comes out as ":Serial".
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation

from lms.accounts.data import DirectorateData, SignatoryData
from lms.accounts.national_id import governorates
from lms.accounts.selectors import directorate_list, directorate_of, signatory_of
from registry.data import CertificateData
from registry.tokens import certificate_verify_url

STATIC_DIR = Path(__file__).with_name("static") / "registry"
FONT_DIR = STATIC_DIR / "fonts"
EMBLEM = STATIC_DIR / "emblem.svg"


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


# The code is printed QR_PRINTED_MM wide (.qr in certificate_pdf.html) with a quiet
# zone of QR_BORDER modules: a module is QR_PRINTED_MM / (4 * version + 17 + 2 *
# QR_BORDER) mm. A cheap phone's camera resolves about 0.45 mm from a page held at arm's
# length, so version 16 is the largest that prints legibly (0.47 mm).
QR_PRINTED_MM = 40
QR_BORDER = 2
QR_MAX_PRINTED_VERSION = 16


def qr_code(text: str) -> qrcode.QRCode:
    """Level M (15 % of the code may be soiled or torn); level L (7 %) only when M
    would be too dense to print: a name of more than ~60 Arabic letters."""
    for level in (qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_L):
        code = qrcode.QRCode(
            error_correction=level,
            border=QR_BORDER,
            image_factory=qrcode.image.svg.SvgPathImage,
        )
        code.add_data(text)
        code.make(fit=True)
        if code.version <= QR_MAX_PRINTED_VERSION:
            break
    return code


def qr_module_mm(version: int) -> float:
    """A module's printed size on the certificate."""
    return QR_PRINTED_MM / (4 * version + 17 + 2 * QR_BORDER)


def qr_svg_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qr_code(text).make_image().save(buffer)
    return _svg_data_uri(buffer.getvalue())


def directorate_stamp_svg(directorate: DirectorateData) -> str:
    """A round ink stamp for the directorate: two rings, a band of stars, its name
    as the SVG's title. The name is printed over it as text (WeasyPrint's SVG text
    does not shape Arabic: it came out as separate, reversed letters)."""
    ink = "#1d4f91"
    stars = "".join(
        f'<circle cx="{100 + 76 * math.cos(a):.1f}" cy="{100 + 76 * math.sin(a):.1f}" '
        'r="2.6"/>'
        for a in (2 * math.pi * k / 24 for k in range(24))
    )
    title = escape(f"{directorate.name_ar} — {directorate.name_en}")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" '
        f'width="200" height="200"><title>{title}</title>'
        f'<g fill="none" stroke="{ink}" opacity="0.85">'
        '<circle cx="100" cy="100" r="96" stroke-width="5"/>'
        '<circle cx="100" cy="100" r="88" stroke-width="1.5"/>'
        '<circle cx="100" cy="100" r="64" stroke-width="1.5"/></g>'
        f'<g fill="{ink}" opacity="0.85">{stars}</g></svg>'
    )


def _stamp_directorate(cert: CertificateData) -> DirectorateData | None:
    """The approver's directorate; else the one of the issuing governorate."""
    own = directorate_of(user_id=cert.approved_by_id)
    if own is not None:
        return own
    every = directorate_list()
    by_governorate = {d.governorate_code: d for d in every if d.governorate_code}
    head_office = next((d for d in every if d.is_head_office), None)
    return by_governorate.get(cert.issuing_directorate, head_office)


def certificate_pdf(cert: CertificateData) -> bytes:
    """Render the certificate; the QR opens /verify/<serial>/ with the signed token."""
    from weasyprint import HTML

    governorate = governorates().get(cert.issuing_directorate)
    directorate = _stamp_directorate(cert)
    signatory: SignatoryData | None = signatory_of(user_id=cert.approved_by_id)
    with translation.override("ar"):
        html = render_to_string(
            "registry/certificate_pdf.html",
            {
                "cert": cert,
                "governorate": governorate,
                "directorate": directorate,
                "signatory": signatory,
                "emblem": _svg_data_uri(EMBLEM.read_bytes()),
                "stamp": _svg_data_uri(directorate_stamp_svg(directorate).encode())
                if directorate
                else "",
                "qr": qr_svg_data_uri(certificate_verify_url(cert, with_token=True)),
                "verify_url": certificate_verify_url(cert),
                "font_regular": (FONT_DIR / "Amiri-Regular.ttf").as_uri(),
                "font_bold": (FONT_DIR / "Amiri-Bold.ttf").as_uri(),
            },
        )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
