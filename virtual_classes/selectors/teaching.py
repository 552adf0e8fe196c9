"""The instructor's workplace: the classes of the courses they teach, and their
recordings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from courses.selectors import course_list_for_instructor
from media_pipeline.selectors import video_asset_progress_list
from virtual_classes.data import (
    MyClassesData,
    TaughtClassData,
    TaughtRecordingData,
    Viewer,
)
from virtual_classes.models import LiveClass, Recording
from virtual_classes.selectors.classes import live_class_data, recording_data
from virtual_classes.selectors.permissions import changeable, may_change, viewer_id

UPCOMING_LIMIT = 200
PAST_LIMIT = 50
RECORDINGS_LIMIT = 100


def _taught(user: Viewer | None) -> tuple[Q, dict[int, str]] | None:
    """Classes of the courses this user teaches, or that they teach themself."""
    uid = viewer_id(user)
    if uid is None:
        return None
    courses = {c.id: c.title for c in course_list_for_instructor(user=user)}
    return Q(course_id__in=list(courses)) | Q(instructor_id=uid), courses


def classes_taught(
    *, user: Viewer | None, now: dt.datetime | None = None
) -> MyClassesData:
    """Upcoming classes (soonest first, cancelled ones marked) and past ones (newest
    first), each with whether this viewer may still edit or cancel it."""
    now = now or timezone.now()
    taught = _taught(user)
    if taught is None:
        return MyClassesData(upcoming=(), past=())
    where, titles = taught
    qs = LiveClass.objects.filter(where).select_related("instructor", "course")
    # a class is past once it ended or its scheduled end went by (at most 8 h long)
    soon_over = qs.filter(starts_at__gt=now - dt.timedelta(minutes=480))
    upcoming, past = [], []
    for live_class in soon_over.order_by("starts_at")[:UPCOMING_LIMIT]:
        if live_class.ended_at or live_class.ends_at <= now:
            past.append(live_class)
        else:
            upcoming.append(live_class)
    older = qs.filter(starts_at__lte=now - dt.timedelta(minutes=480))
    past = sorted(past, key=lambda c: c.starts_at, reverse=True)
    past += list(older.order_by("-starts_at")[: max(0, PAST_LIMIT - len(past))])

    def row(live_class: LiveClass) -> TaughtClassData:
        return TaughtClassData(
            live_class=live_class_data(live_class),
            course_title=titles.get(live_class.course_id)
            or str(live_class.course.title),
            may_change=changeable(live_class, now)
            and may_change(user=user, live_class=live_class),
            has_ended=live_class.ended_at is not None or live_class.ends_at <= now,
        )

    return MyClassesData(
        upcoming=tuple(row(c) for c in upcoming),
        past=tuple(row(c) for c in past[:PAST_LIMIT]),
    )


def recordings_taught(*, user: Viewer | None) -> list[TaughtRecordingData]:
    """Recordings of the classes of the courses this user teaches, newest first,
    with the media pipeline's state of each video."""
    taught = _taught(user)
    if taught is None:
        return []
    where, titles = taught
    class_ids = LiveClass.objects.filter(where).values("pk")
    recordings = list(
        Recording.objects.filter(live_class_id__in=class_ids)
        .select_related("live_class", "live_class__course")
        .order_by("-created_at", "-id")[:RECORDINGS_LIMIT]
    )
    states = {
        a.id: a
        for a in video_asset_progress_list(
            asset_ids=[r.video_asset_id for r in recordings]
        )
    }
    rows = []
    for recording in recordings:
        state = states.get(recording.video_asset_id)
        rows.append(
            TaughtRecordingData(
                recording=recording_data(recording),
                course_title=titles.get(recording.live_class.course_id)
                or str(recording.live_class.course.title),
                status=state.status if state else "",
                status_label=state.status_label if state else "",
                playable=bool(state and state.status == "ready"),
            )
        )
    return rows
