"""Reads of the outbox."""

from __future__ import annotations

from lms.kernel.models import Notification
from lms.kernel.notifications.data import NotificationData


def notifications_for(
    *, user_id: int, kind: str | None = None
) -> list[NotificationData]:
    """The notices written for one person, newest first."""
    rows = Notification.objects.filter(user_id=user_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return [_data(row) for row in rows.order_by("-created_at", "-id")]


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
    )
