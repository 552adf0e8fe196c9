"""Enqueue background work without letting a Redis outage fail the request.

Every task here works on a row that records its own state (an import job, a video
asset, an attempt): the row is committed `queued` first, and when the queue cannot
be reached the periodic sweeper enqueues it again later. So a request that enqueues
answers as usual and the failure is logged, instead of a 500 after the commit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks.base import Task, TaskResult

from lms.kernel.redis_outage import OUTAGE_ERRORS, breaker_for

logger = logging.getLogger("lms.tasks")


def enqueue(task: Task, *args: Any, **kwargs: Any) -> TaskResult | None:
    """`task.enqueue(*args, **kwargs)`, or None (logged) when the queue's Redis is
    unreachable. A task configured with `.using(...)` is passed as such."""
    breaker = breaker_for(f"task queue {task.backend}")
    if breaker.allow():
        try:
            result = task.enqueue(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            breaker.failed(exc)
        else:
            breaker.succeeded()
            return result
    logger.warning(
        "task %s%r not enqueued (queue unreachable): the sweeper enqueues it later",
        task.module_path,
        args or kwargs,
    )
    return None


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
