"""Evidence photos are decoded and encoded again before they are stored: only the
pixels survive. A file that is also HTML or a script (a polyglot: a real JPEG with a
page appended), an SVG, or anything that is not a JPEG, PNG or WebP raster never
reaches the store; EXIF (GPS position, device) and other metadata are dropped."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid

MAX_EVIDENCE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP camera; more is a decompression bomb
MAX_SIDE_PX = 2560  # kept photos are scaled down to this longest side

# what the file's first bytes must say, and the format Pillow must then find
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"RIFF", "WEBP"),
)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _not_a_photo() -> Invalid:
    return Invalid(
        _(
            "This file is not a photo we accept: attach a JPEG, PNG or WebP picture "
            "(drawings such as SVG, web pages and documents are refused)."
        ),
        code="not_a_photo",
    )


def _declared_format(head: bytes) -> str | None:
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            if name == "WEBP" and head[8:12] != b"WEBP":
                return None
            return name
    return None


def reencoded_photo(upload: Any) -> ContentFile:
    """The uploaded file as a fresh JPEG, PNG or WebP (same format), or Invalid
    `photo_too_large` / `not_a_photo`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise Invalid(_("The photo is larger than 8 MB."), code="photo_too_large")
    upload.seek(0)
    raw = upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(raw) > MAX_EVIDENCE_BYTES:
        raise Invalid(_("The photo is larger than 8 MB."), code="photo_too_large")
    declared = _declared_format(raw[:16])
    if declared is None:
        raise _not_a_photo()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format != declared:
                raise _not_a_photo()
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid(
                    _("The photo has too many pixels (more than 40 megapixels)."),
                    code="photo_too_large",
                )
            probe.load()
            picture = ImageOps.exif_transpose(probe)
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise _not_a_photo() from exc
    except (SyntaxError, ValueError, EOFError) as exc:
        raise _not_a_photo() from exc
    picture.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    out = io.BytesIO()
    if declared == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif declared == "PNG":
        mode = (
            "RGBA"
            if "A" in picture.getbands() or "transparency" in picture.info
            else "RGB"
        )
        picture.convert(mode).save(out, "PNG", optimize=True)
    else:
        mode = "RGBA" if "A" in picture.getbands() else "RGB"
        picture.convert(mode).save(out, "WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"photo.{EXTENSIONS[declared]}")
