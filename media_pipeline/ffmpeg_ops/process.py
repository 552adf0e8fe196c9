"""Running ffmpeg: `-progress pipe:1` blocks parsed into progress, stderr kept.

`on_progress` is called for each block and may raise `Cancelled` to stop the run.
"""

from __future__ import annotations

import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from media_pipeline.ffmpeg_ops.probing import to_float


class Cancelled(Exception):
    """The job was cancelled or superseded while ffmpeg ran."""


@dataclass
class Progress:
    out_time_s: float = 0.0
    speed: float | None = None
    done: bool = False
    fields: dict[str, str] = field(default_factory=dict)

    def percent(self, duration_s: float) -> float:
        if self.done:
            return 100.0
        if duration_s <= 0:
            return 0.0
        return max(0.0, min(99.9, 100.0 * self.out_time_s / duration_s))


def parse_progress(lines: Iterable[str]) -> Iterable[Progress]:
    """Turn `-progress pipe:1` key=value lines into one Progress per block."""
    current: dict[str, str] = {}
    for raw in lines:
        line = raw.strip()
        if "=" not in line:
            continue
        key, value = line.split("=", 1)
        current[key] = value
        if key != "progress":
            continue
        yield _progress_from(current)
        current = {}


def _progress_from(block: dict[str, str]) -> Progress:
    out_us = block.get("out_time_us") or block.get("out_time_ms")  # both are µs
    out_time = (to_float(out_us) or 0.0) / 1_000_000
    speed_text = block.get("speed", "").rstrip("x").strip()
    return Progress(
        out_time_s=max(out_time, 0.0),
        speed=to_float(speed_text),
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
) -> RunResult:
    """Run ffmpeg, report progress blocks; `on_progress` may raise Cancelled to stop."""
    proc = subprocess.Popen(  # noqa: S603 - argv list built from our own plan
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stderr_lines: deque[str] = deque(maxlen=200)
    reader = threading.Thread(
        target=_drain, args=(proc.stderr, stderr_lines), daemon=True
    )
    reader.start()
    last = Progress()
    try:
        assert proc.stdout is not None
        text = (raw.decode("utf-8", "replace") for raw in proc.stdout)
        for progress in parse_progress(text):
            last = progress
            on_progress(progress)
    except BaseException:
        proc.kill()
        proc.wait()
        reader.join(timeout=5)
        raise
    proc.wait()
    reader.join(timeout=5)
    return RunResult(proc.returncode, _relevant(stderr_lines), last)


def _drain(pipe, sink: deque[str]) -> None:
    for raw in pipe:
        sink.append(raw.decode("utf-8", "replace").rstrip())


def _relevant(lines: Iterable[str], keep: int = 30) -> str:
    """The last stderr lines worth showing an editor (no empty lines)."""
    kept = [ln for ln in lines if ln.strip()]
    return "\n".join(kept[-keep:])
