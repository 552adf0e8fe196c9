"""Reads other apps need about users."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Coalesce

from lms.accounts.national_id import mask_national_id_public
from lms.accounts.roles import Role, user_has_role


def national_id_for_viewer(*, national_id: str | None, viewer: Any) -> str:
    """The full ID for ministry staff; for anyone else the last four digits only
    (mask_national_id_public): a trainee or an assessor has no use for another
    person's birth date or governorate."""
    if not national_id:
        return ""
    if user_has_role(viewer, Role.MINISTRY_STAFF):
        return national_id
    return mask_national_id_public(national_id)


def user_has_disability_expression(*, via: str) -> Coalesce:
    """An ORM expression for statistics: whether the account reached through the
    foreign key `via` declared a disability (no account counts as no)."""
    from django.db.models import BooleanField, F, Value
    from django.db.models.functions import Coalesce

    return Coalesce(
        F(f"{via}__has_disability"), Value(False), output_field=BooleanField()
    )
