"""Attendance: intervals become minutes; the export for instructors and staff."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import enrolled_user_ids
from lms.kernel.errors import Forbidden
from virtual_classes.data import (
    AbsenteeData,
    AttendanceRowData,
    AttendanceSource,
    Viewer,
)
from virtual_classes.models import AttendanceInterval, LiveClass
from virtual_classes.selectors.permissions import live_class_row, may_see_attendance

Span = tuple[dt.datetime, dt.datetime]


def _merged_seconds(spans: list[Span], start: dt.datetime, end: dt.datetime) -> float:
    """Seconds covered by the union of spans, clipped to [start, end]."""
    clipped = sorted(
        (max(a, start), min(b, end)) for a, b in spans if min(b, end) > max(a, start)
    )
    total = 0.0
    current: Span | None = None
    for a, b in clipped:
        if current is None or a > current[1]:
            if current is not None:
                total += (current[1] - current[0]).total_seconds()
            current = (a, b)
        else:
            current = (current[0], max(current[1], b))
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return total


def minutes_of(
    *, live_class: LiveClass, now: dt.datetime | None = None
) -> dict[int, int]:
    """Whole minutes each person attended between the start and the real end.

    Overlapping intervals (two tabs, classroom plus Jitsi) count once.
    """
    now = now or timezone.now()
    end = min(live_class.effective_end, now)
    spans: dict[int, list[Span]] = {}
    for user_id, joined, left in AttendanceInterval.objects.filter(
        live_class=live_class
    ).values_list("user_id", "joined_at", "left_at"):
        spans.setdefault(user_id, []).append((joined, left or now))
    return {
        user_id: int(_merged_seconds(s, live_class.starts_at, end) // 60)
        for user_id, s in spans.items()
    }


def attendance_minutes(
    *, live_class_id: int, now: dt.datetime | None = None
) -> dict[int, int]:
    """Minutes attended, by user id (see `minutes_of`)."""
    return minutes_of(live_class=live_class_row(live_class_id=live_class_id), now=now)


def present_user_ids(*, live_class_id: int) -> list[int]:
    """Who has an open classroom connection now (each once)."""
    return list(
        AttendanceInterval.objects.filter(
            live_class_id=live_class_id,
            source=AttendanceSource.CLASSROOM,
            left_at__isnull=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def attendance_rows(
    *, live_class_id: int, user: Viewer | None
) -> list[AttendanceRowData]:
    """One row per person who attended, by name: for the class's instructor and
    ministry staff only (Forbidden for anyone else, NotFound for no such class)."""
    live_class = live_class_row(live_class_id=live_class_id)
    if not may_see_attendance(user=user, live_class=live_class):
        raise Forbidden(_("Only the instructor and ministry staff see this."))
    minutes = minutes_of(live_class=live_class)
    spans: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    for user_id, joined, left in live_class.attendance.values_list(
        "user_id", "joined_at", "left_at"
    ):
        spans.setdefault(user_id, []).append((joined, left))
    users = get_user_model().objects.in_bulk(list(spans))
    rows = []
    for user_id, items in spans.items():
        person = users.get(user_id)
        lefts = [b for _a, b in items]
        closed = [b for b in lefts if b is not None]
        rows.append(
            AttendanceRowData(
                user_id=user_id,
                name=str(getattr(person, "display_name", "")) or str(user_id),
                username=str(getattr(person, "username", "")),
                first_joined_at=min(a for a, _b in items),
                last_left_at=None if len(closed) < len(lefts) else max(closed),
                minutes=minutes.get(user_id, 0),
                instructor=user_id == live_class.instructor_id,
            )
        )
    rows.sort(key=lambda r: r.name)
    return rows


def attendance_absentees(
    *, live_class_id: int, user: Viewer | None
) -> list[AbsenteeData]:
    """The trainees enrolled in the class's course who never joined it, by name;
    the same readers as attendance_rows (Forbidden otherwise)."""
    live_class = live_class_row(live_class_id=live_class_id)
    if not may_see_attendance(user=user, live_class=live_class):
        raise Forbidden(_("Only the instructor and ministry staff see this."))
    joined = set(live_class.attendance.values_list("user_id", flat=True))
    missing = set(enrolled_user_ids(course_id=live_class.course_id)) - joined
    missing.discard(live_class.instructor_id)
    people = get_user_model().objects.filter(pk__in=missing)
    return sorted(
        (
            AbsenteeData(
                user_id=p.pk, name=str(p.display_name), username=str(p.username)
            )
            for p in people
        ),
        key=lambda a: a.name,
    )
