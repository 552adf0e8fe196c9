"""Background refresh of the report summary (django_tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lms.reports.services import facts_refresh


@task()
def refresh_reports(since: str | None = None) -> int:
    """Refresh the summary; `since` is an ISO date (month) or None for everything."""
    since_date = dt.date.fromisoformat(since) if since else None
    return facts_refresh(since=since_date).rows
