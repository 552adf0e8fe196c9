"""The shell's own workplace entries: the two admin sites, for those they admit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import can_use_cms
from lms.kernel.navigation import NavEntry


def _is_superuser(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


@hooks.register("maharat_nav_entries")
def shell_nav_entries() -> list[NavEntry]:
    return [
        NavEntry(
            key="home.cms",
            label=_("Content management"),
            description=_("Lessons and pages, their review, videos"),
            url_name="wagtailadmin_home",
            shown_to=can_use_cms,
            section="content",
            order=10,
        ),
        NavEntry(
            key="home.django_admin",
            label=_("Site administration"),
            description=_("Accounts, roles and directorates"),
            url_name="admin:index",
            shown_to=_is_superuser,
            section="admin",
            order=10,
        ),
    ]
