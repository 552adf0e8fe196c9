"""Running ffmpeg: its `-progress` reports, and a beat while it withholds them.

ffmpeg (5.1, the Debian 12 build) prints no `-progress` block until every output file
has written its header. The thumbnail strip (`fps` + `tile=10x1`) gets its first frame
only once ten tiles are gathered, near the end of the video, so for ~95 % of a long
transcode ffmpeg says nothing: measured on a 120 s 720p clip, the first block came
81 s into an 87 s run. The progress callback is also the run's heartbeat and its
cancel check, so `run` does not wait for ffmpeg to speak: it wakes at least every
`beat_every_s` and, when no block came, reports an estimate (what the caller can
measure of the output written so far, e.g. complete HLS segments).
"""

from __future__ import annotations

import os
import selectors
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

BEAT_EVERY_S = 1.0


@dataclass
class Progress:
    out_time_s: float = 0.0
    speed: float | None = None
    done: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    estimated: bool = False  # no block from ffmpeg: measured from its output

    def percent(self, duration_s: float) -> float:
        if self.done:
            return 100.0
        if duration_s <= 0:
            return 0.0
        return max(0.0, min(99.9, 100.0 * self.out_time_s / duration_s))


class _Blocks:
    """Assembles `-progress pipe:1` key=value lines into one Progress per block."""

    def __init__(self) -> None:
        self.current: dict[str, str] = {}

    def feed(self, raw: str) -> Progress | None:
        line = raw.strip()
        if "=" not in line:
            return None
        key, value = line.split("=", 1)
        self.current[key] = value
        if key != "progress":
            return None
        block, self.current = self.current, {}
        return _progress_from(block)


def parse_progress(lines: Iterable[str]) -> Iterator[Progress]:
    """Turn `-progress pipe:1` key=value lines into one Progress per block."""
    blocks = _Blocks()
    for raw in lines:
        progress = blocks.feed(raw)
        if progress is not None:
            yield progress


def _seconds(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:  # "N/A" before the first frame
        return 0.0


def _progress_from(block: dict[str, str]) -> Progress:
    out_us = block.get("out_time_us") or block.get("out_time_ms")  # both are µs
    speed_text = block.get("speed", "").rstrip("x").strip()
    return Progress(
        out_time_s=max(_seconds(out_us) / 1_000_000, 0.0),
        speed=_seconds(speed_text) or None,
        done=block.get("progress") == "end",
        fields=dict(block),
    )


@dataclass
class RunResult:
    returncode: int
    stderr_tail: str
    last: Progress


def run(
    cmd: list[str],
    *,
    duration_s: float,
    on_progress: Callable[[Progress], None],
    written_s: Callable[[], float] | None = None,
    beat_every_s: float | None = None,
) -> RunResult:
    """Run ffmpeg and call `on_progress` with each block, and at least every
    `beat_every_s` while it runs (an estimate from `written_s` when ffmpeg is quiet).
    `on_progress` may raise (Cancelled) to stop: ffmpeg is killed."""
    every_s = BEAT_EVERY_S if beat_every_s is None else beat_every_s
    proc = subprocess.Popen(  # noqa: S603 - argv list built from our own plan
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stderr_lines: deque[str] = deque(maxlen=200)
    reader = threading.Thread(
        target=_drain, args=(proc.stderr, stderr_lines), daemon=True
    )
    reader.start()
    last = Progress()
    blocks = _Blocks()
    reported = time.monotonic()
    try:
        assert proc.stdout is not None
        for line in _lines(proc.stdout, every_s):
            progress = blocks.feed(line) if line is not None else None
            if progress is not None:
                last = progress
            elif time.monotonic() - reported >= every_s:
                progress = _estimate(last, duration_s, written_s)
            else:
                continue
            reported = time.monotonic()
            on_progress(progress)
    except BaseException:
        proc.kill()
        proc.wait()
        reader.join(timeout=5)
        raise
    proc.wait()
    reader.join(timeout=5)
    return RunResult(proc.returncode, _relevant(stderr_lines), last)


def _estimate(
    last: Progress, duration_s: float, written_s: Callable[[], float] | None
) -> Progress:
    """ffmpeg's last word, or what its output shows, whichever is further on."""
    if last.done:
        return last
    measured = written_s() if written_s is not None else 0.0
    out_time = min(max(last.out_time_s, measured), max(duration_s, 0.0))
    return Progress(out_time_s=out_time, speed=last.speed, estimated=True)


def _lines(pipe: IO[bytes], every_s: float) -> Iterator[str | None]:
    """The pipe's lines as they come; None each time `every_s` passes without one.

    Reads the raw descriptor (os.read) so that select() and Python's buffer never
    disagree about what is left to read.
    """
    fd = pipe.fileno()
    pending = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=max(every_s, 0.05)):
                yield None
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                yield raw.decode("utf-8", "replace")
    if pending:
        yield pending.decode("utf-8", "replace")


def _drain(pipe: IO[bytes], sink: deque[str]) -> None:
    for raw in pipe:
        sink.append(raw.decode("utf-8", "replace").rstrip())


def _relevant(lines: Iterable[str], keep: int = 30) -> str:
    """The last stderr lines worth showing an editor (no empty lines)."""
    kept = [ln for ln in lines if ln.strip()]
    return "\n".join(kept[-keep:])
