"""Reads of the outbox."""

from __future__ import annotations

from lms.kernel.models import Notification
from lms.kernel.notifications.data import NotificationData


def notifications_for(
    *, user_id: int, kind: str | None = None, limit: int | None = None
) -> list[NotificationData]:
    """The notices written for one person, newest first (at most `limit`)."""
    rows = Notification.objects.filter(user_id=user_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    rows = rows.order_by("-created_at", "-id")
    return [_data(row) for row in (rows[:limit] if limit else rows)]


def _data(row: Notification) -> NotificationData:
    return NotificationData(
        id=row.pk,
        kind=row.kind,
        subject=row.subject,
        text=row.text,
        link=row.link,
        channel=row.channel,
        status=row.status,
        created_at=row.created_at,
        sent_at=row.sent_at,
        status_label=str(row.get_status_display()),
    )
