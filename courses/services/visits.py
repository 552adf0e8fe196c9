"""A lesson opened, recorded from what the lesson page already read.

`lesson_open` (services.progress) reads the lesson, the enrolment and the progress
row itself; the page has them in its `LessonState`, so this one writes only what
changed: the first visit (a progress row), "continue here" (the enrolment's last
lesson) when it moves, the time of the last visit when it is older than
LESSON_OPEN_RECORD_S (a trainee going back and forth within a lesson is one visit
for the reports), and the lesson's completion when its rules are met. A second view
of the same lesson minutes later writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, LessonPage, LessonProgress
from courses.selectors.lesson_state import LessonState
from courses.services.completion import evaluate_lesson
from lms.kernel.personal_pages import user_state_changed


def record_interval() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "LESSON_OPEN_RECORD_S", 300))


def lesson_open_seen(
    *,
    user: Any,
    lesson: LessonPage,
    course: CoursePage,
    state: LessonState,
    at: dt.datetime | None = None,
) -> None:
    """Record an enrolled trainee's visit (nothing for anyone else); `state` is
    updated to what was written."""
    enrollment = state.enrollment
    if enrollment is None:
        return
    at = at or timezone.now()
    progress = state.progress.get(lesson.pk)
    if (
        progress is not None
        and at - progress.last_opened_at < record_interval()
        and enrollment.last_lesson_id == lesson.pk
        and (progress.completed_at is not None or not _may_complete_now(lesson))
    ):
        return  # seen a moment ago, nothing new to record
    with transaction.atomic():
        if progress is None:
            progress, _created = LessonProgress.objects.get_or_create(
                user=user,
                lesson=lesson,
                defaults={"course": course, "opened_at": at, "last_opened_at": at},
            )
            state.progress[lesson.pk] = progress
        elif at - progress.last_opened_at >= record_interval():
            LessonProgress.objects.filter(pk=progress.pk, last_opened_at__lt=at).update(
                last_opened_at=at
            )
            user_state_changed(user.pk)  # an update(): no post_save
            progress.last_opened_at = at
        if enrollment.last_lesson_id != lesson.pk:
            enrollment.last_lesson = lesson
            enrollment.save(update_fields=["last_lesson"])
        if progress.completed_at is None:
            evaluate_lesson(
                user=user,
                lesson=lesson,
                course=course,
                progress=progress,
                videos=state.videos,
                passed_ids=state.passed_check_ids(),
            )


def lesson_visit_recorded_until(
    *, lesson: LessonPage, state: LessonState
) -> dt.datetime | None:
    """Until when another view of the lesson records nothing (`lesson_open_seen`
    returns at once): None when the next view writes, or for anyone not enrolled."""
    enrollment = state.enrollment
    progress = state.progress.get(lesson.pk)
    if enrollment is None or progress is None or enrollment.last_lesson_id != lesson.pk:
        return None
    if progress.completed_at is None and _may_complete_now(lesson):
        return None
    return progress.last_opened_at + record_interval()


def _may_complete_now(lesson: LessonPage) -> bool:
    """A lesson with neither video nor check completes on a visit; one with either
    completes when a heartbeat or an answer meets its rule (recorded there), so a
    repeat visit needs no evaluation."""
    return not lesson.video_asset_ids() and not lesson.knowledge_check_ids()
