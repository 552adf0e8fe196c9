"""The one-run ladder: what a probed source becomes, and the ffmpeg command for it.

One decode, `split` to every rendition, the offline MP4, the poster and the thumbnail
strip; HLS with `var_stream_map` and keyframes aligned on segment boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from django.conf import settings

from media_pipeline.ffmpeg_ops.probing import ProbeResult

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
POSTER_MAX_HEIGHT = 480
THUMB_WIDTH = 160
THUMB_COUNT = 10
MASTER_PLAYLIST = "master.m3u8"
AUDIO_ONLY_NAME = "audio"
POSTER_NAME = "poster.jpg"
THUMBS_NAME = "thumbnails.jpg"
OFFLINE_NAME = "offline-360p.mp4"


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
    )


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
        offline_args = {"c:a": "aac", "b:a": AUDIO_BPS, "ac": 2}
    offline = ffmpeg.output(
        *offline_streams,
        str(out / OFFLINE_NAME),
        **{
            "c:v": "libx264",
            "preset": settings.MEDIA_X264_PRESET,
            "profile:v": "main",
            "pix_fmt": "yuv420p",
            "b:v": OFFLINE_VIDEO_BPS,
            "maxrate": int(OFFLINE_VIDEO_BPS * 1.3),
            "bufsize": OFFLINE_VIDEO_BPS * 2,
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


def _thumb_rate(duration_s: float) -> str:
    """Frames per second that spread THUMB_COUNT thumbnails over the whole video."""
    rate = Fraction(THUMB_COUNT) / Fraction(max(duration_s, 0.5)).limit_denominator(
        1000
    )
    return f"{rate.numerator}/{rate.denominator}"
