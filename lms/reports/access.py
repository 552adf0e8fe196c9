"""Who may see which figures. One place, so pages, exports and the API agree.

Head-office staff see everything and compare directorates; a directorate's staff see
their directorate's governorates only (lms.accounts.selectors.staff_scope, the one
rule of every staff list); instructors only the courses they teach; every other role
(trainees, assessors, content team) is refused. Other government systems reach the
API with a token whose API client carries the scope ``reports:read``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden
from lms.reports.selectors import ReportScope

READ_SCOPE = "reports:read"


def api_client_of(user):
    """The API client behind a token user (the registry's ApiClient), if any."""
    return getattr(user, "api_client", None) if user is not None else None


def has_scope(user, scope: str = READ_SCOPE) -> bool:
    """True if the user's API client carries the scope.

    Duck-typed on the registry's `ApiClient` (`user.api_client.has_scope(scope)`), so
    the reports import nothing from the registry; switch here if its mechanism moves.
    """
    client = api_client_of(user)
    if client is None:
        return False
    try:
        return bool(client.has_scope(scope))
    except AttributeError:
        return False


def report_scope_for(user) -> ReportScope:
    """The facts a user may see; raises PermissionDenied for everyone else."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if api_client_of(user) is not None:
        if has_scope(user, READ_SCOPE):
            return ReportScope()
        raise PermissionDenied
    if user_has_role(user, Role.MINISTRY_STAFF) or user.is_superuser:
        return staff_report_scope(user)
    if user_has_role(user, Role.INSTRUCTOR):
        from courses.selectors import course_list_for_instructor

        return ReportScope(
            course_ids=tuple(c.id for c in course_list_for_instructor(user=user))
        )
    raise PermissionDenied


def staff_report_scope(user) -> ReportScope:
    """A staff member's figures: all (head office) or their directorate's; staff not
    assigned to a directorate yet are refused, as by every staff tool."""
    try:
        scope = staff_scope(user_id=user.pk)
    except Forbidden as refusal:
        raise PermissionDenied(refusal.message) from None
    if scope.head_office:
        return ReportScope()
    return ReportScope(governorate_codes=tuple(sorted(scope.governorate_codes)))


def is_staff_viewer(user) -> bool:
    """Staff (not an instructor's or an API client's view): may ask for a refresh
    and open the directorate workload."""
    if not getattr(user, "is_authenticated", False):
        return False
    # the roles first: they came with the user, the API client is a query
    if not (user.is_superuser or user_has_role(user, Role.MINISTRY_STAFF)):
        return False
    return api_client_of(user) is None


class CanReadReports(BasePermission):
    """DRF: ministry staff, instructors (own courses) or a client with reports:read."""

    message = "Reports need ministry staff, an instructor, or the reports:read scope."

    def has_permission(self, request, view) -> bool:
        try:
            view.report_scope = report_scope_for(request.user)
        except PermissionDenied:
            return False
        return True
