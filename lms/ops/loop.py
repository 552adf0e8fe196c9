"""The periodic loop that lives inside every `task_worker` process.

A daemon thread that, every `TASKS_SWEEP_EVERY_S`, enqueues one `sweep` task unless
another worker process already did in this interval. It only enqueues: the sweep
itself runs as an ordinary task, so a worker that cannot run tasks never records a
heartbeat. No cron, no extra process.
"""

from __future__ import annotations

import logging
import threading

from django.db import connections

from lms.ops.heartbeat import sweep_enqueue_claim, sweep_every_s

logger = logging.getLogger(__name__)


def sweep_enqueue_once() -> bool:
    """Enqueue a sweep if no process did in this interval; True when this one did."""
    from lms.ops.tasks import sweep

    try:
        if not sweep_enqueue_claim():
            return False
        sweep.enqueue()
        return True
    except Exception:  # noqa: BLE001 - the next tick tries again (Redis may be back)
        logger.exception("could not enqueue the periodic sweep")
        return False
    finally:
        connections.close_all()  # this thread's connections; the next tick reopens


class SweepLoop(threading.Thread):
    """Daemon thread: a sweep enqueue at start, then one per interval until stopped."""

    def __init__(self, every_s: float | None = None) -> None:
        super().__init__(name="maharat-sweep-loop", daemon=True)
        self.every_s = every_s or sweep_every_s()
        self._stopped = threading.Event()

    def run(self) -> None:
        while True:
            sweep_enqueue_once()
            if self._stopped.wait(self.every_s):
                return

    def stop(self) -> None:
        self._stopped.set()
