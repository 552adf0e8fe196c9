"""Enrolling in a course and leaving it (progress is kept for a return)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.data import EnrollmentData
from courses.models import Audience, CourseCompletion, CoursePage, Enrollment
from courses.selectors.courses import forget_enrollment
from lms.kernel.errors import Conflict, Forbidden, NotFound
from lms.kernel.report_rows import report_facts_changed


def _data(enrollment: Enrollment) -> EnrollmentData:
    return EnrollmentData(
        user_id=enrollment.user_id,
        course_id=enrollment.course_id,
        status=enrollment.status,
        enrolled_at=enrollment.enrolled_at,
        last_lesson_id=enrollment.last_lesson_id,
    )


@transaction.atomic
def enrollment_create(*, user: Any, course_id: int) -> tuple[EnrollmentData, bool]:
    """Enrol a user in a published course; `created` is False when the user was
    already enrolled (a replay changes nothing). Re-enrolling after leaving resumes
    the kept progress and counts as created.

    Raises NotFound for an unknown or unpublished course, Forbidden for a man in a
    women-only cohort.
    """
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise NotFound(
            _("This course does not exist or is not published."),
            code="course_not_found",
        )
    if course.audience == Audience.WOMEN and getattr(user, "gender", "") == "male":
        raise Forbidden(
            _("This course is for a women-only cohort. Choose another course."),
            code="women_only",
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
        created = True
    if created:
        report_facts_changed()
    forget_enrollment(user=user)
    return _data(enrollment), created


@transaction.atomic
def enrollment_leave(*, user: Any, course_id: int) -> None:
    """Leave a course; progress is kept so re-enrolling resumes it.

    Raises Conflict when the user is not enrolled.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user=user, course_id=course_id)
        .first()
    )
    if enrollment is None or enrollment.status == Enrollment.Status.LEFT:
        raise Conflict(_("You are not enrolled in this course."), code="not_enrolled")
    enrollment.status = Enrollment.Status.LEFT
    enrollment.left_at = timezone.now()
    enrollment.save(update_fields=["status", "left_at"])
    forget_enrollment(user=user)
