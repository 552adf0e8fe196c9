"""Use cases that write: enrolment, lesson progress, knowledge checks, completion.

Every progress write is idempotent: a replayed heartbeat, answer or client event
changes nothing. Completion is recorded once and announced by
`courses.signals.course_completed` after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from content.blocks import score_knowledge_check, video_asset_data
from courses import signals
from courses.models import (
    Audience,
    CheckResult,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    LiveAttendance,
    ProgressEvent,
    VideoProgress,
)


class ProgressRefused(ValidationError):
    """A progress report the server will not accept (implausible, not enrolled...)."""


def heartbeat_tolerance_s() -> int:
    return getattr(settings, "COURSES_HEARTBEAT_TOLERANCE_S", 5)


# --- Enrolment ---------------------------------------------------------------------


@transaction.atomic
def enrollment_create(*, user, course_id: int) -> Enrollment:
    """Enrol a user in a published course; enrolling twice changes nothing."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise ValidationError(_("This course does not exist or is not published."))
    if course.audience == Audience.WOMEN and getattr(user, "gender", "") == "male":
        raise ValidationError(
            _("This course is for a women-only cohort. Choose another course.")
        )
    enrollment, created = Enrollment.objects.select_for_update().get_or_create(
        user=user, course=course
    )
    if not created and enrollment.status == Enrollment.Status.LEFT:
        completed = CourseCompletion.objects.filter(user=user, course=course).exists()
        enrollment.status = (
            Enrollment.Status.COMPLETED if completed else Enrollment.Status.ACTIVE
        )
        enrollment.left_at = None
        enrollment.save(update_fields=["status", "left_at"])
    return enrollment


@transaction.atomic
def enrollment_leave(*, user, course_id: int) -> None:
    """Leave a course; progress is kept so re-enrolling resumes it."""
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user=user, course_id=course_id)
        .first()
    )
    if enrollment is None or enrollment.status == Enrollment.Status.LEFT:
        raise ValidationError(_("You are not enrolled in this course."))
    enrollment.status = Enrollment.Status.LEFT
    enrollment.left_at = timezone.now()
    enrollment.save(update_fields=["status", "left_at"])


# --- Lesson progress ---------------------------------------------------------------


def _course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).get()


def _active_enrollment(*, user, course: CoursePage) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        raise ProgressRefused(_("Enrol in the course to record your progress."))
    return enrollment


def _live_lesson(lesson_id: int) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise ProgressRefused(_("This lesson does not exist or is not published."))
    return lesson


@transaction.atomic
def lesson_open(
    *, user, lesson: LessonPage, course: CoursePage | None = None, at=None
) -> LessonProgress | None:
    """Record that an enrolled trainee opened a lesson (None if not enrolled)."""
    course = course or _course_of(lesson)
    at = at or timezone.now()
    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        return None
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
        _evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)
    return progress


@dataclass(frozen=True)
class HeartbeatResult:
    accepted: bool
    watched_s: int
    detail: str = ""


@transaction.atomic
def video_heartbeat_record(
    *,
    user,
    lesson_id: int,
    asset_id: int,
    watched_s: int,
    position_s: int,
    duration_s: int | None = None,
    at: dt.datetime | None = None,
) -> HeartbeatResult:
    """Accept a player heartbeat if plausible; monotonic and idempotent.

    `watched_s` is the cumulative seconds actually played. A claim that grew by
    more than the time elapsed since the last accepted heartbeat (or since the
    lesson was opened), plus a small tolerance, is refused. A claim that did not
    grow changes nothing.
    """
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(seconds=60):
        raise ProgressRefused(_("This report is dated in the future."))
    if watched_s < 0 or position_s < 0:
        raise ProgressRefused(_("Seconds cannot be negative."))
    lesson = _live_lesson(lesson_id)
    course = _course_of(lesson)
    _active_enrollment(user=user, course=course)
    if asset_id not in lesson.video_asset_ids():
        raise ProgressRefused(_("This video is not part of this lesson."))
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        raise ProgressRefused(_("Open the lesson before reporting video progress."))
    asset = video_asset_data(asset_id)
    known_duration = int(getattr(asset, "duration_s", 0) or 0) or int(duration_s or 0)
    tolerance = heartbeat_tolerance_s()
    if known_duration and watched_s > known_duration + tolerance:
        raise ProgressRefused(_("More seconds watched than the video is long."))
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
        raise ProgressRefused(
            _("More seconds watched than time passed since the last report.")
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
    if progress.completed_at is None:
        _evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)
    return HeartbeatResult(accepted=True, watched_s=watched_s)


@dataclass(frozen=True)
class CheckSubmission:
    score_pct: int
    passed: bool
    results: tuple  # of content.blocks.QuestionResult


@transaction.atomic
def knowledge_check_submit(
    *, user, lesson_id: int, block_id: str, answers: dict[int, list[int]]
) -> CheckSubmission:
    """Score answers on the server and keep the trainee's best score."""
    lesson = _live_lesson(lesson_id)
    course = _course_of(lesson)
    _active_enrollment(user=user, course=course)
    value = lesson.knowledge_check_value(block_id)
    if value is None:
        raise ProgressRefused(_("This knowledge check is not part of this lesson."))
    score = score_knowledge_check(value=value, answers=answers)
    passed = score.score_pct >= course.check_pass_pct
    result, _created = CheckResult.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, block_id=block_id
    )
    changed = []
    if score.score_pct > result.best_score_pct:
        result.best_score_pct = score.score_pct
        changed.append("best_score_pct")
    if passed and result.passed_at is None:
        result.passed_at = timezone.now()
        changed.append("passed_at")
    if changed:
        result.save(update_fields=changed)
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={"course": course, "opened_at": now, "last_opened_at": now},
    )
    if progress.completed_at is None:
        _evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)
    return CheckSubmission(
        score_pct=score.score_pct, passed=passed, results=score.results
    )


# --- Offline batch --------------------------------------------------------------


@dataclass(frozen=True)
class EventResult:
    id: str
    accepted: bool
    detail: str
    replayed: bool = False


EVENT_KINDS = ("open", "heartbeat", "answer")


def progress_events_apply(*, user, events: list[dict]) -> list[EventResult]:
    """Apply a batch of client events (offline), each idempotent by its id.

    Events run in client-time order; a refused event never takes the others down.
    Each event: {id, kind: open|heartbeat|answer, lesson_id, at (aware datetime),
    user_id (optional: who was signed in when it was recorded; another account's
    event is refused), and asset_id/watched_s/position_s/duration_s or
    block_id/answers}.
    """
    order = sorted(range(len(events)), key=lambda i: events[i]["at"])
    results: dict[int, EventResult] = {}
    for index in order:
        results[index] = _apply_event(user=user, event=events[index])
    return [results[i] for i in range(len(events))]


def _apply_event(*, user, event: dict) -> EventResult:
    event_id = event["id"]
    seen = ProgressEvent.objects.filter(user=user, client_event_id=event_id).first()
    if seen is not None:
        return EventResult(event_id, seen.accepted, seen.detail, replayed=True)
    try:
        with transaction.atomic():
            detail = _run_event(user=user, event=event)
            ProgressEvent.objects.create(
                user=user,
                client_event_id=event_id,
                kind=event["kind"],
                accepted=True,
                detail=detail,
            )
        return EventResult(event_id, True, detail)
    except ValidationError as exc:
        detail = " ".join(exc.messages)[:200]
    except IntegrityError:  # the same id arrived concurrently
        seen = ProgressEvent.objects.get(user=user, client_event_id=event_id)
        return EventResult(event_id, seen.accepted, seen.detail, replayed=True)
    ProgressEvent.objects.get_or_create(
        user=user,
        client_event_id=event_id,
        defaults={"kind": event["kind"], "accepted": False, "detail": detail},
    )
    return EventResult(event_id, False, detail)


def _run_event(*, user, event: dict) -> str:
    if event.get("user_id") not in (None, user.pk):
        raise ProgressRefused(
            _("This progress was recorded for another account on this phone.")
        )
    kind = event["kind"]
    if kind == "open":
        lesson = _live_lesson(event["lesson_id"])
        course = _course_of(lesson)
        _active_enrollment(user=user, course=course)
        if event["at"] > timezone.now() + dt.timedelta(seconds=60):
            raise ProgressRefused(_("This report is dated in the future."))
        lesson_open(user=user, lesson=lesson, course=course, at=event["at"])
        return "opened"
    if kind == "heartbeat":
        result = video_heartbeat_record(
            user=user,
            lesson_id=event["lesson_id"],
            asset_id=event["asset_id"],
            watched_s=event["watched_s"],
            position_s=event.get("position_s", 0),
            duration_s=event.get("duration_s"),
            at=event["at"],
        )
        return result.detail or f"watched {result.watched_s}s"
    if kind == "answer":
        submission = knowledge_check_submit(
            user=user,
            lesson_id=event["lesson_id"],
            block_id=event["block_id"],
            answers=event["answers"],
        )
        return f"score {submission.score_pct}%"
    raise ProgressRefused(_("Unknown event kind."))


# --- Live classes ---------------------------------------------------------------


@transaction.atomic
def live_attendance_set(
    *, user_id: int, course_id: int, source_key: str, minutes: int
) -> None:
    """Set (not add) the minutes a user attended one live class; idempotent.

    Re-evaluates completion, whose rule includes a minimum of live-class minutes.
    """
    if minutes < 0:
        raise ValidationError(_("Attendance minutes cannot be negative."))
    if not source_key:
        raise ValidationError(_("Say which live class the minutes come from."))
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise ValidationError(_("This course does not exist."))
    LiveAttendance.objects.update_or_create(
        user_id=user_id,
        course=course,
        source_key=source_key,
        defaults={"minutes": minutes},
    )
    _evaluate_course(user_id=user_id, course=course)


# --- Completion -----------------------------------------------------------------


def _evaluate_lesson(
    *, user, lesson: LessonPage, course: CoursePage, progress: LessonProgress
) -> None:
    """Mark the lesson complete once its videos and checks meet the course's rules."""
    asset_ids = lesson.video_asset_ids()
    if asset_ids:
        videos = {
            v.asset_id: v
            for v in VideoProgress.objects.filter(
                user=user, lesson=lesson, asset_id__in=asset_ids
            )
        }
        for asset_id in asset_ids:
            video = videos.get(asset_id)
            if video is None or not video.duration_s:
                return
            if 100 * video.watched_s < course.video_threshold_pct * video.duration_s:
                return
    check_ids = lesson.knowledge_check_ids()
    if check_ids:
        passed = CheckResult.objects.filter(
            user=user, lesson=lesson, block_id__in=check_ids, passed_at__isnull=False
        ).count()
        if passed < len(set(check_ids)):
            return
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at"])
    _evaluate_course(user_id=user.pk, course=course)


def _evaluate_course(*, user_id: int, course: CoursePage) -> CourseCompletion | None:
    """Record the completion once when every rule of the course is met."""
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user_id=user_id, course=course, status=Enrollment.Status.ACTIVE)
        .first()
    )
    if enrollment is None:
        return None
    required_ids = set(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True)
        .values_list("pk", flat=True)
    )
    if not required_ids:
        return None
    done = set(
        LessonProgress.objects.filter(
            user_id=user_id, lesson_id__in=required_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    if done != required_ids:
        return None
    minutes = (
        LiveAttendance.objects.filter(user_id=user_id, course=course).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    if minutes < course.min_live_minutes:
        return None
    completion, created = CourseCompletion.objects.get_or_create(
        user_id=user_id, course=course, defaults={"completed_at": timezone.now()}
    )
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.save(update_fields=["status"])
    if created:
        transaction.on_commit(
            lambda: signals.course_completed.send(
                sender=CourseCompletion,
                user_id=user_id,
                course_id=course.pk,
                completed_at=completion.completed_at,
            )
        )
    return completion
