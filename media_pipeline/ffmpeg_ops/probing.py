"""Probe and validate an input file: what the pipeline refuses, and why.

Reasons are stored as codes with their parameters (`REASONS`) and translated when
shown, in the reader's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Why an input is refused or a run failed; codes are stored, messages translated late.
REASONS: dict[str, str] = {
    "empty": _("The file is empty (0 bytes)."),
    "too_large": _("The file is %(size_mb)s MB; the limit is %(limit_mb)s MB."),
    "not_media": _(
        "This is not a video ffmpeg can read; it may be truncated or corrupt "
        "(%(detail)s)."
    ),
    "no_video": _("The file has no video stream (is it audio only or an image?)."),
    "no_duration": _(
        "The video's duration cannot be read; the file may be truncated or corrupt."
    ),
    "too_long": _(
        "The video lasts %(duration_min)s minutes; the limit is %(limit_min)s."
    ),
    "truncated": _(
        "The file ends early: only %(decoded_s)s of %(duration_s)s seconds could be "
        "decoded. Upload the complete file."
    ),
    "ffmpeg_failed": _(
        "Transcoding failed (ffmpeg exit code %(exit_code)s); see the ffmpeg log lines."
    ),
    "cancelled": _("The job was cancelled."),
    "gave_up": _("The job stopped responding %(attempts)s times; retry it by hand."),
    "internal": _("The job failed unexpectedly (%(detail)s)."),
}


class MediaRejected(Exception):
    """An input the pipeline refuses, with a reason code and its parameters."""

    def __init__(self, code: str, stderr_tail: str = "", **params: object) -> None:
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}
        self.stderr_tail = stderr_tail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(REASONS[self.code] % self.params)


@dataclass(frozen=True)
class ProbeResult:
    duration_s: float
    width: int
    height: int
    video_codec: str
    audio_codec: str  # "" when the file has no audio
    size_bytes: int
    frame_rate: float

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)


def _ffmpeg_detail(stderr: bytes | str | None) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "ffprobe gave no reason"


def probe(path: str | Path) -> ProbeResult:
    """Read a file's streams and refuse what the pipeline cannot or must not take."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected("empty")
    if size > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise MediaRejected(
            "too_large",
            size_mb=megabytes(size),
            limit_mb=megabytes(settings.MEDIA_MAX_UPLOAD_BYTES),
        )
    try:
        info = ffmpeg.probe(str(path), cmd=settings.FFPROBE_BINARY)
    except ffmpeg.Error as exc:
        raise MediaRejected(
            "not_media",
            stderr_tail=_tail(exc.stderr),
            detail=_ffmpeg_detail(exc.stderr),
        ) from exc
    streams = info.get("streams", [])
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not s.get("disposition", {}).get("attached_pic")
        ),
        None,
    )
    if video is None:
        raise MediaRejected("no_video")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    duration = to_float(info.get("format", {}).get("duration")) or to_float(
        video.get("duration")
    )
    if not duration or duration <= 0 or not video.get("width"):
        raise MediaRejected("no_duration")
    if duration > settings.MEDIA_MAX_DURATION_S:
        raise MediaRejected(
            "too_long",
            duration_min=math.ceil(duration / 60),
            limit_min=settings.MEDIA_MAX_DURATION_S // 60,
        )
    return ProbeResult(
        duration_s=duration,
        width=int(video["width"]),
        height=int(video["height"]),
        video_codec=video.get("codec_name", ""),
        audio_codec=(audio or {}).get("codec_name", ""),
        size_bytes=size,
        frame_rate=_rate(video.get("avg_frame_rate") or video.get("r_frame_rate")),
    )


def output_duration_s(path: str | Path) -> float:
    """Duration of a file we just wrote (0 when unreadable)."""
    try:
        info = ffmpeg.probe(str(path), cmd=settings.FFPROBE_BINARY)
    except ffmpeg.Error:
        return 0.0
    return to_float(info.get("format", {}).get("duration")) or 0.0


def megabytes(size_bytes: int) -> str:
    """A size in MB for messages: whole numbers, two decimals below 1 MB."""
    mb = size_bytes / 1024**2
    return f"{mb:.2f}" if mb < 1 else str(math.ceil(mb))


def to_float(value: object) -> float | None:
    """A number from ffprobe or -progress text, or None when there is none."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _rate(value: str | None) -> float:
    try:
        rate = float(Fraction(value or "0"))
    except (ValueError, ZeroDivisionError):
        return 25.0
    return rate if 0 < rate <= 240 else 25.0


def _tail(stderr: bytes | str | None, lines: int = 30) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return "\n".join((text or "").strip().splitlines()[-lines:])
