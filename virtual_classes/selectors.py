"""Reads about live classes for pages, the dashboard and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from courses.selectors import enrollment_exists
from lms.accounts.roles import Role, user_has_role
from media_pipeline.data import VideoAssetData
from media_pipeline.selectors import video_asset_get
from virtual_classes.models import LiveClass, Recording
from virtual_classes.services import attendance_minutes, participant_role


@dataclass(frozen=True)
class LiveClassData:
    id: int
    course_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    join_opens_at: dt.datetime
    instructor_name: str
    url: str


@dataclass(frozen=True)
class RecordingData:
    live_class_id: int
    live_class_title: str
    video_asset_id: int
    recorded_on: dt.datetime


def _data(live_class: LiveClass) -> LiveClassData:
    from django.urls import reverse

    return LiveClassData(
        id=live_class.id,
        course_id=live_class.course_id,
        title=live_class.title,
        starts_at=live_class.starts_at,
        ends_at=live_class.ends_at,
        join_opens_at=live_class.join_opens_at,
        instructor_name=live_class.instructor.display_name,
        url=reverse("virtual_classes:detail", args=[live_class.id]),
    )


def upcoming_classes_for_user(*, user, limit: int = 5) -> list[LiveClassData]:
    """Classes not yet over that the user teaches or is enrolled for, soonest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    candidates = (
        LiveClass.objects.filter(
            ended_at__isnull=True, starts_at__lt=now + dt.timedelta(days=30)
        )
        .select_related("instructor")
        .order_by("starts_at")
    )
    result: list[LiveClassData] = []
    allowed_courses: dict[int, bool] = {}
    for live_class in candidates.iterator():
        if live_class.ends_at <= now:
            continue
        if live_class.instructor_id != user.id:
            if live_class.course_id not in allowed_courses:
                allowed_courses[live_class.course_id] = enrollment_exists(
                    user=user, course_id=live_class.course_id
                )
            if not allowed_courses[live_class.course_id]:
                continue
        result.append(_data(live_class))
        if len(result) >= limit:
            break
    return result


def classes_for_course(*, course_id: int) -> list[LiveClassData]:
    qs = LiveClass.objects.filter(course_id=course_id).select_related("instructor")
    return [_data(c) for c in qs]


def _may_see_recordings(*, course_id: int, user) -> bool:
    """Enrolled trainees, the course's class instructors and ministry staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user_has_role(user, Role.MINISTRY_STAFF)
        or LiveClass.objects.filter(course_id=course_id, instructor_id=user.id).exists()
        or enrollment_exists(user=user, course_id=course_id)
    )


def recordings_for_course(*, course_id: int, user) -> list[RecordingData]:
    """Recordings of a course's classes, for enrolled trainees, teachers, staff."""
    if not _may_see_recordings(course_id=course_id, user=user):
        return []
    qs = Recording.objects.filter(live_class__course_id=course_id).select_related(
        "live_class"
    )
    return [
        RecordingData(
            r.live_class_id, r.live_class.title, r.video_asset_id, r.created_at
        )
        for r in qs
    ]


@dataclass(frozen=True)
class CourseClassData:
    """A class not yet over, as the course page shows it to one viewer."""

    live_class: LiveClassData
    may_join: bool  # the viewer takes part: enrolled, teaching or observing
    is_open: bool  # inside the join window now


@dataclass(frozen=True)
class PlayableRecording:
    recording: RecordingData
    asset: VideoAssetData


MAX_CLASS_DURATION = dt.timedelta(minutes=480)


def course_upcoming_classes(
    *, course_id: int, user, now: dt.datetime | None = None, limit: int = 5
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
                live_class=_data(live_class),
                may_join=role is not None,
                is_open=live_class.is_open_at(now),
            )
        )
        if len(rows) >= limit:
            break
    return rows


def course_playable_recordings(
    *, course_id: int, user, limit: int = 6
) -> list[PlayableRecording]:
    """The newest recordings the media pipeline has published, for the people who
    may see them (enrolled trainees, teachers, staff); nobody else gets one."""
    if not _may_see_recordings(course_id=course_id, user=user):
        return []
    qs = (
        Recording.objects.filter(live_class__course_id=course_id)
        .select_related("live_class")
        .order_by("-created_at", "-id")
    )
    playable: list[PlayableRecording] = []
    for r in qs[: limit * 2]:
        asset = video_asset_get(asset_id=r.video_asset_id)
        if asset is None or not asset.hls_master_url:
            continue  # still being transcoded, or failed: nothing to play yet
        data = RecordingData(
            r.live_class_id, r.live_class.title, r.video_asset_id, r.created_at
        )
        playable.append(PlayableRecording(recording=data, asset=asset))
        if len(playable) >= limit:
            break
    return playable


def attendance_rows(*, live_class: LiveClass) -> list[dict]:
    """One row per person who attended: name, first join, last leave, minutes."""
    from django.contrib.auth import get_user_model

    minutes = attendance_minutes(live_class=live_class)
    spans: dict[int, list] = {}
    for user_id, joined, left in live_class.attendance.values_list(
        "user_id", "joined_at", "left_at"
    ):
        spans.setdefault(user_id, []).append((joined, left))
    users = get_user_model().objects.in_bulk(list(spans))
    rows = []
    for user_id, items in spans.items():
        user = users.get(user_id)
        lefts = [b for _a, b in items]
        rows.append(
            {
                "user_id": user_id,
                "name": user.display_name if user else str(user_id),
                "username": user.username if user else "",
                "first_joined_at": min(a for a, _b in items),
                "last_left_at": None if None in lefts else max(lefts),
                "minutes": minutes.get(user_id, 0),
                "instructor": user_id == live_class.instructor_id,
            }
        )
    rows.sort(key=lambda r: r["name"])
    return rows
