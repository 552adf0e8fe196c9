"""The server's CPU apart from the load generator's (live-class and exam benches).

On a 2-core machine the load generator competes with the server it measures, and
other work on the machine moves every wall-clock figure. CPU seconds do not move
with it: the server's processes (its session: uvicorn's supervisor and workers,
started with `start_new_session=True`) and the PostgreSQL backends serving its
database are read from /proc by bench/surge/procstat.py's sampler; the generator's
own CPU (this process, all its threads) from `resource.getrusage`. Divided by what
was delivered (messages, saved answers) they are the machine-independent figures.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass

from bench.surge.procstat import CpuSampler


def _self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    """The 1/5/15-minute load averages, printed beside each figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


@dataclass
class CpuFigures:
    server_s: float  # uvicorn supervisor + workers
    database_s: float  # PostgreSQL backends of the bench's database
    generator_s: float  # this process: the load generator
    wall_s: float
    machine_s: float  # every process on the machine, all cores
    load: str  # load averages at the end

    def per(self, count: int, seconds: float) -> float:
        """Microseconds of `seconds` per item."""
        return seconds / count * 1e6 if count else float("nan")

    def line(self, count: int, unit: str) -> str:
        """One printed line: CPU per item, then the shares of the machine."""
        others = max(
            0.0, self.machine_s - self.server_s - self.database_s - self.generator_s
        )
        return (
            f"CPU per {unit}: server {self.per(count, self.server_s):.0f} µs, "
            f"PostgreSQL {self.per(count, self.database_s):.0f} µs, "
            f"load generator {self.per(count, self.generator_s):.0f} µs "
            f"(over {self.wall_s:.1f} s: server {self.server_s:.1f} s, PostgreSQL "
            f"{self.database_s:.1f} s, generator {self.generator_s:.1f} s, other "
            f"processes {others:.1f} s of {os.cpu_count()} cores; {self.load})"
        )


class ServerCpu:
    """`with ServerCpu(server_pid, database) as cpu:` … then `cpu.figures`."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.sampler = CpuSampler(
            lambda: {server_pid: "server"}, databases={database: "database"}
        )
        self.figures: CpuFigures | None = None

    def __enter__(self) -> ServerCpu:
        self._self_cpu = _self_cpu_s()
        self._started = time.monotonic()
        self.sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        totals = self.sampler.stop()
        self.figures = CpuFigures(
            server_s=totals.get("server", 0.0),
            database_s=totals.get("database", 0.0),
            generator_s=_self_cpu_s() - self._self_cpu,
            wall_s=time.monotonic() - self._started,
            machine_s=self.sampler.system_s,
            load=load_average(),
        )
