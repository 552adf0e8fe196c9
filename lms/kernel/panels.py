"""The trainee dashboard's slots, filled by the apps that own the data.

An app registers a Wagtail hook named ``maharat_dashboard_panels`` returning a
`DashboardPanel` (or None) for a user; the dashboard never imports the apps.

The dashboard is kept per user (lms.kernel.personal_pages) while every panel on it
stays exact: each panel says until when (`valid_until`, a Unix time: the next
class to end, a class about to come within its window; None: until one of its
app's services changes what it shows, which abandons the user's kept pages), or
that it cannot say (`keep=False`: it shows something that changes without a
service call the app listens to, so the page is rendered afresh every time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from wagtail import hooks

HOOK_NAME = "maharat_dashboard_panels"
SLOTS = ("courses", "classes", "certificates")
# where `nothing_until`'s panels go: never drawn, only counted in the keep's bound
UNSHOWN = "unshown"


@dataclass(frozen=True)
class DashboardPanel:
    slot: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    # when what the panel shows stops being exact by itself (Unix time), if ever
    valid_until: float | None = None
    # False: it changes without any service call its app listens to
    keep: bool = True


def nothing_until(valid_until: float) -> DashboardPanel:
    """A hook's answer when it has nothing to show for now but knows when that
    changes by itself (no class yet, one comes within the window at 18:00)."""
    return DashboardPanel(slot=UNSHOWN, template="", valid_until=valid_until)


def panels_kept_until(panels: Iterable[DashboardPanel]) -> float | None:
    """The soonest `valid_until` of the panels (infinity when none gives one: each is
    exact until a service moves it, and the caller bounds the keep itself); None
    when any panel refuses keeping."""
    soonest = float("inf")
    for panel in panels:
        if not panel.keep:
            return None
        if panel.valid_until is not None:
            soonest = min(soonest, panel.valid_until)
    return soonest


def dashboard_panels_for(request: HttpRequest) -> dict[str, list[DashboardPanel]]:
    panels: dict[str, list[DashboardPanel]] = {slot: [] for slot in SLOTS}
    for hook in hooks.get_hooks(HOOK_NAME):
        panel = hook(request)
        if panel is not None:
            panels.setdefault(panel.slot, []).append(panel)
    for items in panels.values():
        items.sort(key=lambda p: p.order)
    return panels
