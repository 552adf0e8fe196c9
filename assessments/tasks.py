"""Background work: submit an attempt at its deadline (ids in, idempotent).

Tasks run services; the services ask for a task through `assessments.jobs` (they
never import this module), and `schedule_auto_submit` below answers them.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.dispatch import receiver
from django_tasks import task

from assessments import jobs, services
from lms.kernel.tasks import enqueue

logger = logging.getLogger(__name__)


@task()
def attempt_auto_submit(attempt_id: int) -> bool:
    """Submit the attempt once its deadline has passed; early or repeat runs: no-op."""
    return services.attempt_expire_if_due(attempt_id=attempt_id)


@task()
def attempts_expire_overdue_task() -> int:
    """Safety net: submit every attempt whose deadline has passed."""
    return services.attempts_expire_overdue()


@receiver(jobs.auto_submit_requested, dispatch_uid="assessments_auto_submit")
def schedule_auto_submit(
    sender: Any, *, attempt_id: int, run_after: dt.datetime, **kwargs: Any
) -> None:
    """Enqueue the auto-submit for `run_after` (just after the deadline).

    Backends that cannot defer (the immediate one used in tests) get nothing here:
    every read of an overdue attempt submits it, and so does the overdue sweep.
    """
    if not attempt_auto_submit.get_backend().supports_defer:
        return
    try:
        enqueue(attempt_auto_submit.using(run_after=run_after), attempt_id)
    except Exception:  # noqa: BLE001 - the sweep and lazy expiry still cover it
        logger.exception("could not schedule auto-submit for attempt %s", attempt_id)
