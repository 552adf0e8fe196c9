"""Reads of the reports: every figure comes from GROUP BY queries on the summary.

The small-cell rule lives here too, so tables, charts, exports and the API all show
the same suppressed figures (see README, "Small cells").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lms.reports.facts import METRICS, Metric
from lms.reports.labels import Labels, order_keys
from lms.reports.models import ReportFact, ReportRefresh

SMALL_CELL = 5
SUPPRESSED = "<5"
# Shown in a page or a chart: isolated left-to-right (LRI … PDI). Bare in an
# Arabic line, "<" takes the line's direction and is mirrored: readers saw "5>".
SUPPRESSED_DISPLAY = "\u2066<5\u2069"

DIMENSIONS: dict[str, str] = {
    "governorate": "governorate_code",
    "occupation": "occupation_code",
    "level": "level_code",
    "gender": "gender",
    "disability": "has_disability",
    "month": "month",
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ReportFilters:
    """Months are first-of-month dates; both ends inclusive."""

    date_from: dt.date
    date_to: dt.date
    governorate: str = ""
    occupation: str = ""
    level: str = ""

    @classmethod
    def default(cls, *, today: dt.date | None = None) -> ReportFilters:
        today = today or timezone.localdate()
        return cls(date_from=dt.date(today.year, 1, 1), date_to=month_start(today))

    def last_year(self) -> ReportFilters:
        return replace(
            self,
            date_from=add_months(self.date_from, -12),
            date_to=add_months(self.date_to, -12),
        )

    @property
    def months(self) -> list[dt.date]:
        out, month = [], self.date_from
        while month <= self.date_to:
            out.append(month)
            month = add_months(month, 1)
        return out


@dataclass(frozen=True)
class ReportScope:
    """Which facts a viewer may see: every course (`course_ids` None) or these only;
    every governorate (`governorate_codes` None: the head office, API clients) or a
    directorate's governorates only (a fact belongs to the directorate of its
    governorate; facts with no governorate recorded to the head office alone)."""

    course_ids: tuple[int, ...] | None = None
    governorate_codes: tuple[str, ...] | None = None

    @property
    def everything(self) -> bool:
        """Every course's facts (instructors see their courses only)."""
        return self.course_ids is None

    @property
    def directorate(self) -> bool:
        """Limited to a directorate's governorates."""
        return self.governorate_codes is not None

    def covers(self, governorate_code: str) -> bool:
        return self.governorate_codes is None or (
            governorate_code in self.governorate_codes
        )


@dataclass(frozen=True)
class Cell:
    """A figure as shown: `value` is None when the small-cell rule hides it."""

    value: int | None
    raw_zero: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.value is None:
            return SUPPRESSED_DISPLAY
        return formats.number_format(self.value, force_grouping=True)

    @property
    def export(self) -> int | str:
        return SUPPRESSED if self.value is None else self.value


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    this_year: Cell
    last_year: Cell

    @property
    def change(self) -> str:
        return percent_change(self.this_year, self.last_year)


@dataclass(frozen=True)
class ReportTable:
    metric: Metric
    dimension: str
    rows: tuple[TableRow, ...]
    total_this_year: Cell
    total_last_year: Cell
    total_label: str

    @property
    def total_change(self) -> str:
        return percent_change(self.total_this_year, self.total_last_year)


def percent_change(now: Cell, before: Cell) -> str:
    if now.suppressed or before.suppressed or not before.value:
        return "—"
    assert now.value is not None
    return f"{round(100 * (now.value - before.value) / before.value):+d}%"


def suppress(values: dict[Any, int], total: int) -> tuple[dict[Any, Cell], Cell]:
    """Hide cells of 1–4, and one more cell when a single hidden cell could be
    recovered by subtracting the others from the total (secondary suppression)."""
    hidden = {k for k, v in values.items() if 0 < v < SMALL_CELL}
    if len(hidden) == 1:
        others = sorted((v, k) for k, v in values.items() if k not in hidden and v > 0)
        if others:
            hidden.add(others[0][1])
    cells = {k: Cell(None if k in hidden else v) for k, v in values.items()}
    total_cell = Cell(None if 0 < total < SMALL_CELL else total)
    return cells, total_cell


# --- Queries ---------------------------------------------------------------------


def _filtered(qs: QuerySet, filters: ReportFilters, scope: ReportScope) -> QuerySet:
    qs = qs.filter(month__gte=filters.date_from, month__lte=filters.date_to)
    if filters.governorate:
        qs = qs.filter(governorate_code=filters.governorate)
    if filters.occupation:
        qs = qs.filter(occupation_code=filters.occupation)
    if filters.level:
        qs = qs.filter(level_code=filters.level)
    if not scope.everything:
        qs = qs.filter(course_id__in=scope.course_ids)
    if scope.governorate_codes is not None:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    return qs


def _facts(
    metric: Metric, filters: ReportFilters, scope: ReportScope, *, dimension: str = ""
) -> QuerySet:
    qs = _filtered(ReportFact.objects.filter(metric=metric.code), filters, scope)
    if metric.distinct:
        # Distinct people: the "all courses" rollup (course_id NULL) counts a person
        # once however many courses; per-course rows count them once per course.
        rollup = (
            scope.everything
            and not filters.occupation
            and not filters.level
            and dimension not in ("occupation", "level")
        )
        qs = qs.filter(course_id__isnull=rollup)
    return qs


def _peak_by(qs: QuerySet, column: str | None) -> dict:
    """For distinct metrics: per group, the highest monthly count (never a sum)."""
    group = [column] if column else []
    inner = qs.values(*group, "month").annotate(s=Sum("value")).order_by()
    sql, params = inner.query.sql_with_params()
    quote = connection.ops.quote_name
    if column:
        outer = (
            f"SELECT t.{quote(column)}, MAX(t.s) FROM ({sql}) t "
            f"GROUP BY t.{quote(column)}"
        )
    else:
        outer = f"SELECT '', MAX(t.s) FROM ({sql}) t"
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return {key: value or 0 for key, value in cursor.fetchall()}


def figures_by(
    *, metric: Metric, column: str | None, filters: ReportFilters, scope: ReportScope
) -> dict:
    """{group key: figure} for one period (or {"": total} when column is None)."""
    dimension = next((d for d, c in DIMENSIONS.items() if c == column), "")
    qs = _facts(metric, filters, scope, dimension=dimension)
    if metric.distinct and column != "month":
        peaks = _peak_by(qs, column)
        if column == "has_disability":
            return {bool(k): v for k, v in peaks.items()}
        return peaks
    if column is None:
        return {"": qs.aggregate(s=Sum("value"))["s"] or 0}
    rows = qs.values(column).annotate(s=Sum("value")).order_by()
    return {row[column]: row["s"] or 0 for row in rows}


def report_table(
    *, metric: str, dimension: str, filters: ReportFilters, scope: ReportScope
) -> ReportTable:
    """One metric by one dimension, this period beside the same period a year before."""
    m = METRICS[metric]
    column = DIMENSIONS[dimension]
    last = filters.last_year()
    now_values = figures_by(metric=m, column=column, filters=filters, scope=scope)
    last_values = figures_by(metric=m, column=column, filters=last, scope=scope)
    if dimension == "month":
        last_values = {add_months(k, 12): v for k, v in last_values.items()}
        keys = filters.months
    else:
        keys = order_keys(dimension, set(now_values) | set(last_values))
    if m.distinct:
        now_total = figures_by(metric=m, column=None, filters=filters, scope=scope)[""]
        last_total = figures_by(metric=m, column=None, filters=last, scope=scope)[""]
    else:  # every fact row falls in exactly one group: the total is their sum
        now_total, last_total = sum(now_values.values()), sum(last_values.values())
    now_cells, now_total_cell = suppress(
        {k: now_values.get(k, 0) for k in keys}, now_total
    )
    last_cells, last_total_cell = suppress(
        {k: last_values.get(k, 0) for k in keys}, last_total
    )
    labels = Labels()
    rows = tuple(
        TableRow(
            key=str(key),
            label=labels.label(dimension, key),
            this_year=now_cells[key],
            last_year=last_cells[key],
        )
        for key in keys
    )
    return ReportTable(
        metric=m,
        dimension=dimension,
        rows=rows,
        total_this_year=now_total_cell,
        total_last_year=last_total_cell,
        total_label=_("Highest month") if m.distinct else _("Total"),
    )


@dataclass(frozen=True)
class OverviewRow:
    metric: Metric
    this_year: Cell
    last_year: Cell

    @property
    def change(self) -> str:
        return percent_change(self.this_year, self.last_year)


def _additive_totals(
    metrics: list[Metric], filters: ReportFilters, scope: ReportScope
) -> dict[str, int]:
    """Totals of every additive metric in one GROUP BY metric query."""
    qs = _filtered(
        ReportFact.objects.filter(metric__in=[m.code for m in metrics]), filters, scope
    )
    return dict(qs.values("metric").annotate(s=Sum("value")).values_list("metric", "s"))


def overview(*, filters: ReportFilters, scope: ReportScope) -> list[OverviewRow]:
    """Every metric's figure for the period and the year before."""
    metrics = metrics_for(scope)
    additive = [m for m in metrics if not m.distinct]
    periods = (filters, filters.last_year())
    totals = [_additive_totals(additive, period, scope) for period in periods]
    out = []
    for m in metrics:
        if m.distinct:
            now, before = (
                figures_by(metric=m, column=None, filters=p, scope=scope)[""]
                for p in periods
            )
        else:
            now, before = totals[0].get(m.code, 0), totals[1].get(m.code, 0)
        out.append(OverviewRow(m, suppress({}, now)[1], suppress({}, before)[1]))
    return out


@dataclass(frozen=True)
class PassRateRow:
    key: str
    label: str
    attempts: Cell
    passes: Cell

    @property
    def rate(self) -> float | None:
        if self.attempts.suppressed or self.passes.suppressed:
            return None
        if not self.attempts.value:
            return None
        return round(100 * (self.passes.value or 0) / self.attempts.value, 1)

    @property
    def rate_display(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{formats.number_format(rate, 1)}%"


def pass_rates_by_level(
    *, filters: ReportFilters, scope: ReportScope
) -> list[PassRateRow]:
    """Exam attempts and passes per skill level; a rate only from unhidden figures."""
    attempts = figures_by(
        metric=METRICS["exam_attempts"],
        column="level_code",
        filters=filters,
        scope=scope,
    )
    passes = figures_by(
        metric=METRICS["exam_passes"], column="level_code", filters=filters, scope=scope
    )
    keys = order_keys("level", set(attempts) | set(passes))
    a_cells, _total = suppress(
        {k: attempts.get(k, 0) for k in keys}, sum(attempts.values())
    )
    p_cells, _total = suppress(
        {k: passes.get(k, 0) for k in keys}, sum(passes.values())
    )
    labels = Labels()
    return [
        PassRateRow(k, labels.label("level", k), a_cells[k], p_cells[k]) for k in keys
    ]


def metrics_for(scope: ReportScope) -> list[Metric]:
    """Instructors see only course-bound metrics (certificates are not per course)."""
    return [
        m for m in METRICS.values() if m.listed and (scope.everything or m.course_bound)
    ]


def figures_as_of() -> dt.datetime | None:
    """When the figures were taken: the start of the last finished refresh."""
    last = (
        ReportRefresh.objects.filter(finished_at__isnull=False)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last
