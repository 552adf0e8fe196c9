"""Reads about classes: one class's page, the dashboard, a course's classes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import enrollment_exists
from lms.kernel.errors import Forbidden
from virtual_classes.data import (
    ClassPageData,
    CourseClassData,
    LiveClassData,
    ParticipantRole,
    RecordingData,
    Viewer,
)
from virtual_classes.models import LiveClass, Recording
from virtual_classes.selectors.permissions import (
    live_class_row,
    may_see_attendance,
    participant_role,
    viewer_id,
)

MAX_CLASS_DURATION = dt.timedelta(minutes=480)


def live_class_data(live_class: LiveClass) -> LiveClassData:
    """The class as data (its instructor should be selected with it)."""
    return LiveClassData(
        id=live_class.pk,
        course_id=live_class.course_id,
        title=live_class.title,
        description=live_class.description,
        starts_at=live_class.starts_at,
        ends_at=live_class.ends_at,
        join_opens_at=live_class.join_opens_at,
        join_early_min=live_class.join_early_min,
        duration_min=live_class.duration_min,
        instructor_id=live_class.instructor_id,
        instructor_name=live_class.instructor.display_name,
        ended_at=live_class.ended_at,
        chat_muted=live_class.chat_muted,
        url=reverse("virtual_classes:detail", args=[live_class.pk]),
        capacity=live_class.capacity,
        cohort=live_class.cohort,
        start_audio_only=live_class.start_audio_only,
        series_id=live_class.series_id,
        cancelled_at=live_class.cancelled_at,
        cancel_reason=live_class.cancel_reason,
    )


def recording_data(recording: Recording) -> RecordingData:
    return RecordingData(
        live_class_id=recording.live_class_id,
        live_class_title=recording.live_class.title,
        video_asset_id=recording.video_asset_id,
        recorded_on=recording.created_at,
        id=recording.pk,
        published=recording.published,
    )


def live_class_get(*, live_class_id: int) -> LiveClassData:
    """One class, or NotFound."""
    return live_class_data(live_class_row(live_class_id=live_class_id))


def class_page_get(
    *, live_class_id: int, user: Viewer | None, now: dt.datetime | None = None
) -> ClassPageData:
    """The class as its page shows it; NotFound, or Forbidden for someone who may
    not take part (not enrolled, another role)."""
    now = now or timezone.now()
    live_class = live_class_row(live_class_id=live_class_id)
    role = participant_role(user=user, live_class=live_class)
    if role is None:
        raise Forbidden(_("Only trainees enrolled in the course can see it."))
    recordings = live_class.recordings.select_related("live_class").order_by(
        "created_at", "id"
    )
    if role == ParticipantRole.TRAINEE:
        recordings = recordings.filter(published=True)
    return ClassPageData(
        live_class=live_class_data(live_class),
        role=role,
        is_open=live_class.is_open_at(now),
        has_ended=live_class.ended_at is not None or live_class.ends_at <= now,
        may_see_attendance=may_see_attendance(user=user, live_class=live_class),
        recordings=tuple(recording_data(r) for r in recordings),
    )


UPCOMING_WINDOW = dt.timedelta(days=30)
# how far past the window the dashboard's read looks, to know when the next class
# comes within it (no class that far: none can come within it before then)
_HORIZON = dt.timedelta(hours=1)


def upcoming_classes_for_user(
    *, user: Viewer | None, limit: int = 5
) -> list[LiveClassData]:
    """Classes not yet over that the user teaches or is enrolled for, soonest first."""
    return upcoming_classes_until(user=user, limit=limit)[0]


def upcoming_classes_until(
    *, user: Viewer | None, limit: int = 5, now: dt.datetime | None = None
) -> tuple[list[LiveClassData], dt.datetime]:
    """`upcoming_classes_for_user`, and until when that list stays exact by itself:
    the soonest of a listed class's end and the next class coming within the 30
    days' window (a class scheduled, moved, cancelled or ended, and an enrolment,
    are changes the personal pages hear of; see virtual_classes/receivers.py)."""
    now = now or timezone.now()
    window_end = now + UPCOMING_WINDOW
    until = now + _HORIZON
    uid = viewer_id(user)
    if uid is None:
        return [], until
    candidates = (
        LiveClass.objects.filter(
            ended_at__isnull=True, starts_at__lt=window_end + _HORIZON
        )
        .select_related("instructor")
        .order_by("starts_at")
    )
    result: list[LiveClassData] = []
    allowed_courses: dict[int, bool] = {}
    for live_class in candidates.iterator():
        if live_class.starts_at >= window_end:
            # beyond the window (anyone's: no enrolment read for it): it comes
            # within it at this time; later ones later
            until = min(until, live_class.starts_at - UPCOMING_WINDOW)
            break
        if live_class.ends_at <= now:
            continue
        if live_class.instructor_id != uid:
            if live_class.course_id not in allowed_courses:
                allowed_courses[live_class.course_id] = enrollment_exists(
                    user=user, course_id=live_class.course_id
                )
            if not allowed_courses[live_class.course_id]:
                continue
        result.append(live_class_data(live_class))
        until = min(until, live_class.ends_at)
        if len(result) >= limit:
            break  # a class after these shows only once one of these ends
    return result, until


def classes_for_course(*, course_id: int) -> list[LiveClassData]:
    qs = LiveClass.objects.filter(course_id=course_id).select_related("instructor")
    return [live_class_data(c) for c in qs]


def course_upcoming_classes(
    *,
    course_id: int,
    user: Viewer | None,
    now: dt.datetime | None = None,
    limit: int = 5,
) -> list[CourseClassData]:
    """The course's classes not yet over, soonest first, with whether this viewer
    may join and whether the join window is open."""
    now = now or timezone.now()
    qs = (
        LiveClass.objects.filter(
            course_id=course_id,
            ended_at__isnull=True,
            starts_at__gt=now - MAX_CLASS_DURATION,
        )
        .select_related("instructor")
        .order_by("starts_at")
    )
    rows: list[CourseClassData] = []
    for live_class in qs:
        if live_class.ends_at <= now:
            continue
        role = participant_role(user=user, live_class=live_class)
        rows.append(
            CourseClassData(
                live_class=live_class_data(live_class),
                may_join=role is not None,
                is_open=live_class.is_open_at(now),
            )
        )
        if len(rows) >= limit:
            break
    return rows
