"""Completion: a lesson when its videos and checks meet the course's rules, a course
when every required lesson is done and live-class minutes suffice. Recorded once and
announced by `courses.signals.course_completed` after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import signals
from courses.models import (
    CheckResult,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    LiveAttendance,
    VideoProgress,
)
from lms.kernel.errors import Invalid, NotFound
from lms.kernel.report_rows import report_facts_changed


@transaction.atomic
def live_attendance_set(
    *, user_id: int, course_id: int, source_key: str, minutes: int
) -> None:
    """Set (not add) the minutes a user attended one live class; idempotent.

    Re-evaluates completion, whose rule includes a minimum of live-class minutes.
    Raises Invalid for negative minutes or no source, NotFound for an unknown course.
    """
    if minutes < 0:
        raise Invalid(
            _("Attendance minutes cannot be negative."), code="negative_minutes"
        )
    if not source_key:
        raise Invalid(
            _("Say which live class the minutes come from."), code="source_missing"
        )
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("This course does not exist."), code="course_not_found")
    LiveAttendance.objects.update_or_create(
        user_id=user_id,
        course=course,
        source_key=source_key,
        defaults={"minutes": minutes},
    )
    evaluate_course(user_id=user_id, course=course)


def evaluate_lesson(
    *,
    user: Any,
    lesson: LessonPage,
    course: CoursePage,
    progress: LessonProgress,
    videos: dict[int, VideoProgress] | None = None,
    passed_ids: frozenset[str] | None = None,
) -> None:
    """Mark the lesson complete once its videos and checks meet the course's rules.
    `videos` (asset id → progress) and `passed_ids` (checks passed), when the caller
    read them already, spare their queries."""
    asset_ids = lesson.video_asset_ids()
    if asset_ids:
        if videos is None:
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
    check_ids = set(lesson.knowledge_check_ids())
    if check_ids:
        if passed_ids is not None:
            passed = len(check_ids & passed_ids)
        else:
            passed = CheckResult.objects.filter(
                user=user,
                lesson=lesson,
                block_id__in=check_ids,
                passed_at__isnull=False,
            ).count()
        if passed < len(check_ids):
            return
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at"])
    report_facts_changed()
    evaluate_course(user_id=user.pk, course=course)


def evaluate_course(*, user_id: int, course: CoursePage) -> CourseCompletion | None:
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
        report_facts_changed()
        transaction.on_commit(
            lambda: signals.course_completed.send(
                sender=CourseCompletion,
                user_id=user_id,
                course_id=course.pk,
                completed_at=completion.completed_at,
            )
        )
    return completion
