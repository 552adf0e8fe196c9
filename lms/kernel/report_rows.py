"""The shape of a statistics row, shared by the apps that feed lms.reports.

Apps sit below lms.reports and may not import it (dependencies point down), so the
GROUP BY that every `report_facts` selector ends with lives here: a source annotates
the fact fields on its queryset and hands it to `fact_rows`. The fields are exactly
those of `lms.reports.facts.FactRow` (a test keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

FACT_FIELDS = (
    "metric",
    "month",
    "governorate_code",
    "occupation_code",
    "level_code",
    "gender",
    "has_disability",
    "course_id",
)


def fact_rows(queryset: QuerySet, *, value: Any) -> QuerySet:
    """Group `queryset` (with the fact fields annotated) by them; `value` counts."""
    return queryset.values(*FACT_FIELDS).annotate(value=value).order_by()


# --- Changes since the last refresh ------------------------------------------------
# Apps that write facts note how many changed (and the earliest month touched); the
# reports' periodic job reads the count and refreshes after enough of them. In the
# cache, not the database: a lesson completion must not contend on one hot row. A
# count lost with the cache only delays the refresh to the next scheduled one.

CHANGED_KEY = "reports:facts:changed"
CHANGED_FROM_KEY = "reports:facts:changed_from"


def report_facts_changed(*, count: int = 1, month: dt.date | None = None) -> None:
    """Note `count` changed facts (of `month` or later) once the transaction commits."""
    if count > 0:
        transaction.on_commit(lambda: _note_changes(count, month))


def _note_changes(count: int, month: dt.date | None) -> None:
    try:
        cache.incr(CHANGED_KEY, count)
    except ValueError:  # never set, or evicted
        if not cache.add(CHANGED_KEY, count, None):
            cache.incr(CHANGED_KEY, count)
    if month is not None:
        month = month.replace(day=1)
        noted = cache.get(CHANGED_FROM_KEY)
        if not isinstance(noted, str) or month.isoformat() < noted:
            cache.set(CHANGED_FROM_KEY, month.isoformat(), None)


def report_facts_changes_pending() -> int:
    """How many fact changes were noted since the last `report_facts_changes_take`."""
    value = cache.get(CHANGED_KEY)
    return value if isinstance(value, int) else 0


def report_facts_changes_take() -> tuple[int, dt.date | None]:
    """(count, earliest month) noted so far, and start counting afresh."""
    count = report_facts_changes_pending()
    month_text = cache.get(CHANGED_FROM_KEY)
    if count:
        try:
            cache.incr(CHANGED_KEY, -count)  # changes noted meanwhile stay counted
        except ValueError:
            pass
    cache.delete(CHANGED_FROM_KEY)
    month = dt.date.fromisoformat(month_text) if isinstance(month_text, str) else None
    return count, month
