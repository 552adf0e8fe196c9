"""Delivering one notice: claim the row, send it on its channel, record the outcome.

Idempotent and safe against a killed worker: a worker first claims the pending row
(one UPDATE; a second worker or a second enqueue finds nothing to claim), sends,
then marks it sent with the provider's id. A worker killed in between leaves the row
pending and claimed; once the claim is older than NOTIFICATIONS_STALE_AFTER_S the
sweep (`notifications_requeue`, hook `maharat_periodic`) hands it out again. (A kill
after the gateway took the message and before the row was marked can send it twice:
delivery is at least once.) A transient refusal is tried again after a growing delay,
NOTIFICATIONS_MAX_ATTEMPTS times in all; then, or at once for a permanent refusal,
the row is failed with the error's code. Logs name the notice's id, never the
recipient's number or the text.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from lms.kernel.models import Notification
from lms.kernel.notifications.channels import CHANNELS
from lms.kernel.notifications.gateways import GatewayError

logger = logging.getLogger("lms.notifications")

Status = Notification.Status


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s, 2 min, 8 min, ... (NOTIFICATIONS_RETRY_BASE_S × 4^(n-1)), at most 6 h."""
    base = float(getattr(settings, "NOTIFICATIONS_RETRY_BASE_S", 30))
    return dt.timedelta(seconds=min(base * 4 ** max(attempts - 1, 0), 6 * 3600))


def _stale_before(now: dt.datetime) -> dt.datetime:
    stale_s = int(getattr(settings, "NOTIFICATIONS_STALE_AFTER_S", 300))
    return now - dt.timedelta(seconds=stale_s)


def _claimable(now: dt.datetime) -> Q:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=_stale_before(now))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return Q(status=Status.PENDING) & ~Q(channel="") & free & due


def deliver(*, notification_id: int) -> str:
    """Send one notice if it is still waiting; returns its status afterwards (or
    "gone", or "busy" when another worker holds it or its retry is not due)."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = Notification.objects.filter(_claimable(now), pk=notification_id).update(
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None:
        return "gone"
    if not claimed:
        return row.status if row.status != Status.PENDING else "busy"
    return _send(row, token)


def _send(row: Notification, token: str) -> str:
    mine = Notification.objects.filter(pk=row.pk, claim_token=token)
    user = get_user_model().objects.filter(pk=row.user_id).first()
    channel = CHANNELS.get(row.channel)
    try:
        if user is None or channel is None or not channel.address(user):
            raise GatewayError(
                "no_address", "no address on this channel", transient=False
            )
        ref = channel.send(row, user)
    except GatewayError as exc:
        return _failed(row, mine, exc)
    mine.update(
        status=Status.SENT,
        sent_at=timezone.now(),
        provider_ref=ref[:200],
        error="",
        claim_token="",
        claimed_at=None,
    )
    logger.info("notification %s sent by %s (%s)", row.pk, row.channel, ref)
    return Status.SENT


def _failed(row: Notification, mine: QuerySet[Notification], exc: GatewayError) -> str:
    attempts = row.attempts
    error = f"{exc.code}: {exc.message}"[:300]
    if exc.transient and attempts < max_attempts():
        delay = retry_delay(attempts)
        mine.update(
            error=error,
            next_attempt_at=timezone.now() + delay,
            claim_token="",
            claimed_at=None,
        )
        logger.warning(
            "notification %s by %s: attempt %s failed (%s); again in %ss",
            row.pk,
            row.channel,
            attempts,
            exc.code,
            int(delay.total_seconds()),
        )
        return Status.PENDING
    mine.update(status=Status.FAILED, error=error, claim_token="", claimed_at=None)
    logger.error(
        "notification %s by %s failed after %s attempt(s): %s",
        row.pk,
        row.channel,
        attempts,
        exc.code,
    )
    return Status.FAILED


def notifications_requeue(*, limit: int = 500) -> int:
    """Enqueue delivery of every notice that is waiting and may be claimed: a retry
    now due, a killed worker's claim gone stale, or one whose enqueue was lost (left
    a minute, for the after-commit enqueue of a fresh row). Returns how many."""
    from lms.kernel.notifications.tasks import notification_deliver
    from lms.kernel.tasks import enqueue

    now = timezone.now()
    fresh = Q(
        attempts=0,
        claimed_at__isnull=True,
        created_at__gt=now - dt.timedelta(minutes=1),
    )
    ids = list(
        Notification.objects.filter(_claimable(now))
        .exclude(fresh)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        enqueue(notification_deliver, pk)
    return len(ids)
