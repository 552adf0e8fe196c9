"""The RQ worker `task_worker` runs: RQ's own, with a scheduler lock that follows the
death of its holder.

RQ's scheduler (one per queue across all workers, in a process forked by a worker)
holds `rq:scheduler-lock:<queue>`, set to its name with a TTL of `interval + 60` s
(61 s) and refreshed every `interval` (1 s) with the `rq:scheduler:<name>` hash (pid,
hostname). A worker killed with SIGKILL cannot release it, and another worker tries
the lock only at start-up and in RQ's maintenance, which runs every
`maintenance_interval` (10 minutes by default) and only between jobs: after a kill and
a restart, deferred tasks (`run_after`: exam auto-submit, reminders) waited up to ~10
minutes. This worker:

- at start-up and then every `TASKS_RQ_MAINTENANCE_S` (between jobs and while a long
  job runs), releases a lock whose holder is dead, atomically and only while it still
  names that holder (RQ's own `release_lock` script); RQ's `acquire_locks` then takes
  it and starts the scheduler;
- takes a holder for dead when it has not refreshed its lock for `SILENT_S`, or, on
  this host, when the process its scheduler hash names is gone (after `3 × interval`:
  a holder that is alive refreshes every interval, so a host-name clash between
  containers cannot steal a live lock);
- runs RQ's maintenance (registry clean-up: jobs of dead workers are failed; scheduler
  restart) every `TASKS_RQ_MAINTENANCE_S` instead of every 10 minutes, and waits for
  jobs at most that long so the maintenance is not held up by an idle wait.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from redis import Redis
from rq import Worker
from rq.executions import Execution
from rq.job import Job
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.scripts import release_lock
from rq.utils import decode_redis_hash

logger = logging.getLogger(__name__)

SILENT_S = 15.0  # a live scheduler refreshes its lock every second
SCHEDULER_INTERVAL_S = 1  # RQScheduler's default, which RQ's worker uses


@dataclass(frozen=True)
class LockHolder:
    """Who holds a queue's scheduler lock, and how long it has been silent."""

    queue: str
    name: str
    silent_s: float
    hostname: str
    pid: int | None


def scheduler_lock_holder(
    connection: Redis, queue: str, *, interval: int = SCHEDULER_INTERVAL_S
) -> LockHolder | None:
    """The holder of `queue`'s scheduler lock, or None when nobody holds it."""
    key = RQScheduler.get_locking_key(queue)
    with connection.pipeline(transaction=False) as pipe:
        pipe.get(key)
        pipe.pttl(key)
        name, pttl_ms = pipe.execute()
    if name is None or pttl_ms < 0:
        return None  # free, or not a lock RQ set (RQ's always has a TTL)
    name = name.decode() if isinstance(name, bytes) else str(name)
    raw = cast(dict, connection.hgetall(SCHEDULER_KEY_TEMPLATE % name))
    info = decode_redis_hash(raw, decode_values=True)
    pid = info.get("pid", "")
    return LockHolder(
        queue=queue,
        name=name,
        silent_s=max(0.0, interval + 60 - pttl_ms / 1000),
        hostname=info.get("hostname", ""),
        pid=int(pid) if pid.isdigit() else None,
    )


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def holder_is_dead(holder: LockHolder, *, interval: int = SCHEDULER_INTERVAL_S) -> bool:
    if holder.silent_s >= SILENT_S:
        return True
    if holder.pid is None or holder.hostname != socket.gethostname():
        return False  # another host (or not yet registered): only silence tells
    return holder.silent_s >= 3 * interval and not _process_exists(holder.pid)


def scheduler_locks_release_dead(
    connection: Redis,
    queues: list[str],
    *,
    interval: int = SCHEDULER_INTERVAL_S,
    settle_s: float = 0.0,
) -> list[str]:
    """Release the scheduler locks of `queues` whose holder is dead; the queues freed.

    `settle_s`: at start-up, a holder on this host whose process is gone but that
    wrote its lock less than `3 × interval` ago is looked at again once that time has
    passed (at most `settle_s`), rather than at the next maintenance.
    """
    freed = []
    for queue in queues:
        holder = scheduler_lock_holder(connection, queue, interval=interval)
        if holder is None:
            continue
        wait_s = 3 * interval - holder.silent_s
        if (
            settle_s
            and 0 < wait_s <= settle_s
            and holder.pid is not None
            and holder.hostname == socket.gethostname()
            and not _process_exists(holder.pid)
        ):
            time.sleep(wait_s + 0.1)
            holder = scheduler_lock_holder(connection, queue, interval=interval)
            if holder is None:
                continue
        if not holder_is_dead(holder, interval=interval):
            continue
        if release_lock(connection, RQScheduler.get_locking_key(queue), holder.name):
            logger.warning(
                "scheduler lock of queue %s released: its holder %s (pid %s on %s) "
                "is dead, silent for %.0f s",
                queue,
                holder.name,
                holder.pid,
                holder.hostname or "?",
                holder.silent_s,
            )
            freed.append(queue)
    return freed


class TaskWorker(Worker):
    """RQ's forking worker; see the module's docstring for what it adds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "maintenance_interval", max(1, int(settings.TASKS_RQ_MAINTENANCE_S))
        )
        super().__init__(*args, **kwargs)
        self._scheduler_checked_at = 0.0

    @property
    def dequeue_timeout(self) -> int:
        return max(1, min(self.worker_ttl - 15, int(self.maintenance_interval)))

    def _start_scheduler(self, *args: Any, **kwargs: Any) -> None:
        self._release_dead_scheduler_locks(settle_s=3 * SCHEDULER_INTERVAL_S + 1)
        super()._start_scheduler(*args, **kwargs)

    def run_maintenance_tasks(self) -> None:
        """Between jobs: free dead holders' locks, then RQ's maintenance (which
        takes a free lock and starts the scheduler when this one is not running)."""
        if self.scheduler is not None and not self._scheduler_running():
            self._release_dead_scheduler_locks()
        super().run_maintenance_tasks()

    def maintain_heartbeats(self, job: Job, execution: Execution) -> None:
        """While a job runs (every job_monitoring_interval): the scheduler's part of
        the maintenance, so an hour-long transcode does not leave a queue without
        its scheduler for an hour."""
        super().maintain_heartbeats(job, execution)
        due = time.monotonic() - self._scheduler_checked_at >= self.maintenance_interval
        if self.is_horse or self.scheduler is None or not due:
            return
        if not self._scheduler_running():
            self._release_dead_scheduler_locks()
            self.scheduler.acquire_locks(auto_start=True)

    def _scheduler_running(self) -> bool:
        process = self.scheduler._process if self.scheduler is not None else None
        return bool(process is not None and process.is_alive())

    def _release_dead_scheduler_locks(self, *, settle_s: float = 0.0) -> list[str]:
        self._scheduler_checked_at = time.monotonic()
        try:
            return scheduler_locks_release_dead(
                self.connection, self.queue_names(), settle_s=settle_s
            )
        except Exception:  # noqa: BLE001 - Redis may be away; RQ's loop copes with that
            logger.exception("could not check the scheduler locks")
            return []
