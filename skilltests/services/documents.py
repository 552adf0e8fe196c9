"""Documents an applicant uploads: PDF kept as sent, photos decoded and encoded
again (JPEG or PNG; metadata such as a phone's GPS position dropped), each in the
private store under an unguessable name."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid
from skilltests.models import Application, ApplicationDocument, DocumentKind

MAX_SIDE_PX = 2400
MAX_PIXELS = 40_000_000
_SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg"}
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Upload:
    """One file to attach: its kind (DocumentKind) and the uploaded file."""

    kind: str
    file: Any


def _too_large() -> Invalid:
    megabytes = settings.SKILLTESTS_DOCUMENT_MAX_BYTES // (1024 * 1024)
    return Invalid(
        _("A document is larger than %(mb)s MB: send a smaller scan or photo.")
        % {"mb": megabytes},
        code="document_too_large",
    )


def _wrong_type(name: str) -> Invalid:
    return Invalid(
        _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name},
        code="document_type",
    )


def _content_type(head: bytes) -> str | None:
    if head.startswith(_PNG):
        return "image/png"
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def _reencoded(raw: bytes, content_type: str, name: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise _too_large()
            probe.load()
            picture = ImageOps.exif_transpose(probe)
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise _wrong_type(name) from exc
    except (SyntaxError, ValueError, EOFError) as exc:
        raise _wrong_type(name) from exc
    picture.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    out = io.BytesIO()
    if content_type == "image/jpeg":
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if "A" in picture.getbands() else "RGB"
        picture.convert(mode).save(out, "PNG", optimize=True)
    return out.getvalue()


def _display_name(upload: Any) -> str:
    name = PurePath(str(getattr(upload, "name", "") or "document")).name
    return name[-120:] or "document"


def _prepared(upload: Upload) -> tuple[str, ContentFile, str, int]:
    """(content type, content, original name, size) or a coded refusal."""
    if upload.kind not in DocumentKind.values:
        raise Invalid(_("Choose what the document is."), code="document_kind")
    name = _display_name(upload.file)
    limit = settings.SKILLTESTS_DOCUMENT_MAX_BYTES
    if (getattr(upload.file, "size", 0) or 0) > limit:
        raise _too_large()
    upload.file.seek(0)
    raw = upload.file.read(limit + 1)
    if len(raw) > limit:
        raise _too_large()
    content_type = _content_type(raw[:16])
    if content_type is None:
        raise _wrong_type(name)
    if content_type != "application/pdf":
        raw = _reencoded(raw, content_type, name)
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    content = ContentFile(raw, name=f"document{suffix[content_type]}")
    return content_type, content, name, len(raw)


def documents_attach(application: Application, uploads: Sequence[Upload]) -> int:
    """Store the uploads on the application; every one is checked before any is
    stored, so a refusal leaves nothing behind. Returns how many were stored."""
    prepared = [(u.kind, *_prepared(u)) for u in uploads]
    for kind, content_type, content, name, size in prepared:
        ApplicationDocument.objects.create(
            application=application,
            kind=kind,
            file=content,
            original_name=name,
            content_type=content_type,
            size_bytes=size,
        )
    return len(prepared)


def documents_remove(application: Application, document_ids: Sequence[int]) -> int:
    """Remove the application's own documents among `document_ids`; the files go
    once the transaction commits."""
    documents = list(application.documents.filter(pk__in=document_ids))
    for document in documents:
        name = document.file.name
        storage = document.file.storage
        document.delete()
        transaction.on_commit(partial(storage.delete, name))
    return len(documents)


def documents_count_check(count: int) -> None:
    """At least one document, at most SKILLTESTS_MAX_DOCUMENTS (checked before any
    file is stored: a refused application leaves no file behind)."""
    if count <= 0:
        raise Invalid(
            _(
                "Attach at least one document that shows your experience: a letter "
                "from an employer, a training certificate or photos of your work."
            ),
            code="documents_missing",
        )
    if count > settings.SKILLTESTS_MAX_DOCUMENTS:
        raise Invalid(
            _("Attach at most %(n)s documents.")
            % {"n": settings.SKILLTESTS_MAX_DOCUMENTS},
            code="too_many_documents",
        )
