"""Enqueueing: the services' announcements (``signals.py``) become queued tasks.

Connected in ``apps.py``. Work is enqueued after the transaction that announced it
commits (``lms.kernel.tasks``: a queue outage is logged, never a failed request).
Layering inside the app (``.importlinter``): jobs → tasks → services → selectors →
models, so no service ever imports a task.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import default_task_backend

from lms.kernel.tasks import enqueue, enqueue_on_commit
from virtual_classes import tasks
from virtual_classes.services import reminder_lead_min
from virtual_classes.signals import class_scheduled, recording_announced


@receiver(class_scheduled, dispatch_uid="virtual_classes.jobs.reminder_schedule")
def reminder_schedule(
    sender: Any, *, live_class_id: int, starts_at: dt.datetime, **kwargs: Any
) -> None:
    """Queue the class's reminder for `VIRTUAL_CLASSES_REMINDER_MIN` before its start.

    Needs a task backend that can defer (the database queue of `make run`, RQ in
    production); with one that cannot (the immediate backend of the tests) the cron
    command `send_class_reminders` and the periodic sweep send them.
    """
    transaction.on_commit(lambda: _reminder_enqueue(starts_at))


def _reminder_enqueue(starts_at: dt.datetime) -> None:
    if not default_task_backend.supports_defer:
        return
    lead = reminder_lead_min()
    run_after = starts_at - dt.timedelta(minutes=lead)
    task = tasks.class_reminders_due
    if run_after > timezone.now():
        task = task.using(run_after=run_after)
    enqueue(task, lead)


@receiver(recording_announced, dispatch_uid="virtual_classes.jobs.recording_fetch")
def recording_fetch_schedule(sender: Any, *, event_id: int, **kwargs: Any) -> None:
    """Download the recording once the notification that announced it is stored."""
    enqueue_on_commit(tasks.recording_fetch, event_id)
