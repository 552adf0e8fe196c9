"""The trainee dashboard's slots, filled by the apps that own the data.

An app registers a Wagtail hook named ``maharat_dashboard_panels`` returning a
`DashboardPanel` (or None) for a user; the dashboard never imports the apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from wagtail import hooks

HOOK_NAME = "maharat_dashboard_panels"
SLOTS = ("courses", "classes", "certificates")


@dataclass(frozen=True)
class DashboardPanel:
    slot: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def dashboard_panels_for(request: HttpRequest) -> dict[str, list[DashboardPanel]]:
    panels: dict[str, list[DashboardPanel]] = {slot: [] for slot in SLOTS}
    for hook in hooks.get_hooks(HOOK_NAME):
        panel = hook(request)
        if panel is not None:
            panels.setdefault(panel.slot, []).append(panel)
    for items in panels.values():
        items.sort(key=lambda p: p.order)
    return panels
