"""Raised hands: a queue, oldest first."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from virtual_classes.data import HandData
from virtual_classes.models import HandRaise
from virtual_classes.selectors.classroom import hand_queue


def hand_raise(*, live_class_id: int, user_id: int) -> tuple[HandData, ...]:
    """Join the back of the queue; raising twice keeps one's place."""
    try:
        with transaction.atomic():
            HandRaise.objects.get_or_create(
                live_class_id=live_class_id, user_id=user_id, lowered_at__isnull=True
            )
    except IntegrityError:
        pass  # a concurrent raise from another tab won
    return hand_queue(live_class_id=live_class_id)


@transaction.atomic
def hand_lower(
    *, live_class_id: int, user_id: int | None = None
) -> tuple[HandData, ...]:
    """Lower one user's hand, or every hand when user_id is None."""
    qs = HandRaise.objects.filter(live_class_id=live_class_id, lowered_at__isnull=True)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    qs.update(lowered_at=timezone.now())
    return hand_queue(live_class_id=live_class_id)
