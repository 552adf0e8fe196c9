"""Writing notices: one outbox row per recipient, delivered in the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from lms.kernel.models import Notification
from lms.kernel.notifications.data import Notice

MAX_KIND = 60


@transaction.atomic
def notify(*, user_ids: Sequence[int], kind: str, compose: Callable[[], Notice]) -> int:
    """Write a notice for each active account in `user_ids` (in the caller's
    transaction: a rolled-back change notifies nobody) and deliver each once it
    commits. `kind` names the occasion ("class_cancelled"); `compose` is called with
    each recipient's language active. Returns how many notices were written."""
    if not kind or len(kind) > MAX_KIND:
        raise ValueError(f"notification kind must be 1-{MAX_KIND} characters: {kind!r}")
    users = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True)
    written = []
    for user in users.order_by("pk"):
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            notice = compose()
        written.append(
            Notification(
                user=user,
                kind=kind,
                subject=str(notice.subject),
                text=str(notice.text),
                link=notice.link,
            )
        )
    Notification.objects.bulk_create(written)
    for row in written:
        transaction.on_commit(partial(_deliver_later, row.pk))
    return len(written)


def _deliver_later(notification_id: int) -> None:
    """Hand the notice to the background delivery (notifications/tasks.py)."""
    from lms.kernel.notifications.tasks import notification_deliver
    from lms.kernel.tasks import enqueue

    enqueue(notification_deliver, notification_id)
