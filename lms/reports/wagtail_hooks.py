"""Admin and shell integration: a Statistics menu item; figures after demo seeding."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.roles import Role, any_role, user_has_role
from lms.kernel.navigation import NavEntry


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_has_role(request.user, Role.MINISTRY_STAFF)


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return StatisticsMenuItem(
        _("Statistics"), reverse("reports:dashboard"), icon_name="table", order=900
    )


def _teaching_instructor(user) -> bool:
    """An instructor (not staff, who have the full entry) with a course to count:
    their figures are their courses' only."""
    if not user_has_role(user, Role.INSTRUCTOR) or user_has_role(
        user, Role.MINISTRY_STAFF
    ):
        return False
    from courses.selectors import course_list_for_instructor

    return bool(course_list_for_instructor(user=user))


def _staff_with_scope(user) -> bool:
    """Staff whose account has a directorate (or the head office), superusers: the
    page's rule (lms.accounts.selectors.staff_scope), without a query."""
    from lms.reports.access import is_staff_viewer, staff_report_scope

    if not is_staff_viewer(user):
        return False
    if user.is_superuser or getattr(user, "directorate_id", None):
        return True
    try:  # an account object older than its assignment: ask the database
        staff_report_scope(user)
    except PermissionDenied:
        return False
    return True


@hooks.register("maharat_nav_entries")
def reports_nav_entries() -> list[NavEntry]:
    """The statistics: every figure for staff, their own courses' for instructors
    (the page's own rule, lms.reports.access)."""
    return [
        NavEntry(
            key="reports.statistics",
            label=_("Statistics"),
            description=_("Figures by governorate, trade, level, gender and month"),
            url_name="reports:dashboard",
            shown_to=any_role(Role.MINISTRY_STAFF),
            section="follow_up",
            order=10,
        ),
        NavEntry(
            key="reports.workload",
            label=_("Directorate workload"),
            description=_(
                "Pending certificates by days waiting; days from pass to issue"
            ),
            url_name="reports:workload",
            shown_to=_staff_with_scope,
            section="follow_up",
            order=20,
        ),
        NavEntry(
            key="reports.skill_tests",
            label=_("Skill tests: the service"),
            description=_(
                "Acceptance, no-show and pass rates, waiting days, by directorate "
                "and centre"
            ),
            url_name="reports:skill_tests",
            shown_to=_staff_with_scope,
            section="follow_up",
            order=25,
        ),
        NavEntry(
            key="reports.course_statistics",
            label=_("My courses' statistics"),
            description=_(
                "Enrolments, completions and passes in the courses you teach"
            ),
            url_name="reports:dashboard",
            shown_to=_teaching_instructor,
            section="teaching",
            order=30,
        ),
    ]


@hooks.register("maharat_periodic")
def reports_refresh_if_due():
    """The summary is refreshed on a schedule and after many changed facts."""
    from lms.reports.schedule import refresh_if_due

    return refresh_if_due()


def seed_report_figures(stdout) -> None:
    """Compute the figures last, once every app has seeded its demo data."""
    from lms.reports.services import facts_refresh

    refresh = facts_refresh()
    stdout.write(f"Statistics: {refresh.rows} summary rows computed.")


seed_report_figures.order = 1000
hooks.register("maharat_seed_demo", seed_report_figures)
