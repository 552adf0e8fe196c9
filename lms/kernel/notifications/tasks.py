"""Background delivery of written notices (ids in, idempotent)."""

from __future__ import annotations

from django_tasks import task


@task()
def notification_deliver(notification_id: int) -> str:
    """Deliver one notice on its recipient's channel; a sent one is not sent again."""
    from lms.kernel.notifications.delivery import deliver

    return deliver(notification_id=notification_id)
