"""The shape of a statistics row, shared by the apps that feed lms.reports.

Apps sit below lms.reports and may not import it (dependencies point down), so the
GROUP BY that every `report_facts` selector ends with lives here: a source annotates
the fact fields on its queryset and hands it to `fact_rows`. The fields are exactly
those of `lms.reports.facts.FactRow` (a test keeps the two in step).
"""

from __future__ import annotations

from typing import Any

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
