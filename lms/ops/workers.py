"""Which worker runs the configured task backend, with the options it needs.

The RQ backend's jobs only run with django-tasks' job class (without it every job
fails with "'Task' object is not callable") and deferred tasks (`run_after`) only
with RQ's scheduler; both are set here so no deployment can forget them, with the
worker class that takes over the scheduler lock of a killed worker (rq_worker.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import task_backends

RQ_JOB_CLASS = "django_tasks_rq.backend.Job"
# RQ's worker, plus a scheduler lock that follows its holder's death (rq_worker.py).
RQ_WORKER_CLASS = "lms.ops.rq_worker.TaskWorker"


def backend_kind(alias: str = "default") -> str:
    """'rq', 'db' or the backend's class path (a backend that needs no worker)."""
    backend = task_backends[alias]
    path = f"{type(backend).__module__}.{type(backend).__name__}"
    if path.startswith("django_tasks_rq"):
        return "rq"
    if path.startswith("django_tasks_db"):
        return "db"
    return path


def needs_worker(alias: str = "default") -> bool:
    return backend_kind(alias) in {"rq", "db"}


def queues_check(queues: list[str], alias: str = "default") -> list[str]:
    """The queues asked for, refused with a clear message when one is unknown."""
    known = set(task_backends[alias].queues or settings.TASK_QUEUES)
    unknown = [q for q in queues if q not in known]
    if unknown or not queues:
        raise CommandError(
            f"Unknown task queue(s) {unknown or queues}; known: {sorted(known)}"
        )
    return queues


def worker_run(queues: list[str], *, verbosity: int = 1, alias: str = "default"):
    """Run the backend's worker on `queues` until it is stopped (blocks)."""
    kind = backend_kind(alias)
    if kind == "rq":
        call_command(
            "rqworker",
            *queues,
            job_class=RQ_JOB_CLASS,
            worker_class=RQ_WORKER_CLASS,
            with_scheduler=True,
            worker_ttl=settings.TASKS_RQ_WORKER_TTL_S,
            verbosity=verbosity,
        )
    elif kind == "db":
        from lms.ops.db_worker import db_worker_run

        db_worker_run(queues, verbosity=verbosity, alias=alias)
    else:
        raise CommandError(
            f"The task backend {kind} runs tasks without a worker; "
            "set REDIS_URL (RQ) or use the database backend."
        )
