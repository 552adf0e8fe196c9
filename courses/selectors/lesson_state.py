"""What one trainee has done in one lesson and its course, read once per lesson view.

The lesson page needs the enrolment, the progress of every lesson of the course (the
outline's marks, this lesson's visit), this lesson's check results (the current try
of each check, which ones passed) and its video positions. Read here in four small
queries by index, they serve the visit record (`services.lesson_open_seen`), the
completion rule and the page; nothing else on the page asks the database about the
trainee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from courses.models import CheckResult, Enrollment, LessonProgress, VideoProgress


@dataclass
class LessonState:
    enrollment: Enrollment | None
    # lesson id → that lesson's progress row (only the course's lessons opened)
    progress: dict[int, LessonProgress] = field(default_factory=dict)
    checks: dict[str, CheckResult] = field(default_factory=dict)
    videos: dict[int, VideoProgress] = field(default_factory=dict)

    @property
    def enrolled(self) -> bool:
        return self.enrollment is not None

    def passed_check_ids(self) -> frozenset[str]:
        return frozenset(
            block_id for block_id, r in self.checks.items() if r.passed_at is not None
        )

    def video_positions(self) -> dict[int, int]:
        return {asset_id: v.position_s for asset_id, v in self.videos.items()}


def lesson_state_get(
    *,
    user: Any,
    lesson_id: int,
    course_id: int,
    has_checks: bool = True,
    has_videos: bool = True,
) -> LessonState:
    """The trainee's state in a lesson (empty for a visitor or a non-enrolled user:
    one query to learn they are not enrolled). A lesson without checks or videos
    (`has_checks`, `has_videos`: read from its body, no query) skips their reads."""
    if not getattr(user, "is_authenticated", False):
        return LessonState(enrollment=None)
    enrollment = (
        Enrollment.objects.filter(user=user, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    if enrollment is None:
        return LessonState(enrollment=None)
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(user=user, course_id=course_id)
    }
    checks = (
        {
            r.block_id: r
            for r in CheckResult.objects.filter(user=user, lesson_id=lesson_id)
        }
        if has_checks
        else {}
    )
    videos = (
        {
            v.asset_id: v
            for v in VideoProgress.objects.filter(user=user, lesson_id=lesson_id)
        }
        if has_videos
        else {}
    )
    return LessonState(
        enrollment=enrollment, progress=progress, checks=checks, videos=videos
    )
