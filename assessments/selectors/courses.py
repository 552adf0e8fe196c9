"""The calls into courses (its selectors): eligibility for an exam, and the course an
attempt or a practical test is credited to in the reports. Courses takes the person
(an account, see `people.person`), so callers load them once for both calls."""

from __future__ import annotations

from typing import Any

from courses import selectors as course_selectors


def course_completed(*, user: Any, occupation_code: str, level_code: str) -> bool:
    """The trainee completed a course for this occupation and level."""
    return course_selectors.course_completed(
        user=user, occupation_code=occupation_code, level_code=level_code
    )


def course_that_prepared(
    *, user: Any, occupation_code: str, level_code: str
) -> int | None:
    """Their last completed course for this occupation and level, or None."""
    return course_selectors.completed_course_id(
        user=user, occupation_code=occupation_code, level_code=level_code
    )
