"""The periodic-job contract: apps register jobs, the sweep runs every one of them.

An app that has work to redo on a schedule (requeue stale runs, expire overdue
attempts, clean scratch folders) registers a function taking no argument with the
Wagtail hook ``maharat_periodic`` in its ``wagtail_hooks.py``. The function must be
idempotent and safe to run from several workers at once: the sweep runs every few
seconds and may overlap itself. lms.ops imports no app, and no app imports lms.ops.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK_NAME = "maharat_periodic"

PeriodicJob = Callable[[], object]


@dataclass(frozen=True)
class PeriodicOutcome:
    """What one periodic job did in one sweep: `ok` or `failed`, and how long."""

    name: str
    state: str
    duration_s: float


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered periodic job (hook `maharat_periodic`), in hook order."""
    return list(hooks.get_hooks(HOOK_NAME))


def job_name(job: PeriodicJob) -> str:
    return f"{getattr(job, '__module__', '?')}.{getattr(job, '__name__', '?')}"


def periodic_jobs_run() -> list[PeriodicOutcome]:
    """Run each job once; one that raises is logged and does not stop the others."""
    outcomes = []
    for job in periodic_jobs():
        name = job_name(job)
        started = time.monotonic()
        try:
            result = job()
        except Exception:  # noqa: BLE001 - isolation is the point of the sweep
            logger.exception("periodic job %s failed", name)
            state = "failed"
        else:
            if result:
                logger.info("periodic job %s: %s", name, result)
            state = "ok"
        outcomes.append(
            PeriodicOutcome(name, state, round(time.monotonic() - started, 3))
        )
    return outcomes
