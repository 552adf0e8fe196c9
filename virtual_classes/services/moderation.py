"""The instructor's moderation: removing or re-admitting a participant, ending the
class."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid
from virtual_classes.models import (
    AttendanceInterval,
    ClassRemoval,
    HandRaise,
    LiveClass,
    Poll,
)
from virtual_classes.selectors.permissions import live_class_row
from virtual_classes.services.attendance import attendance_report_minutes


@transaction.atomic
def participant_remove(*, live_class_id: int, user_id: int, removed_by_id: int) -> None:
    """Bar a participant from the class (they cannot come back) and close their
    attendance. Invalid for the instructor themself."""
    live_class = live_class_row(live_class_id=live_class_id)
    if user_id == live_class.instructor_id:
        raise Invalid(_("You cannot remove the instructor."))
    ClassRemoval.objects.get_or_create(
        live_class=live_class,
        user_id=user_id,
        defaults={"removed_by_id": removed_by_id},
    )
    now = timezone.now()
    HandRaise.objects.filter(
        live_class=live_class, user_id=user_id, lowered_at__isnull=True
    ).update(lowered_at=now)
    AttendanceInterval.objects.filter(
        live_class=live_class, user_id=user_id, left_at__isnull=True
    ).update(left_at=now)
    attendance_report_minutes(live_class=live_class, user_ids=[user_id])


@transaction.atomic
def participant_readmit(*, live_class_id: int, user_id: int) -> str:
    """Let a removed participant come back (they still need their usual right to
    take part); their display name. Invalid ``not_removed`` if they were not."""
    live_class = live_class_row(live_class_id=live_class_id)
    removal = (
        ClassRemoval.objects.select_related("user")
        .filter(live_class=live_class, user_id=user_id)
        .first()
    )
    if removal is None:
        raise Invalid(_("This person was not removed."), code="not_removed")
    name = str(getattr(removal.user, "display_name", ""))
    removal.delete()
    return name


@transaction.atomic
def live_class_end(*, live_class_id: int) -> None:
    """End the class: close every interval, hand and poll; report everyone's minutes.
    Ending twice changes nothing."""
    live_class = LiveClass.objects.select_for_update().get(pk=live_class_id)
    if live_class.ended_at:
        return
    now = timezone.now()
    live_class.ended_at = now
    live_class.save(update_fields=["ended_at"])
    AttendanceInterval.objects.filter(
        live_class=live_class, left_at__isnull=True
    ).update(left_at=now)
    HandRaise.objects.filter(live_class=live_class, lowered_at__isnull=True).update(
        lowered_at=now
    )
    Poll.objects.filter(live_class=live_class, closed_at__isnull=True).update(
        closed_at=now
    )
    user_ids = set(
        AttendanceInterval.objects.filter(live_class=live_class).values_list(
            "user_id", flat=True
        )
    )
    attendance_report_minutes(live_class=live_class, user_ids=sorted(user_ids))
