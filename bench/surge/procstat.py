"""CPU seconds of groups of processes, read from /proc while a load test runs.

Groups are decided per process: a session led by a known pid (ctl.sh starts every
server process in its own session: web nodes, workers, nginx, Redis; the load
generator is started in one too), or a PostgreSQL backend serving one database
(its title names the database). A sampler thread reads every process's
utime+stime every SAMPLE_S, so a process that exits during the run keeps what it
had used at its last sample; processes that started before are counted from their
first sample, the others from zero. A session's reaped children (RQ's work horses)
are in their parent's cutime/cstime, which is counted too.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_S = 0.5


def _stat(pid: str) -> tuple[str, int, int, int, int] | None:
    """(comm, session id, start time, own ticks, reaped children's ticks)."""
    try:
        line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = line[line.index("(") + 1 : line.rindex(")")]
    rest = line[line.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state): session 6, utime 14, stime 15, cutime 16, cstime 17,
    # starttime 22
    session, start = int(rest[3]), int(rest[19])
    own = int(rest[11]) + int(rest[12])
    children = int(rest[13]) + int(rest[14])
    return comm, session, start, own, children


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def system_busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (all cores)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


class CpuSampler:
    """Sum CPU per group between start() and stop().

    `sessions` maps a session leader's pid to its group; `databases` maps a
    PostgreSQL database name to a group (its backends). Call `sessions_of` again
    while running if leaders change (they are read each sample)."""

    def __init__(
        self,
        sessions_of: Callable[[], dict[int, str]],
        databases: dict[str, str] | None = None,
    ) -> None:
        self.sessions_of = sessions_of
        self.databases = databases or {}
        self.first: dict[tuple[int, int], int] = {}
        self.last: dict[tuple[int, int], int] = {}
        self.group: dict[tuple[int, int], str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.wall_s = 0.0
        self.system_s = 0.0

    def _sample(self, *, baseline: bool) -> None:
        sessions = self.sessions_of()
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            stat = _stat(pid)
            if stat is None:
                continue
            comm, session, start, own, children = stat
            key = (int(pid), start)
            group = self.group.get(key)
            if group is None:
                group = sessions.get(session)
                if group is None and comm.startswith("postgres"):
                    title = _cmdline(pid)
                    group = next(
                        (g for db, g in self.databases.items() if f" {db} " in title),
                        None,
                    )
                if group is None:
                    continue
                self.group[key] = group
                self.first[key] = own + children if baseline else 0
            self.last[key] = own + children

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self._sample(baseline=False)

    def start(self) -> None:
        self._started = time.monotonic()
        self._system = system_busy_s()
        self._sample(baseline=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._sample(baseline=False)
        self.wall_s = time.monotonic() - self._started
        self.system_s = system_busy_s() - self._system
        return self.totals()

    def totals(self) -> dict[str, float]:
        seconds: dict[str, float] = defaultdict(float)
        for key, group in self.group.items():
            seconds[group] += (self.last[key] - self.first[key]) / TICK
        return dict(seconds)


def ctl_sessions(
    state_dir: Path, groups: dict[str, str]
) -> Callable[[], dict[int, str]]:
    """Session leaders from ctl.sh's pid files (`run/NAME.pid`), NAME → group."""

    def read() -> dict[int, str]:
        found = {}
        for name, group in groups.items():
            try:
                found[int((state_dir / "run" / f"{name}.pid").read_text())] = group
            except (OSError, ValueError):
                continue
        return found

    return read
