"""Background work the services and the import runs ask for, without importing the
tasks.

A task runs the import, which writes through the services, so nothing below the tasks
imports them: `import_run_request` announces the run once the transaction commits, and
the receiver in registry.tasks (connected when the app is ready) enqueues it.
`.importlinter` keeps the direction.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Sent after the commit with `job_id` and `run_token`.
import_run_requested = Signal()


def import_run_request(*, job_id: int, run_token: str) -> None:
    """Ask for the job's run holding `run_token`, once this commits."""
    transaction.on_commit(
        lambda: import_run_requested.send(
            sender=None, job_id=job_id, run_token=run_token
        )
    )


# Sent after the commit with `batch_id`: a large batch's approval is to run.
batch_approval_requested = Signal()


def batch_approval_request(*, batch_id: int) -> None:
    """Ask for the background approval of the batch, once this commits."""
    transaction.on_commit(
        lambda: batch_approval_requested.send(sender=None, batch_id=batch_id)
    )
