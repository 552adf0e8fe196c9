"""Delivering one notice: the channel is chosen, the notice sent, the row updated.

(First wave: the outbox only; the channels - e-mail, SMS gateway, console - come
with the notifications work of issue #17.)"""

from __future__ import annotations

from lms.kernel.models import Notification


def deliver(*, notification_id: int) -> str:
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None:
        return "gone"
    return row.status
