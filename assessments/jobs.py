"""Background work the services ask for, without importing the tasks.

A task runs a service (`assessments.tasks` imports `assessments.services`), so the
services never import the tasks: they announce here what must run later, and the
receiver in `assessments.tasks` (connected when the app is ready) enqueues it once
the transaction commits. `.importlinter` keeps the direction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.dispatch import Signal

from assessments.models import deadline_grace

# Sent after the commit with `attempt_id` and `run_after` (just after the deadline,
# grace included): the attempt must be submitted then if the trainee has not.
auto_submit_requested = Signal()


def auto_submit_request(*, attempt_id: int, deadline_at: dt.datetime) -> None:
    """Ask for the attempt to be submitted at its deadline, once this commits."""
    run_after = deadline_at + deadline_grace() + dt.timedelta(seconds=1)
    transaction.on_commit(
        lambda: auto_submit_requested.send(
            sender=None, attempt_id=attempt_id, run_after=run_after
        )
    )
