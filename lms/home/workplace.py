"""What one signed-in person's shell shows: the entries of their roles, grouped.

Built once per request (the header and the dashboard share it), from the
``maharat_nav_entries`` hook (lms.kernel.navigation); nothing here imports an app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from lms.accounts.roles import Role, user_has_role
from lms.kernel.navigation import NavItem, NavSection, nav_items_for, nav_sections

LEARNING = "learning"


@dataclass(frozen=True)
class Workplace:
    items: tuple[NavItem, ...]
    sections: tuple[NavSection, ...]
    is_trainee: bool

    @property
    def has_work(self) -> bool:
        """Tools beyond a trainee's own learning (staff, teaching, content ...)."""
        return any(section.key != LEARNING for section in self.sections)

    @property
    def work_sections(self) -> tuple[NavSection, ...]:
        return tuple(s for s in self.sections if s.key != LEARNING)

    @property
    def waiting(self) -> int:
        """Every badge added up: the menu button's own badge on phones."""
        return sum(item.count or 0 for item in self.items)

    @property
    def dashboard_label(self) -> str:
        return _("My work") if self.has_work else _("My learning")


ANONYMOUS = Workplace(items=(), sections=(), is_trainee=False)


def workplace_for(request: HttpRequest) -> Workplace:
    """This request's workplace (computed once: counts cost a query each)."""
    cached = getattr(request, "_maharat_workplace", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    items = tuple(nav_items_for(user))
    workplace = Workplace(
        items=items,
        sections=tuple(nav_sections(items)),
        is_trainee=user_has_role(user, Role.TRAINEE),
    )
    request._maharat_workplace = workplace  # type: ignore[attr-defined]
    return workplace
