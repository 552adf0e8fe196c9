"""Writing notices: one outbox row per recipient, delivered in the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from lms.kernel.models import Notification
from lms.kernel.notifications.channels import channel_for
from lms.kernel.notifications.data import Notice

MAX_KIND = 60

# Kinds that reach people who chose "only on the site": missing them costs a trip.
ESSENTIAL_KINDS = frozenset({"class_cancelled", "class_rescheduled"})


@transaction.atomic
def notify(
    *,
    user_ids: Sequence[int],
    kind: str,
    compose: Callable[[], Notice],
    essential: bool | None = None,
) -> int:
    """Write a notice for each active account in `user_ids` (in the caller's
    transaction: a rolled-back change notifies nobody) and deliver each once it
    commits, on the channel the person chose (lms/kernel/notifications/channels.py).
    `kind` names the occasion ("class_cancelled"); `compose` is called with each
    recipient's language active; `essential` (default: the kind is in
    ESSENTIAL_KINDS) sends it also to those who chose the site only. Returns how many
    notices were written."""
    if essential is None:
        essential = kind in ESSENTIAL_KINDS
    if not kind or len(kind) > MAX_KIND:
        raise ValueError(f"notification kind must be 1-{MAX_KIND} characters: {kind!r}")
    users = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True)
    written = []
    for user in users.order_by("pk"):
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            notice = compose()
        if notice.link and (not notice.link.startswith("/") or notice.link[:2] == "//"):
            raise ValueError(f"a notice's link is a path on this site: {notice.link!r}")
        channel = channel_for(user, essential=essential)
        written.append(
            Notification(
                user=user,
                kind=kind,
                subject=str(notice.subject)[:200],
                text=str(notice.text),
                link=notice.link,
                channel=channel,
                status=Notification.Status.PENDING
                if channel
                else Notification.Status.SITE_ONLY,
            )
        )
    Notification.objects.bulk_create(written)
    for row in written:
        if row.channel:
            transaction.on_commit(partial(_deliver_later, row.pk))
    return len(written)


def _deliver_later(notification_id: int) -> None:
    """Hand the notice to the background delivery (notifications/tasks.py)."""
    from lms.kernel.notifications.tasks import notification_deliver
    from lms.kernel.tasks import enqueue

    enqueue(notification_deliver, notification_id)
