"""ffmpeg work on local files: probe and validate, the one-run ladder, its output.

Nothing here touches the database or the storage API: the job module (jobs.py) feeds
it files it copied out of storage and publishes what it writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Running ffmpeg lives in ffmpeg_run; the job module reaches it through this one.
from media_pipeline.ffmpeg_run import Progress as Progress
from media_pipeline.ffmpeg_run import RunResult as RunResult
from media_pipeline.ffmpeg_run import parse_progress as parse_progress
from media_pipeline.ffmpeg_run import run as run

# (height, video bits per second): the ladder trainees' phones choose from.
LADDER: tuple[tuple[int, int], ...] = (
    (240, 300_000),
    (360, 600_000),
    (480, 1_000_000),
    (720, 2_000_000),
)
AUDIO_BPS = 64_000
OFFLINE_HEIGHT = 360
OFFLINE_VIDEO_BPS = 450_000
OFFLINE_MIN_VIDEO_BPS = 32_000
# x264's average may overshoot its target on short clips: aim below the source
OFFLINE_SOURCE_SHARE = 0.7
OFFLINE_LOW_AUDIO_BPS = 48_000  # the offline audio of a source that is itself thin
POSTER_MAX_HEIGHT = 480
THUMB_WIDTH = 160
THUMB_COUNT = 10
MASTER_PLAYLIST = "master.m3u8"
AUDIO_ONLY_NAME = "audio"
POSTER_NAME = "poster.jpg"
THUMBS_NAME = "thumbnails.jpg"
OFFLINE_NAME = "offline-360p.mp4"

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


class Cancelled(Exception):
    """The job was cancelled or superseded while ffmpeg ran."""


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


@dataclass(frozen=True)
class Rendition:
    name: str
    height: int
    video_bps: int


@dataclass(frozen=True)
class Plan:
    """What one ffmpeg run produces for a probed source."""

    duration_s: float
    renditions: tuple[Rendition, ...]
    audio_only: bool
    offline_height: int
    poster_at_s: float
    poster_height: int
    segment_s: int
    offline_video_bps: int = OFFLINE_VIDEO_BPS
    offline_audio_bps: int = AUDIO_BPS


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
    duration = _float(info.get("format", {}).get("duration")) or _float(
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
    return _float(info.get("format", {}).get("duration")) or 0.0


def megabytes(size_bytes: int) -> str:
    """A size in MB for messages: whole numbers, two decimals below 1 MB."""
    mb = size_bytes / 1024**2
    return f"{mb:.2f}" if mb < 1 else str(math.ceil(mb))


def _float(value: object) -> float | None:
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


def _even(n: int) -> int:
    return max(2, n - n % 2)


def plan_for(source: ProbeResult, *, segment_s: int | None = None) -> Plan:
    """The ladder for a source: never above its height; one rung if it is tiny."""
    rungs = tuple(Rendition(f"{h}p", h, bps) for h, bps in LADDER if h <= source.height)
    if not rungs:
        h = _even(source.height)
        rungs = (Rendition(f"{h}p", h, LADDER[0][1]),)
    return Plan(
        duration_s=source.duration_s,
        renditions=rungs,
        audio_only=source.has_audio,
        offline_height=min(OFFLINE_HEIGHT, _even(source.height)),
        poster_at_s=round(min(source.duration_s * 0.1, 5.0), 3),
        poster_height=min(POSTER_MAX_HEIGHT, _even(source.height)),
        segment_s=segment_s or settings.MEDIA_HLS_SEGMENT_S,
        offline_video_bps=offline_video_bps(source),
        offline_audio_bps=offline_audio_bps(source),
    )


def offline_video_bps(source: ProbeResult) -> int:
    """The offline MP4's video rate: the ladder's, but never more than the source
    spends (an offline copy larger than the upload helps nobody)."""
    audio = offline_audio_bps(source) if source.has_audio else 0
    budget = int((source_bps(source) - audio) * OFFLINE_SOURCE_SHARE)
    return max(OFFLINE_MIN_VIDEO_BPS, min(OFFLINE_VIDEO_BPS, budget))


def source_bps(source: ProbeResult) -> float:
    return source.size_bytes * 8 / max(source.duration_s, 0.1)


def offline_audio_bps(source: ProbeResult) -> int:
    thin = source_bps(source) < OFFLINE_VIDEO_BPS + AUDIO_BPS
    return OFFLINE_LOW_AUDIO_BPS if thin else AUDIO_BPS


def _video_encoder_args(plan: Plan) -> dict[str, object]:
    return {
        "c:v": "libx264",
        "preset": settings.MEDIA_X264_PRESET,
        "profile:v": "main",
        "pix_fmt": "yuv420p",
        # a keyframe at every segment boundary, and only there, so renditions align
        "force_key_frames": f"expr:gte(t,n_forced*{plan.segment_s})",
        "sc_threshold": 0,
    }


def build_command(
    source_path: str | Path, out_dir: str | Path, plan: Plan
) -> list[str]:
    """One ffmpeg run: decode once, split to every rendition, poster and strip."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    inp = ffmpeg.input(str(source_path))
    n = len(plan.renditions)
    # ladder + offline MP4 + poster + thumbnail strip, all from one decode
    video = inp.video.split()
    branches = [video[i] for i in range(n + 3)]
    audio = inp.audio.asplit() if plan.audio_only else None

    hls_streams = []
    hls_args: dict[str, object] = {}
    variants = []
    for i, rung in enumerate(plan.renditions):
        hls_streams.append(branches[i].filter("scale", -2, rung.height))
        hls_args[f"b:v:{i}"] = rung.video_bps
        hls_args[f"maxrate:v:{i}"] = int(rung.video_bps * 1.2)
        hls_args[f"bufsize:v:{i}"] = rung.video_bps * 2
        if audio is not None:
            hls_streams.append(audio[i])
            hls_args[f"b:a:{i}"] = AUDIO_BPS
            variants.append(f"v:{i},a:{i},name:{rung.name}")
        else:
            variants.append(f"v:{i},name:{rung.name}")
    if audio is not None:
        hls_streams.append(audio[n])
        hls_args[f"b:a:{n}"] = AUDIO_BPS
        variants.append(f"a:{n},name:{AUDIO_ONLY_NAME}")
    if audio is not None:
        hls_args.update({"c:a": "aac", "ac": 2})
    hls = ffmpeg.output(
        *hls_streams,
        str(out / "%v" / "index.m3u8"),
        f="hls",
        hls_time=plan.segment_s,
        hls_playlist_type="vod",
        hls_flags="independent_segments",
        hls_segment_filename=str(out / "%v" / "seg_%04d.ts"),
        master_pl_name=MASTER_PLAYLIST,
        var_stream_map=" ".join(variants),
        **_video_encoder_args(plan),
        **hls_args,
    )

    offline_streams = [branches[n].filter("scale", -2, plan.offline_height)]
    offline_args: dict[str, object] = {}
    if audio is not None:
        offline_streams.append(audio[n + 1])
        offline_args = {"c:a": "aac", "b:a": plan.offline_audio_bps, "ac": 2}
    offline = ffmpeg.output(
        *offline_streams,
        str(out / OFFLINE_NAME),
        **{
            "c:v": "libx264",
            "preset": settings.MEDIA_X264_PRESET,
            "profile:v": "main",
            "pix_fmt": "yuv420p",
            "b:v": plan.offline_video_bps,
            "maxrate": plan.offline_video_bps,
            "bufsize": plan.offline_video_bps * 2,
            "movflags": "+faststart",
        },
        **offline_args,
    )

    poster = ffmpeg.output(
        branches[n + 1]
        .filter("trim", start=plan.poster_at_s)
        .filter("scale", -2, plan.poster_height),
        str(out / POSTER_NAME),
        **{"frames:v": 1, "q:v": 4, "update": 1},
    )
    thumbs = ffmpeg.output(
        branches[n + 2]
        .filter("fps", _thumb_rate(plan.duration_s))
        .filter("scale", THUMB_WIDTH, -2)
        .filter("tile", f"{THUMB_COUNT}x1"),
        str(out / THUMBS_NAME),
        **{"frames:v": 1, "q:v": 5, "update": 1},
    )
    cmd = (
        ffmpeg.merge_outputs(hls, offline, poster, thumbs)
        .global_args("-hide_banner", "-nostdin", "-progress", "pipe:1", "-nostats")
        .global_args("-loglevel", "warning")
        .compile(cmd=settings.FFMPEG_BINARY, overwrite_output=True)
    )
    return cmd


def hls_written_s(out_dir: str | Path, plan: Plan) -> float:
    """Seconds of video the run has written so far: the complete segments of its
    first rendition (the newest one may still be growing). ffmpeg's own reports are
    withheld for most of a run (ffmpeg_run explains why); the segments are not."""
    folder = Path(out_dir) / plan.renditions[0].name
    try:
        segments = sum(1 for p in folder.iterdir() if p.suffix == ".ts")
    except FileNotFoundError:
        return 0.0
    return float(min(max(segments - 1, 0) * plan.segment_s, plan.duration_s))


def _thumb_rate(duration_s: float) -> str:
    """Frames per second that spread THUMB_COUNT thumbnails over the whole video."""
    rate = Fraction(THUMB_COUNT) / Fraction(max(duration_s, 0.5)).limit_denominator(
        1000
    )
    return f"{rate.numerator}/{rate.denominator}"


def _tail(stderr: bytes | str | None, lines: int = 30) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return "\n".join((text or "").strip().splitlines()[-lines:])
