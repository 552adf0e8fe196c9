"""Who may do what in assessments: the roles of each page and API, and the person
behind an id (with roles) for the services' own checks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from lms.accounts.roles import Role, user_has_role

TRAINEES = (Role.TRAINEE,)
ASSESSORS = (Role.ASSESSOR,)
# essays are graded by assessors and ministry staff
GRADERS = (Role.ASSESSOR, Role.MINISTRY_STAFF)
# item analysis: the content team and ministry staff
ANALYSTS = (Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER, Role.MINISTRY_STAFF)


def has_any_role(user: Any, roles: tuple[Role, ...]) -> bool:
    return any(user_has_role(user, role) for role in roles)


def person(user_id: int | None) -> Any:
    """The active account behind an id, or None (a deactivated one is nobody)."""
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()
