"""When the summary is refreshed: on a schedule and after many changes, by the sweep.

No cron: the worker's sweep (lms.ops, every TASKS_SWEEP_EVERY_S) runs
`refresh_if_due`, registered as a periodic job in wagtail_hooks. The apps that write
facts note each change in the kernel's counter (lms.kernel.report_rows
`report_facts_changed`); after REPORTS_REFRESH_AFTER_CHANGES of them, or
REPORTS_REFRESH_EVERY_S after the last refresh, one refresh task is enqueued. Staff
may ask for one at once (`refresh_request`), a little rate-limited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import RateLimited
from lms.kernel.report_rows import (
    report_facts_changes_pending,
    report_facts_changes_take,
)
from lms.kernel.tasks import enqueue
from lms.reports.models import ReportRefresh
from lms.reports.selectors import add_months, month_start
from lms.reports.tasks import refresh_reports

CLAIM_KEY = "reports:refresh:claim"
NOW_KEY = "reports:refresh:now"


@dataclass(frozen=True)
class RefreshPlan:
    """Why a refresh is due and from which month (None: all of it)."""

    reason: str
    since: dt.date | None


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def refresh_due(*, now: dt.datetime | None = None) -> RefreshPlan | None:
    """The refresh to run now, if any (reads the counter, changes nothing)."""
    now = now or timezone.now()
    last_month = add_months(month_start(timezone.localdate(now)), -1)
    finished = ReportRefresh.objects.filter(finished_at__isnull=False)
    last = finished.order_by("-started_at").values_list("started_at", flat=True)
    last_at = last.first()
    last_full_at = last.filter(since__isnull=True).first()
    full_every = dt.timedelta(seconds=_setting("REPORTS_FULL_REFRESH_EVERY_S", 86400))
    if last_full_at is None or now - last_full_at >= full_every:
        return RefreshPlan("schedule", None)
    assert last_at is not None
    age = now - last_at
    if age >= dt.timedelta(seconds=_setting("REPORTS_REFRESH_EVERY_S", 3600)):
        return RefreshPlan("schedule", last_month)
    enough = report_facts_changes_pending() >= _setting(
        "REPORTS_REFRESH_AFTER_CHANGES", 100
    )
    if enough and age >= dt.timedelta(
        seconds=_setting("REPORTS_REFRESH_MIN_GAP_S", 120)
    ):
        return RefreshPlan("changes", last_month)
    return None


def refresh_if_due() -> str:
    """The sweep's job: enqueue one refresh when due (one sweep of many claims it)."""
    plan = refresh_due()
    if plan is None:
        return ""
    gap = _setting("REPORTS_REFRESH_MIN_GAP_S", 120)
    if not cache.add(CLAIM_KEY, plan.reason, gap):
        return ""
    _count, changed_from = report_facts_changes_take()
    since = plan.since
    if since is not None and changed_from is not None:
        since = min(since, changed_from)
    enqueue(refresh_reports, since.isoformat() if since else None)
    return f"refresh enqueued ({plan.reason}, from {since or 'the start'})"


def refresh_request(*, user_id: int) -> None:
    """A staff member's "refresh now": everything, at most once a minute or so.

    Raises RateLimited when one was asked for a moment ago."""
    every = _setting("REPORTS_REFRESH_NOW_EVERY_S", 60)
    if not cache.add(NOW_KEY, user_id, every):
        raise RateLimited(
            _(
                "A refresh was asked for less than %(n)d seconds ago; the figures "
                "will be updated shortly."
            )
            % {"n": every},
            code="refresh_rate",
        )
    report_facts_changes_take()
    enqueue(refresh_reports)
