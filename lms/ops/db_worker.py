"""The database backend's worker (laptop: no REDIS_URL), polling with back-off.

django-tasks-db's worker asks the database for a ready task every `--interval`
seconds, busy or idle. Here the wait doubles after every empty look, from
TASKS_DB_POLL_MIN_S up to TASKS_DB_POLL_MAX_S, and drops back to the minimum as soon
as a task ran: a burst of tasks is taken quickly, an idle laptop is asked once every
few seconds. A task enqueued while the worker waits the longest starts within
TASKS_DB_POLL_MAX_S.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as UpstreamCommand
from django_tasks_db.management.commands.db_worker import Worker as UpstreamWorker


class BackoffWorker(UpstreamWorker):
    """Upstream's loop, whose `interval` (read once per empty look) grows."""

    def __init__(self, *, min_interval: float, max_interval: float, **kwargs) -> None:
        self.min_interval = min_interval
        self.max_interval = max(max_interval, min_interval)
        self._next_wait = min_interval
        super().__init__(interval=min_interval, **kwargs)

    @property  # type: ignore[override]
    def interval(self) -> float:
        wait = self._next_wait
        self._next_wait = min(self.max_interval, wait * 2)
        return wait

    @interval.setter
    def interval(self, value: float) -> None:
        """Upstream sets it once in __init__: the minimum is ours."""

    def run_task(self, db_task_result) -> None:
        self._next_wait = self.min_interval
        super().run_task(db_task_result)


def db_worker_run(queues: list[str], *, verbosity: int, alias: str) -> None:
    """Run the back-off worker on `queues` until it is stopped (blocks)."""
    UpstreamCommand().configure_logging(verbosity)
    worker = BackoffWorker(
        queue_names=queues,
        min_interval=settings.TASKS_DB_POLL_MIN_S,
        max_interval=settings.TASKS_DB_POLL_MAX_S,
        batch=False,
        backend_name=alias,
        startup_delay=True,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
