"""Courses and enrolments: the reads other apps use, and who may see a cohort."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from wagtail.query import PageQuerySet

from courses.data import CourseData, EnrollmentData
from courses.models import CourseCompletion, CoursePage, Enrollment
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Forbidden, NotFound


def _course_data(course: CoursePage) -> CourseData:
    return CourseData(
        id=course.pk,
        title=course.title,
        url=course.get_url() or "",
        occupation_code=course.occupation.code,
        level_code=course.skill_level.code,
        instructor_ids=tuple(sorted(u.pk for u in course.instructors.all())),
    )


def _courses() -> PageQuerySet:
    return CoursePage.objects.select_related(
        "occupation", "skill_level"
    ).prefetch_related("instructors")


def _enrollment_data(enrollment: Enrollment) -> EnrollmentData:
    return EnrollmentData(
        user_id=enrollment.user_id,
        course_id=enrollment.course_id,
        status=enrollment.status,
        enrolled_at=enrollment.enrolled_at,
        last_lesson_id=enrollment.last_lesson_id,
    )


def course_get(*, course_id: int, published: bool = False) -> CourseData:
    """One course; `published` asks for a live, public one. Raises NotFound."""
    courses = _courses()
    if published:
        courses = courses.live().public()
    course = courses.filter(pk=course_id).first()
    if course is None:
        raise NotFound(
            _("This course does not exist or is not published."),
            code="course_not_found",
        )
    return _course_data(course)


def course_list_for_instructor(*, user: Any) -> list[CourseData]:
    """The courses this user teaches (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return []
    courses = _courses().filter(instructors=user).order_by("title")
    return [_course_data(c) for c in courses]


def course_list_taught(*, user: Any) -> list[CourseData]:
    """The instructor's "my courses" page; instructors and ministry staff only."""
    if not (
        user_has_role(user, Role.INSTRUCTOR) or user_has_role(user, Role.MINISTRY_STAFF)
    ):
        raise Forbidden(_("Only instructors see this page."), code="not_instructor")
    return course_list_for_instructor(user=user)


def cohort_course_get(*, user: Any, course_id: int) -> CourseData:
    """A course whose cohort this user may see: its instructors and ministry staff.

    Raises NotFound for an unknown course, Forbidden for anyone else.
    """
    course = _courses().filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("This course does not exist."), code="course_not_found")
    data = _course_data(course)
    if user.pk not in data.instructor_ids and not user_has_role(
        user, Role.MINISTRY_STAFF
    ):
        raise Forbidden(
            _("Only the course's instructors see its cohort."), code="not_instructor"
        )
    return data


def enrollment_exists(*, user: Any, course_id: int) -> bool:
    """True while the user is enrolled (active or completed, not left)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_maharat_enrolled", {})
    if course_id in known:
        return known[course_id]
    return (
        Enrollment.objects.filter(user=user, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .exists()
    )


def enrollment_and_completion_get(
    *, user: Any, course_id: int
) -> tuple[EnrollmentData | None, dt.datetime | None]:
    """`enrollment_get` and `course_completed_at` in one query (the course page)."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    completion = CourseCompletion.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id")
    ).values("completed_at")[:1]
    enrollment = (
        Enrollment.objects.filter(user=user, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .annotate(course_completed_at=Subquery(completion))
        .first()
    )
    if enrollment is None:
        return None, None
    return _enrollment_data(enrollment), enrollment.course_completed_at


_UNKNOWN = object()


def remember_enrollment(
    *, user: Any, course_id: int, enrolled: bool, completed_at: Any = _UNKNOWN
) -> None:
    """What a page read of the user's enrolment (and completion), for the sections
    other apps add to it in the same request (`enrollment_exists` and
    `course_completed_at` answer from it). Kept on the user object, which lives as
    long as the request; the enrolment and completion services forget it."""
    if getattr(user, "is_authenticated", False):
        user.__dict__.setdefault("_maharat_enrolled", {})[course_id] = enrolled
        if completed_at is not _UNKNOWN:
            known = user.__dict__.setdefault("_maharat_completed", {})
            known[course_id] = completed_at


def forget_enrollment(*, user: Any) -> None:
    user.__dict__.pop("_maharat_enrolled", None)
    user.__dict__.pop("_maharat_completed", None)


def enrollment_get(*, user: Any, course_id: int) -> EnrollmentData | None:
    """The user's current enrolment in a course (None if never enrolled or left)."""
    if not getattr(user, "is_authenticated", False):
        return None
    enrollment = (
        Enrollment.objects.filter(user=user, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .first()
    )
    return _enrollment_data(enrollment) if enrollment else None


def enrolled_user_ids(*, course_id: int) -> list[int]:
    return list(
        Enrollment.objects.filter(course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def course_completed(*, user: Any, occupation_code: str, level_code: str) -> bool:
    """True if the user completed a course for that occupation and skill level."""
    return (
        completed_course_id(
            user=user, occupation_code=occupation_code, level_code=level_code
        )
        is not None
    )


def completed_course_id(
    *, user: Any, occupation_code: str, level_code: str
) -> int | None:
    """The course for that occupation and skill level the user completed last (the
    one that prepared them for its test), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CourseCompletion.objects.filter(
            user=user,
            course__occupation__code=occupation_code,
            course__skill_level__code=level_code,
        )
        .order_by("-completed_at", "-pk")
        .values_list("course_id", flat=True)
        .first()
    )


def courses_completed_by(*, user_id: int) -> list[CourseData]:
    """The courses the person completed, last completed first (the skill-test route
    of issue #21 offers a test for each one's occupation and level)."""
    completions = CourseCompletion.objects.filter(user_id=user_id).order_by(
        "-completed_at", "-pk"
    )
    ids = list(completions.values_list("course_id", flat=True))
    courses = {c.pk: c for c in _courses().filter(pk__in=ids)}
    return [_course_data(courses[i]) for i in ids if i in courses]


def course_completed_at(*, user: Any, course_id: int) -> dt.datetime | None:
    """When the user completed this course (a datetime), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    known = user.__dict__.get("_maharat_completed", {})
    if course_id in known:
        return known[course_id]
    return (
        CourseCompletion.objects.filter(user=user, course_id=course_id)
        .values_list("completed_at", flat=True)
        .first()
    )
