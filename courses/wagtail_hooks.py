"""Admin and shell integration: dashboard panel, demo data, report figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, TextIO

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry
from lms.kernel.panels import DashboardPanel


@hooks.register("maharat_nav_entries")
def courses_nav_entries() -> list[NavEntry]:
    return [
        NavEntry(
            key="courses.teaching",
            label=_("Courses I teach"),
            description=_("Each cohort's progress, with a spreadsheet export"),
            url_name="courses:instructor_courses",
            shown_to=any_role(Role.INSTRUCTOR),
            section="teaching",
            order=10,
        )
    ]


@hooks.register("maharat_dashboard_panels")
def my_courses_panel(request: HttpRequest) -> DashboardPanel | None:
    if not request.user.is_authenticated:
        return None
    from courses.selectors import my_courses

    rows = my_courses(user=request.user)
    if not rows:
        return None
    return DashboardPanel(
        slot="courses",
        template="courses/panels/my_courses.html",
        context={"rows": rows},
        order=10,
    )


@hooks.register("maharat_seed_demo")
def seed_courses(stdout: TextIO) -> None:
    from courses.seed import seed_courses as run

    run(stdout)


seed_courses.order = 30


@hooks.register("maharat_report_facts")
def course_report_facts(*, since: date | None = None) -> Iterator[dict[str, Any]]:
    """Courses' figures for the statistics (lms.reports refresh)."""
    from courses.selectors import report_facts

    return report_facts(since=since)
