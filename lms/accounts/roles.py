"""The platform's roles. Each is a Django group created by a migration."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    INSTRUCTOR = "instructor", _("Instructor")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    CONTENT_REVIEWER = "content_reviewer", _("Content reviewer")
    ASSESSOR = "assessor", _("Assessor")
    MINISTRY_STAFF = "ministry_staff", _("Ministry staff")


def user_has_role(user: Any, role: Role | str) -> bool:
    """True if an authenticated user belongs to the role's group (superusers: all)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return str(role) in cached


def remember_roles(user: Any, names: Iterable[str]) -> None:
    """Record role names read together with the user, so `user_has_role` needs no
    query of its own (the role set lives as long as the user object: one request)."""
    user._role_names = set(names)


def user_roles(user: Any) -> list[Role]:
    return [role for role in Role if user_has_role(user, role)]


def any_role(*roles: Role) -> Callable[[Any], bool]:
    """A check for a navigation entry: the user holds one of these roles (the same
    rule as a page's ``role_required(*roles)``)."""

    def check(user: Any) -> bool:
        return any(user_has_role(user, role) for role in roles)

    check.__name__ = "any_role_" + "_".join(str(r) for r in roles)
    return check


def can_use_cms(user: Any) -> bool:
    """Wagtail's own rule for its admin (/cms/): anyone else gets "not allowed"."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
    )
