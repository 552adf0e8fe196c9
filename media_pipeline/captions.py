"""Caption tracks: decode, validate, and convert SRT to WebVTT (what browsers play)."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

_SRT_TIME = re.compile(
    r"(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})"
)
_VTT_TIME = re.compile(
    r"(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}"
)


def decode_caption_bytes(data: bytes) -> str:
    """Text of a caption file: UTF-8 (with or without BOM), else Windows Arabic."""
    if len(data) > settings.MEDIA_CAPTION_MAX_BYTES:
        raise ValidationError(
            _("The caption file is larger than %(limit)s KB.")
            % {"limit": settings.MEDIA_CAPTION_MAX_BYTES // 1024},
            code="too_large",
        )
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ValidationError(
        _("The caption file is neither UTF-8 nor Windows-1256 text."), code="encoding"
    )


def _stamp(h: str, m: str, s: str, ms: str) -> str:
    return f"{int(h):02d}:{m}:{s}.{ms.ljust(3, '0')}"


def srt_to_webvtt(text: str) -> str:
    """Convert SRT cues to WebVTT: header, dot decimal separators, cue numbers kept."""
    if not _SRT_TIME.search(text):
        raise ValidationError(
            _("No cue timings (00:00:01,000 --> 00:00:02,000) found in the SRT file."),
            code="no_cues",
        )
    body = _SRT_TIME.sub(
        lambda m: f"{_stamp(*m.groups()[:4])} --> {_stamp(*m.groups()[4:])}",
        text.strip(),
    )
    return f"WEBVTT\n\n{body}\n"


def validate_webvtt(text: str) -> str:
    """A WebVTT file must start with WEBVTT and hold at least one timed cue."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValidationError(
            _("A WebVTT file must start with the line WEBVTT."), code="no_header"
        )
    if not _VTT_TIME.search(text):
        raise ValidationError(
            _("No cue timings (00:00:01.000 --> 00:00:02.000) found in the file."),
            code="no_cues",
        )
    return text.lstrip("\ufeff")


def caption_text_to_webvtt(*, name: str, data: bytes) -> str:
    text = decode_caption_bytes(data)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".srt":
        return srt_to_webvtt(text)
    if suffix == ".vtt":
        return validate_webvtt(text)
    raise ValidationError(
        _("Upload captions as WebVTT (.vtt) or SRT (.srt)."), code="extension"
    )


def caption_file_to_webvtt(upload) -> ContentFile:
    """An uploaded .vtt/.srt file as a validated WebVTT file ready to store."""
    upload.seek(0)
    vtt = caption_text_to_webvtt(name=upload.name, data=upload.read())
    stem = PurePath(upload.name).stem or "captions"
    return ContentFile(vtt.encode("utf-8"), name=f"{stem}.vtt")
