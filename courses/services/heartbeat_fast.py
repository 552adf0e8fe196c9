"""One video heartbeat in two statements: the surge's most frequent write (issue 19).

A trainee watching a lesson video reports every 10 s of playing; in the surge two
thirds of all requests are these. The full path (`batch._apply_event` →
`progress.video_heartbeat_record`) reads the event id, the lesson, the enrolment,
the lesson's progress, the asset's duration and the video's progress (locked) one
query each, then writes twice, inside two savepoints: 12 queries. Here:

- what is the same for every trainee (the lesson is live, its course, its videos and
  their durations, the course's threshold) is kept per process under the "pages"
  generation (`lms.kernel.page_cache.kept_version`, as the course structure is) and
  read again at least every KEEP_SECONDS;
- the trainee's part is one query: the enrolment, with the lesson's progress, the
  video's progress and whether the event id was seen as subqueries;
- the write is one transaction: the event row inserted unless its id is there, and
  the video's progress moved only from the values the rules were checked against
  (a compare-and-set in place of the full path's row lock).

The same rules, in the same order, as `video_heartbeat_record`. Only the plain case
is answered: an accepted report (grown or unchanged) that does not complete the
lesson. Anything else (a refusal, a replay, a first-time race, completion) returns
None having written nothing, and the full path answers it, storing the refusal with
its reason as before.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from content.selectors import video_duration_get
from courses.data import EventResult
from courses.models import (
    Enrollment,
    LessonPage,
    LessonProgress,
    ProgressEvent,
    VideoProgress,
)
from courses.selectors.structure import course_of_lesson_get
from courses.services.progress import (
    FUTURE_SKEW,
    client_step_s,
    heartbeat_tolerance_s,
)
from lms.kernel.kept_sql import KeptQuery
from lms.kernel.page_cache import kept_version
from lms.kernel.personal_pages import user_state_changed

KEEP_SECONDS = 60  # a duration the media pipeline corrects is used within a minute
MAX_LESSONS = 5_000


@dataclass(frozen=True)
class LessonFacts:
    course_id: int
    threshold_pct: int
    durations: dict[int, int]  # the lesson's video asset ids → known seconds (0: none)


class _Changed(Exception):
    """The rows moved since they were read: roll back, let the full path answer."""


_lock = threading.Lock()
_kept: dict[tuple[Any, int], LessonFacts | None] = {}


def lesson_facts_get(*, lesson_id: int) -> LessonFacts | None:
    """The live lesson's course, threshold and videos (None: not live, no course)."""
    key = ((*kept_version(), int(time.time() // KEEP_SECONDS)), lesson_id)
    if key in _kept:
        return _kept[key]
    facts = _facts_build(lesson_id)
    with _lock:
        if len(_kept) >= MAX_LESSONS or any(k[0] != key[0] for k in _kept):
            _kept.clear()
        _kept[key] = facts
    return facts


def _facts_build(lesson_id: int) -> LessonFacts | None:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).only("path", "body").first()
    if lesson is None:
        return None
    course = course_of_lesson_get(lesson=lesson)
    if course is None:
        return None
    durations = {
        asset_id: int(video_duration_get(asset_id=asset_id) or 0)
        for asset_id in lesson.video_asset_ids()
    }
    return LessonFacts(course.pk, course.video_threshold_pct, durations)


def _trainee_queryset(
    *, user_id: int, course_id: int, lesson_id: int, asset_id: int, event_id: str
) -> QuerySet:
    lesson_progress = LessonProgress.objects.filter(
        user_id=user_id, lesson_id=lesson_id
    )
    video = VideoProgress.objects.filter(
        user_id=user_id, lesson_id=lesson_id, asset_id=asset_id
    )
    return (
        Enrollment.objects.filter(user_id=user_id, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .annotate(
            opened_at=Subquery(lesson_progress.values("opened_at")[:1]),
            completed_at=Subquery(lesson_progress.values("completed_at")[:1]),
            video_s=Subquery(video.values("watched_s")[:1]),
            video_at=Subquery(video.values("last_accepted_at")[:1]),
            seen=Exists(
                ProgressEvent.objects.filter(
                    user_id=OuterRef("user_id"), client_event_id=event_id
                )
            ),
        )
        .values(
            "enrolled_at", "opened_at", "completed_at", "video_s", "video_at", "seen"
        )
        .order_by("pk")[:1]
    )


# its SQL built once per process: compiling the four subqueries cost more than
# running them (lms.kernel.kept_sql)
_TRAINEE_ROW = KeptQuery(
    _trainee_queryset,
    user_id=int,
    course_id=int,
    lesson_id=int,
    asset_id=int,
    event_id=str,
)


def _trainee_row(
    *, user_id: int, course_id: int, lesson_id: int, asset_id: int, event_id: str
) -> dict[str, Any] | None:
    rows = _TRAINEE_ROW.rows(
        user_id=user_id,
        course_id=course_id,
        lesson_id=lesson_id,
        asset_id=asset_id,
        event_id=str(event_id),
    )
    return rows[0] if rows else None


def heartbeat_event_fast(
    *, user: Any, event: Mapping[str, Any], client_dated: bool
) -> EventResult | None:
    """Apply a plain heartbeat event in two statements; None: take the full path."""
    if event.get("user_id") not in (None, user.pk):
        return None
    at: dt.datetime = event["at"]
    watched_s, position_s = int(event["watched_s"]), int(event.get("position_s", 0))
    if at > timezone.now() + FUTURE_SKEW or watched_s < 0 or position_s < 0:
        return None
    facts = lesson_facts_get(lesson_id=event["lesson_id"])
    asset_id = event["asset_id"]
    if facts is None or asset_id not in facts.durations:
        return None
    row = _trainee_row(
        user_id=user.pk,
        course_id=facts.course_id,
        lesson_id=event["lesson_id"],
        asset_id=asset_id,
        event_id=event["id"],
    )
    if row is None or row["seen"] or row["opened_at"] is None:
        return None
    if client_dated and at < row["enrolled_at"]:
        return None
    known_s = facts.durations[asset_id] or int(event.get("duration_s") or 0)
    tolerance = heartbeat_tolerance_s()
    if known_s and watched_s > known_s + tolerance:
        return None
    previous_s = row["video_s"] or 0
    since = row["video_at"] or row["opened_at"]
    if watched_s <= previous_s:
        return _store(user=user, event=event, detail="unchanged", video=None)
    grown = watched_s - previous_s
    if grown > (at - since).total_seconds() + tolerance:
        return None
    if client_dated and grown > client_step_s() + tolerance:
        return None
    if known_s:
        watched_s, position_s = min(watched_s, known_s), min(position_s, known_s)
        reached = 100 * watched_s >= facts.threshold_pct * known_s
        if reached and row["completed_at"] is None:
            return None  # the lesson may complete: the full path evaluates it
    video = {
        "watched_s": watched_s,
        "position_s": position_s,
        "duration_s": known_s,
        "last_accepted_at": at,
        "was": (row["video_s"], row["video_at"]),
    }
    return _store(user=user, event=event, detail=f"watched {watched_s}s", video=video)


def _store(
    *, user: Any, event: Mapping[str, Any], detail: str, video: dict[str, Any] | None
) -> EventResult | None:
    try:
        with transaction.atomic():
            if not _insert_event(user_id=user.pk, event_id=event["id"], detail=detail):
                raise _Changed
            if video is not None and not _move_video(
                user_id=user.pk,
                lesson_id=event["lesson_id"],
                asset_id=event["asset_id"],
                video=video,
            ):
                raise _Changed
            if video is not None:  # the lesson page shows the position
                user_state_changed(user.pk)
    except _Changed:
        return None
    return EventResult(event["id"], True, detail)


def _insert_event(*, user_id: int, event_id: str, detail: str) -> bool:
    table = connection.ops.quote_name(ProgressEvent._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, client_event_id, kind, accepted, code,"  # noqa: S608 (our table's name)
            " detail, received_at) VALUES (%s, %s, 'heartbeat', %s, '', %s, %s)"
            " ON CONFLICT (user_id, client_event_id) DO NOTHING",
            [user_id, event_id, True, detail, now],
        )
        return cursor.rowcount == 1


def _move_video(
    *, user_id: int, lesson_id: int, asset_id: int, video: dict[str, Any]
) -> bool:
    previous_s, previous_at = video.pop("was")
    if previous_s is not None:
        return (
            VideoProgress.objects.filter(
                user_id=user_id,
                lesson_id=lesson_id,
                asset_id=asset_id,
                watched_s=previous_s,
                last_accepted_at=previous_at,
            ).update(**video)
            == 1
        )
    table = connection.ops.quote_name(VideoProgress._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(video["last_accepted_at"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, lesson_id, asset_id, watched_s,"  # noqa: S608 (our table's name)
            " position_s, duration_s, last_accepted_at) VALUES (%s, %s, %s, %s, %s,"
            " %s, %s) ON CONFLICT (user_id, lesson_id, asset_id) DO NOTHING",
            [
                user_id,
                lesson_id,
                asset_id,
                video["watched_s"],
                video["position_s"],
                video["duration_s"],
                at,
            ],
        )
        return cursor.rowcount == 1
