"""Is background work running? What `/healthz` asks of the task backend and workers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from lms.ops.heartbeat import sweep_every_s, sweep_is_recent, sweep_last_at
from lms.ops.workers import backend_kind


class WorkerDown(RuntimeError):
    """No worker is doing the work (the message says which part is missing)."""


def task_store_check() -> None:
    """The backend's store answers: Redis for RQ, the results table for the database."""
    kind = backend_kind()
    if kind == "db":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    elif kind == "rq":
        import django_rq

        for queue in settings.TASK_QUEUES:
            django_rq.get_connection(queue).ping()


def worker_check() -> None:
    """A recent sweep, and with RQ a live worker on every queue; else WorkerDown."""
    if backend_kind() not in {"rq", "db"}:
        return  # tasks run where they are enqueued: no worker to wait for
    if not sweep_is_recent():
        last = sweep_last_at()
        raise WorkerDown(
            "no sweep has run yet"
            if last is None
            else f"the last sweep ran {int(_now_ts() - last)} s ago "
            f"(every {sweep_every_s()} s expected)"
        )
    if backend_kind() == "rq":
        missing = [q for q in settings.TASK_QUEUES if not rq_live_workers(q)]
        if missing:
            raise WorkerDown(f"no live RQ worker listens on {', '.join(missing)}")


def rq_live_workers(queue_name: str) -> list[str]:
    """Names of RQ workers on this queue whose heartbeat is recent."""
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue(queue_name)
    # A worker beats every TTL - 15 s when idle and every ~30 s while a job runs.
    recent = dt.timedelta(seconds=max(settings.TASKS_RQ_WORKER_TTL_S, 90) + 60)
    now = dt.datetime.now(dt.UTC)
    live = []
    for worker in Worker.all(queue=queue):
        beat = worker.last_heartbeat
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=dt.UTC)
        if beat is not None and now - beat <= recent:
            live.append(worker.name)
    return live


def _now_ts() -> float:
    return dt.datetime.now(dt.UTC).timestamp()
