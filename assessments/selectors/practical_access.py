"""Who may see and correct a practical test, and its evidence photos.

A draft is its assessor's alone. A submitted test (its page, its photos) is open to
the candidate's photos' three parties: the candidate, assessors (any of them may be
the second assessor who corrects it; its own assessor may not) and ministry staff of
the candidate's directorate (the head office: all)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from assessments.models import PracticalAssessment, PracticalStatus
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden


def staff_governorates(viewer: Any) -> tuple[bool, tuple[str, ...]] | None:
    """(head office, governorate codes) for ministry staff; None for anyone else
    (or for staff not assigned to a directorate)."""
    if not user_has_role(viewer, Role.MINISTRY_STAFF):
        return None
    try:
        scope = staff_scope(user_id=viewer.pk)
    except Forbidden:
        return None
    return scope.head_office, tuple(scope.governorate_codes)


def tests_visible_to(viewer: Any, *, prefix: str = "") -> Q:
    """The practical tests `viewer` may look at, as a filter (on `prefix` + fields of
    PracticalAssessment)."""
    f = prefix
    staff = staff_governorates(viewer)
    if staff is not None:
        head_office, codes = staff
        if head_office:
            return Q()
        return Q(**{f"{f}trainee__governorate_code__in": codes})
    visible = Q(**{f"{f}trainee": viewer})
    if user_has_role(viewer, Role.ASSESSOR):
        visible |= Q(**{f"{f}assessor": viewer})
        visible |= Q(**{f"{f}status": PracticalStatus.SUBMITTED}) & ~Q(
            **{f"{f}trainee": viewer}
        )
    return visible


def may_correct(viewer: Any, assessment: PracticalAssessment) -> bool:
    """Another assessor or staff in scope, never the test's own assessor or its
    candidate, and only once it is submitted."""
    if viewer is None or assessment.status != PracticalStatus.SUBMITTED:
        return False
    if viewer.pk in (assessment.assessor_id, assessment.trainee_id):
        return False
    staff = staff_governorates(viewer)
    if staff is not None:
        head_office, codes = staff
        return head_office or assessment.trainee.governorate_code in codes
    return user_has_role(viewer, Role.ASSESSOR)


def visible_tests(viewer: Any) -> QuerySet[PracticalAssessment]:
    return PracticalAssessment.objects.filter(tests_visible_to(viewer))
