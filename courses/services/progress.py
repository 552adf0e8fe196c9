"""Lesson progress: a lesson opened, a video watched (a knowledge check answered:
`courses.services.checks`).

Every write is idempotent: a replayed heartbeat or answer changes nothing. Refusals
are coded (`lms.kernel.errors`): Invalid for malformed figures, NotFound for a lesson
or check that is not there, Conflict for a report the state of things refuses (not
enrolled, implausible, not opened yet).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.selectors import video_duration_get
from courses.data import HeartbeatResult
from courses.models import (
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    VideoProgress,
)
from courses.services.completion import evaluate_lesson
from lms.kernel.errors import Conflict, Invalid, NotFound

# How far in the future a client's clock may be before its report is refused.
FUTURE_SKEW = dt.timedelta(seconds=60)


# The player reports every 10 s of playing (and on pause): a client-dated report (the
# offline batch) is credited at most this much time since the previous one, whatever
# its clock says, so a back-dated "opened" event cannot buy watch time.
CLIENT_STEP_S = 30


def heartbeat_tolerance_s() -> int:
    return getattr(settings, "COURSES_HEARTBEAT_TOLERANCE_S", 5)


def client_step_s() -> int:
    return int(getattr(settings, "COURSES_CLIENT_HEARTBEAT_STEP_S", CLIENT_STEP_S))


def course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).get()


def live_lesson(lesson_id: int) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound(
            _("This lesson does not exist or is not published."),
            code="lesson_not_found",
        )
    return lesson


def active_enrollment(*, user: Any, course: CoursePage) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        raise Conflict(
            _("Enrol in the course to record your progress."), code="not_enrolled"
        )
    return enrollment


def _active_enrollment_of(*, user: Any, lesson: LessonPage) -> Enrollment:
    """`active_enrollment` for the lesson's course, the course read with it."""
    course_path = lesson.path[: -2 * LessonPage.steplen]
    enrollment = (
        Enrollment.objects.select_related("course")
        .filter(user=user, course__path=course_path)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        raise Conflict(
            _("Enrol in the course to record your progress."), code="not_enrolled"
        )
    return enrollment


def not_in_future(at: dt.datetime) -> None:
    if at > timezone.now() + FUTURE_SKEW:
        raise Conflict(_("This report is dated in the future."), code="future_report")


def not_before_enrolment(*, enrollment: Enrollment, at: dt.datetime) -> None:
    """A client-dated report cannot be older than the enrolment it counts for."""
    if at < enrollment.enrolled_at:
        raise Conflict(
            _("This report is dated before you enrolled in the course."),
            code="before_enrolment",
        )


def lesson_open(*, user: Any, lesson_id: int, at: dt.datetime | None = None) -> bool:
    """Record that an enrolled trainee opened a lesson (False if not enrolled)."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return False
    # lesson → module → course (parent_page_types): the enrolment and its course in
    # one query, since the lesson page runs this on every visit
    course_path = lesson.path[: -2 * LessonPage.steplen]
    enrollment = (
        Enrollment.objects.select_related("course")
        .filter(user=user, course__path=course_path)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        return False
    _record_open(user=user, lesson=lesson, enrollment=enrollment, at=at)
    return True


def open_lesson(
    *, user: Any, lesson: LessonPage, course: CoursePage, at: dt.datetime | None
) -> bool:
    """`lesson_open` with the pages at hand (the offline batch has them already)."""
    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        return False
    _record_open(user=user, lesson=lesson, enrollment=enrollment, at=at)
    return True


@transaction.atomic
def _record_open(
    *, user: Any, lesson: LessonPage, enrollment: Enrollment, at: dt.datetime | None
) -> None:
    at = at or timezone.now()
    course = enrollment.course
    progress, created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={"course": course, "opened_at": at, "last_opened_at": at},
    )
    if not created and at > progress.last_opened_at:
        progress.last_opened_at = at
        progress.save(update_fields=["last_opened_at"])
    if enrollment.last_lesson_id != lesson.pk:
        enrollment.last_lesson = lesson
        enrollment.save(update_fields=["last_lesson"])
    if progress.completed_at is None:
        evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)


@transaction.atomic
def video_heartbeat_record(
    *,
    user: Any,
    lesson_id: int,
    asset_id: int,
    watched_s: int,
    position_s: int,
    duration_s: int | None = None,
    at: dt.datetime | None = None,
    client_dated: bool = False,
) -> HeartbeatResult:
    """Accept a player heartbeat if plausible; monotonic and idempotent.

    `watched_s` is the cumulative seconds actually played. A claim that grew by
    more than the time elapsed since the last accepted heartbeat (or since the
    lesson was opened), plus a small tolerance, is refused. A claim that did not
    grow changes nothing. A `client_dated` report (`at` from the phone's clock: the
    offline batch) is also refused before the enrolment and credited at most
    `client_step_s()` since the previous report.
    """
    at = at or timezone.now()
    not_in_future(at)
    if watched_s < 0 or position_s < 0:
        raise Invalid(_("Seconds cannot be negative."), code="negative_seconds")
    lesson = live_lesson(lesson_id)
    # the hot path (a heartbeat every 10 s of playing): course and enrolment in one
    # query, by the course's path (lesson → module → course, as in lesson_open)
    enrollment = _active_enrollment_of(user=user, lesson=lesson)
    course = enrollment.course
    if client_dated:
        not_before_enrolment(enrollment=enrollment, at=at)
    if asset_id not in lesson.video_asset_ids():
        raise Conflict(
            _("This video is not part of this lesson."), code="video_not_in_lesson"
        )
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        raise Conflict(
            _("Open the lesson before reporting video progress."),
            code="lesson_not_opened",
        )
    known_duration = int(video_duration_get(asset_id=asset_id) or 0)
    known_duration = known_duration or int(duration_s or 0)
    tolerance = heartbeat_tolerance_s()
    if known_duration and watched_s > known_duration + tolerance:
        raise Conflict(
            _("More seconds watched than the video is long."),
            code="longer_than_video",
        )
    video = (
        VideoProgress.objects.select_for_update()
        .filter(user=user, lesson=lesson, asset_id=asset_id)
        .first()
    )
    previous_s = video.watched_s if video else 0
    since = video.last_accepted_at if video else progress.opened_at
    if watched_s <= previous_s:
        return HeartbeatResult(accepted=True, watched_s=previous_s, detail="unchanged")
    elapsed_s = (at - since).total_seconds()
    if watched_s - previous_s > elapsed_s + tolerance:
        raise Conflict(
            _("More seconds watched than time passed since the last report."),
            code="faster_than_time",
        )
    if client_dated and watched_s - previous_s > client_step_s() + tolerance:
        raise Conflict(
            _(
                "More seconds watched than one report can carry: the player reports "
                "every few seconds of playing."
            ),
            code="step_too_large",
        )
    watched_s = min(watched_s, known_duration) if known_duration else watched_s
    position_s = min(position_s, known_duration) if known_duration else position_s
    if video is None:
        video = VideoProgress(user=user, lesson=lesson, asset_id=asset_id)
    video.watched_s = watched_s
    video.position_s = position_s
    video.duration_s = known_duration
    video.last_accepted_at = at
    video.save()
    # below the course's threshold this video keeps the lesson incomplete (the first
    # rule evaluate_lesson checks): no need to read the lesson's progress again
    reached = 100 * watched_s >= course.video_threshold_pct * known_duration
    if progress.completed_at is None and known_duration and reached:
        evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)
    return HeartbeatResult(accepted=True, watched_s=watched_s)
