"""Admin and shell integration."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("maharat_report_facts")
def course_report_facts(*, since=None):
    """Courses' figures for the statistics (lms.reports refresh)."""
    from courses.selectors import report_facts

    return report_facts(since=since)
