"""The master playlist to RFC 8216: measured bit rates, frame rate, a subtitles group.

ffmpeg writes BANDWIDTH from the bit rates it was asked for, which understates what
the segments really need (the audio-only and smallest renditions most): a player that
trusts it picks a rendition it cannot sustain. After the run every variant's segments
are measured (size / EXTINF duration): the peak becomes BANDWIDTH and the mean
AVERAGE-BANDWIDTH (§4.3.4.2). Caption tracks are listed as an ``EXT-X-MEDIA`` group
of TYPE=SUBTITLES, each with a one-segment WebVTT playlist, so native HLS players and
casting devices show them; the master is rewritten whenever captions change.

Pure functions over text and local files, plus ``rewrite_published`` which writes the
master of a published asset through the storage API.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

SUBTITLES_GROUP = "subs"
SUBTITLES_DIR = "subtitles"
_ATTR = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


@dataclass(frozen=True)
class Variant:
    """One EXT-X-STREAM-INF entry, measured."""

    uri: str
    peak_bps: int
    average_bps: int
    codecs: str
    resolution: str = ""  # "" for the audio-only variant
    frame_rate: float = 0.0


@dataclass(frozen=True)
class SubtitleTrack:
    language: str
    name: str
    vtt_url: str


def _attributes(line: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in _ATTR.findall(line.split(":", 1)[1])}


def ffmpeg_variants(master_text: str) -> list[tuple[str, dict[str, str]]]:
    """(uri, attributes) of each variant of the master ffmpeg wrote."""
    out, pending = [], None
    for raw in master_text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = _attributes(line)
        elif line and not line.startswith("#") and pending is not None:
            out.append((line, pending))
            pending = None
    return out


def segments(playlist: Path) -> list[tuple[Path, float]]:
    """(segment file, EXTINF duration) of a media playlist on disk."""
    out, duration = [], None
    for raw in playlist.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line and not line.startswith("#") and duration is not None:
            out.append((playlist.parent / line, duration))
            duration = None
    return out


def target_duration(playlist: Path) -> float:
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXT-X-TARGETDURATION:"):
            return float(line.split(":", 1)[1])
    return 0.0


def measure(playlist: Path) -> tuple[int, int]:
    """(peak, mean) bits per second of a media playlist's segments, rounded up.

    The peak leaves out runt segments shorter than half the target duration (the
    last few milliseconds of audio that outlast the video: 940 bytes in 0.023 s
    "is" 324 kbit/s but downloads at once), as packagers do (shaka-packager's
    bandwidth estimator); the mean counts every segment."""
    parts = [(p.stat().st_size * 8, d) for p, d in segments(playlist) if d > 0]
    if not parts:
        return 0, 0
    half = target_duration(playlist) / 2
    full = [(bits, d) for bits, d in parts if d >= half] or parts
    peak = max(bits / d for bits, d in full)
    mean = sum(bits for bits, _ in parts) / sum(d for _, d in parts)
    return math.ceil(max(peak, mean)), math.ceil(mean)


def measured_variants(
    out_dir: Path, master_name: str, frame_rate: float
) -> list[Variant]:
    """Every variant of ffmpeg's master, with its segments measured."""
    variants = []
    for uri, attrs in ffmpeg_variants((out_dir / master_name).read_text()):
        peak, mean = measure(out_dir / uri)
        resolution = attrs.get("RESOLUTION", "")
        variants.append(
            Variant(
                uri=uri,
                peak_bps=peak,
                average_bps=mean,
                codecs=attrs.get("CODECS", ""),
                resolution=resolution,
                frame_rate=frame_rate if resolution else 0.0,
            )
        )
    return variants


def subtitle_playlist(vtt_url: str, duration_s: float) -> str:
    """A WebVTT subtitle playlist: the whole track as one segment."""
    target = max(1, math.ceil(duration_s))
    return (
        "#EXTM3U\n#EXT-X-VERSION:6\n"
        f"#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration_s:.3f},\n{vtt_url}\n#EXT-X-ENDLIST\n"
    )


def _quoted(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ")


def master_playlist(
    variants: Iterable[Variant], subtitles: Iterable[SubtitleTrack] = ()
) -> str:
    """The master playlist text (subtitle playlists at subtitles/<language>.m3u8)."""
    subtitles = list(subtitles)
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for i, track in enumerate(subtitles):
        default = "YES" if i == 0 else "NO"
        lines.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="{SUBTITLES_GROUP}",'
            f'LANGUAGE="{_quoted(track.language)}",NAME="{_quoted(track.name)}",'
            f"DEFAULT={default},AUTOSELECT=YES,"
            f'URI="{SUBTITLES_DIR}/{subtitle_file(track.language)}"'
        )
    for v in variants:
        attrs = [f"BANDWIDTH={v.peak_bps}", f"AVERAGE-BANDWIDTH={v.average_bps}"]
        if v.resolution:
            attrs.append(f"RESOLUTION={v.resolution}")
            attrs.append(f"FRAME-RATE={v.frame_rate:.3f}")
        if v.codecs:
            attrs.append(f'CODECS="{v.codecs}"')
        if v.resolution and subtitles:
            attrs.append(f'SUBTITLES="{SUBTITLES_GROUP}"')
        lines += ["", "#EXT-X-STREAM-INF:" + ",".join(attrs), v.uri]
    return "\n".join(lines) + "\n"


def subtitle_file(language: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", language.lower()) + ".m3u8"


def variants_from_renditions(
    renditions: list[dict], audio: dict | None
) -> list[Variant]:
    """The measured variants as stored on the asset (renditions JSON)."""
    rows = [*renditions, *([audio] if audio else [])]
    return [
        Variant(
            uri=r["playlist"],
            peak_bps=int(r["bandwidth"]),
            average_bps=int(r.get("average_bandwidth") or r["bandwidth"]),
            codecs=r.get("codecs", ""),
            resolution=r.get("resolution", ""),
            frame_rate=float(r.get("frame_rate") or 0),
        )
        for r in rows
    ]


def write_file(name: str, text: str, storage: Storage = default_storage) -> None:
    """Replace a stored text file (atomically on a filesystem storage)."""
    data = text.encode("utf-8")
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(data))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_subtitles(
    prefix: str,
    tracks: list[SubtitleTrack],
    duration_s: float,
    storage: Storage = default_storage,
) -> None:
    for track in tracks:
        write_file(
            f"{prefix}/{SUBTITLES_DIR}/{subtitle_file(track.language)}",
            subtitle_playlist(track.vtt_url, duration_s),
            storage,
        )
