"""Admin and shell integration: a Statistics menu item; figures after demo seeding."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.roles import Role, user_has_role


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_has_role(request.user, Role.MINISTRY_STAFF)


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return StatisticsMenuItem(
        _("Statistics"), reverse("reports:dashboard"), icon_name="table", order=900
    )


def seed_report_figures(stdout) -> None:
    """Compute the figures last, once every app has seeded its demo data."""
    from lms.reports.services import facts_refresh

    refresh = facts_refresh()
    stdout.write(f"Statistics: {refresh.rows} summary rows computed.")


seed_report_figures.order = 1000
hooks.register("maharat_seed_demo", seed_report_figures)
