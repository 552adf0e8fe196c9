"""The kernel's periodic job: notices left waiting are handed out again."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("maharat_periodic")
def notifications_requeue_waiting() -> int:
    """Retries now due and notices a killed worker held are enqueued again."""
    from lms.kernel.notifications.delivery import notifications_requeue

    return notifications_requeue()
