"""Tiny clips made with ffmpeg's lavfi sources, generated once per test session."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True, timeout=60
    )


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("clips")
    fast = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    av = d / "lesson.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=480x360:rate=10:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
        *fast, "-c:a", "aac", "-shortest", str(av),
    )  # fmt: skip
    tiny = d / "tiny-silent.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=176x144:rate=10:duration=2",
        *fast, str(tiny),
    )  # fmt: skip
    audio = d / "voice.m4a"
    _ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(audio))
    text = d / "notes.mp4"
    text.write_text("this is not a video\n")
    empty = d / "empty.mp4"
    empty.write_bytes(b"")
    data = av.read_bytes()
    cut = d / "cut-no-index.mp4"  # moov at the end: the index is lost
    cut.write_bytes(data[: len(data) // 2])
    faststart = d / "faststart.mp4"
    _ffmpeg("-i", str(av), "-c", "copy", "-movflags", "+faststart", str(faststart))
    cut_fs = d / "cut-faststart.mp4"  # index intact, media data missing
    fs = faststart.read_bytes()
    cut_fs.write_bytes(fs[: len(fs) * 2 // 5])
    return {
        "av": av,
        "tiny": tiny,
        "audio": audio,
        "text": text,
        "empty": empty,
        "cut": cut,
        "cut_faststart": cut_fs,
    }


@pytest.fixture(autouse=True)
def _fast_pipeline(settings):
    settings.MEDIA_HLS_SEGMENT_S = 1
    settings.MEDIA_X264_PRESET = "ultrafast"
    settings.MEDIA_PROGRESS_SAVE_EVERY_S = 0
