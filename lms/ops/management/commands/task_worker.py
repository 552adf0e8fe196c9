"""`manage.py task_worker [--queues default,media]`: the one worker command.

RQ backend: an RQ worker with django-tasks' job class and the scheduler. Database
backend (laptop): `db_worker`. Either way, the periodic sweep loop runs beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from lms.ops.loop import SweepLoop
from lms.ops.workers import backend_kind, queues_check, worker_run


class Command(BaseCommand):
    help = "Run the background task worker (RQ or database) and the periodic sweep."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queues",
            default=",".join(settings.TASK_QUEUES),
            help="Comma-separated queues to work on (default: %(default)s).",
        )
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="Do not enqueue the periodic sweep from this process.",
        )

    def handle(self, *args, queues: str, no_sweep: bool, verbosity: int, **options):
        names = queues_check([q.strip() for q in queues.split(",") if q.strip()])
        if verbosity:
            self.stdout.write(
                f"task_worker: {backend_kind()} backend, queues {', '.join(names)}"
            )
        loop = None if no_sweep else SweepLoop()
        if loop is not None:
            loop.start()
        try:
            worker_run(names, verbosity=verbosity)
        finally:
            if loop is not None:
                loop.stop()
