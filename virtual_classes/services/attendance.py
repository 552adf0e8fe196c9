"""Attendance intervals: one per classroom connection or Jitsi participant; the
minutes they add up to go to the course's completion rule."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from courses.services import live_attendance_set
from virtual_classes.models import AttendanceInterval, LiveClass
from virtual_classes.selectors.attendance import minutes_of


@transaction.atomic
def attendance_join(
    *,
    live_class_id: int,
    user_id: int,
    source: str,
    connection_key: str,
    at: dt.datetime | None = None,
) -> bool:
    """Open an interval; True if the user was not present before (first connection)."""
    was_present = AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        user_id=user_id,
        source=source,
        left_at__isnull=True,
    ).exists()
    AttendanceInterval.objects.get_or_create(
        live_class_id=live_class_id,
        source=source,
        connection_key=connection_key,
        left_at__isnull=True,
        defaults={"user_id": user_id, "joined_at": at or timezone.now()},
    )
    return not was_present


@transaction.atomic
def attendance_leave(
    *,
    live_class_id: int,
    user_id: int,
    source: str,
    connection_key: str,
    at: dt.datetime | None = None,
) -> bool:
    """Close the interval and report the minutes; True if the user has no other open
    connection left."""
    AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        source=source,
        connection_key=connection_key,
        left_at__isnull=True,
    ).update(left_at=at or timezone.now())
    still_present = AttendanceInterval.objects.filter(
        live_class_id=live_class_id,
        user_id=user_id,
        source=source,
        left_at__isnull=True,
    ).exists()
    live_class = LiveClass.objects.get(pk=live_class_id)
    attendance_report_minutes(live_class=live_class, user_ids=[user_id])
    return not still_present


def attendance_report_minutes(*, live_class: LiveClass, user_ids: list[int]) -> None:
    """Hand trainees' minutes to the course completion rule (idempotent set)."""
    minutes = minutes_of(live_class=live_class)
    for user_id in user_ids:
        if user_id == live_class.instructor_id:
            continue
        live_attendance_set(
            user_id=user_id,
            course_id=live_class.course_id,
            source_key=f"class:{live_class.pk}",
            minutes=minutes.get(user_id, 0),
        )
