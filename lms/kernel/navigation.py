"""The workplace's entries: each app offers its tools to the roles that may use them.

An app registers a Wagtail hook named ``maharat_nav_entries`` returning the
`NavEntry` objects it offers (one function per app, no argument). The header menu
and the dashboard (lms.home) show a signed-in person exactly the entries whose
``shown_to`` says yes, so neither imports the apps. ``shown_to`` must be the same
rule the page itself applies: an entry shown is a page that answers, never a
refusal (tests/home walks every entry as every role).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

HOOK_NAME = "maharat_nav_entries"

# The dashboard's groups, in the order shown; an entry names one of these keys.
SECTIONS: dict[str, Any] = {
    "learning": _("Learning"),
    "registry": _("Registry"),
    "follow_up": _("Follow-up"),
    "teaching": _("Teaching"),
    "assessment": _("Assessment"),
    "content": _("Content"),
    "admin": _("Administration"),
}


@dataclass(frozen=True)
class NavEntry:
    """One tool: its label (translated, lazily), its page (a URL name without
    arguments), who sees it and, for a badge, how many items wait there."""

    key: str
    label: Any
    url_name: str
    shown_to: Callable[[Any], bool]
    section: str
    description: Any = ""
    count: Callable[[Any], int] | None = None
    order: int = 100

    def __post_init__(self) -> None:
        if self.section not in SECTIONS:
            raise ValueError(f"{self.key}: unknown section {self.section!r}")


@dataclass(frozen=True)
class NavItem:
    """An entry resolved for one person: the URL and the badge's number."""

    key: str
    label: str
    url: str
    section: str
    description: str
    count: int | None
    order: int


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str
    items: tuple[NavItem, ...]

    @property
    def waiting(self) -> int:
        """The section's badges added up (its heading's badge in the bar)."""
        return sum(item.count or 0 for item in self.items)


def nav_entries() -> list[NavEntry]:
    """Every entry every app registered (for tests and the admin's overview)."""
    entries: list[NavEntry] = []
    seen: set[str] = set()
    for hook in hooks.get_hooks(HOOK_NAME):
        for entry in _as_list(hook()):
            if entry.key in seen:
                raise ValueError(f"two navigation entries are named {entry.key!r}")
            seen.add(entry.key)
            entries.append(entry)
    return entries


def nav_items_for(user: Any) -> list[NavItem]:
    """The entries this person may use, in section then entry order, with counts."""
    order = list(SECTIONS)
    items = [
        NavItem(
            key=entry.key,
            label=str(entry.label),
            url=reverse(entry.url_name),
            section=entry.section,
            description=str(entry.description),
            count=entry.count(user) if entry.count else None,
            order=entry.order,
        )
        for entry in nav_entries()
        if getattr(user, "is_authenticated", False) and entry.shown_to(user)
    ]
    items.sort(key=lambda i: (order.index(i.section), i.order, i.key))
    return items


def nav_sections(items: Iterable[NavItem]) -> list[NavSection]:
    """The items grouped by section, sections in their declared order."""
    grouped: dict[str, list[NavItem]] = {}
    for item in items:
        grouped.setdefault(item.section, []).append(item)
    return [
        NavSection(key=key, label=str(label), items=tuple(grouped[key]))
        for key, label in SECTIONS.items()
        if key in grouped
    ]


def _as_list(value: NavEntry | Iterable[NavEntry] | None) -> list[NavEntry]:
    if value is None:
        return []
    if isinstance(value, NavEntry):
        return [value]
    return list(value)
