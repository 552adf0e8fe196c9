"""Background work of live classes (django_tasks): take ids, stay idempotent.

Tasks import services, never the reverse: services announce work through
``signals.py`` and ``jobs.py`` enqueues these tasks once the transaction commits.
"""

from __future__ import annotations

from django_tasks import task

from virtual_classes import services


@task()
def recording_fetch(event_id: int) -> None:
    """Download a recording from Jitsi and hand it to the media pipeline."""
    services.recording_fetch(event_id=event_id)


@task()
def class_reminders_due(within_min: int) -> int:
    """Send the reminders that are due; enqueued to run `within_min` before a class.

    Idempotent (each class is claimed once), so a duplicate run or the cron command
    `send_class_reminders` running as well sends nothing twice.
    """
    sent = services.class_reminders_send(within_min=within_min)
    return sum(reminder.recipients for reminder in sent)
