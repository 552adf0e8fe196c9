"""Who may act on what: the acting staff member's directorate (lms.accounts'
staff_scope) must cover the record's governorate; the head office covers all."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden


def scope_check(*, actor_id: int | None, governorate_code: str) -> StaffScope:
    """The actor's scope; Forbidden (``other_directorate``) when it does not cover
    the governorate (``not_staff``/``no_directorate`` from staff_scope itself)."""
    scope = staff_scope(user_id=actor_id)
    if not scope.covers(governorate_code):
        raise Forbidden(
            _("This belongs to another directorate: its staff act on it."),
            code="other_directorate",
        )
    return scope


def scope_governorate(scope: StaffScope) -> str:
    """The governorate a scope is bound to ('' for the head office)."""
    if scope.head_office or not scope.governorate_codes:
        return ""
    return sorted(scope.governorate_codes)[0]
