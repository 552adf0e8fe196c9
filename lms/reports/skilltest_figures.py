"""The skill-test service as the ministry follows it (issue #21 item 6): rates and
mean waits by directorate, occupation and level, from the summary facts the
skilltests app sends (`skilltest_*`, skilltests.selectors.reports); by test centre
from that app's selector (a centre is not a fact dimension).

Every rate is a ratio of two counted figures and is shown only when both are shown
(the small-cell rule of the reports: a count of 1–4 hides the rate); a mean wait is
the summed whole days over the count it belongs to, shown when that count is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats

from lms.reports.facts import METRICS
from lms.reports.labels import Labels, order_keys
from lms.reports.selectors import (
    DIMENSIONS,
    SMALL_CELL,
    Cell,
    ReportFilters,
    ReportScope,
    figures_by,
    suppress,
)

COUNTS = (
    "skilltest_applications",
    "skilltest_acceptances",
    "skilltest_returns",
    "skilltest_tested",
    "skilltest_no_shows",
    "skilltest_results",
    "skilltest_passes",
    "skilltest_certified",
)
WAIT_SUMS = ("skilltest_wait_to_test_days", "skilltest_wait_to_certificate_days")
SERVICE_DIMENSIONS = ("governorate", "occupation", "level")


def _ratio(part: Cell, whole: int | None, *, percent: bool) -> float | None:
    if part.value is None or whole is None or whole <= 0:
        return None
    value = part.value / whole
    return round(100 * value if percent else value, 1)


def _shown(value: int) -> int | None:
    """A count as the small-cell rule shows it (None: hidden)."""
    return None if 0 < value < SMALL_CELL else value


@dataclass(frozen=True)
class ServiceRow:
    key: str
    label: str
    applications: Cell
    acceptance_rate: float | None  # accepted ÷ (accepted + returned), %
    no_show_rate: float | None  # no-shows ÷ (sat + no-shows), %
    pass_rate: float | None  # passed ÷ results, %
    days_to_test: float | None  # mean whole days, first submission → test
    days_to_certificate: float | None  # mean whole days, test → certificate

    def display(self, name: str) -> str:
        value = getattr(self, name)
        if value is None:
            return "—"
        text = formats.number_format(value, 1)
        return f"{text}%" if name.endswith("_rate") else text

    @property
    def acceptance_rate_display(self) -> str:
        return self.display("acceptance_rate")

    @property
    def no_show_rate_display(self) -> str:
        return self.display("no_show_rate")

    @property
    def pass_rate_display(self) -> str:
        return self.display("pass_rate")

    @property
    def days_to_test_display(self) -> str:
        return self.display("days_to_test")

    @property
    def days_to_certificate_display(self) -> str:
        return self.display("days_to_certificate")


def service_row(key: str, label: str, figures: dict[str, int]) -> ServiceRow:
    """One row from the summed figures of its group."""
    f = figures
    decisions = _shown(f["skilltest_acceptances"] + f["skilltest_returns"])
    expected = _shown(f["skilltest_tested"] + f["skilltest_no_shows"])
    return ServiceRow(
        key=key,
        label=label,
        applications=Cell(_shown(f["skilltest_applications"])),
        acceptance_rate=_ratio(
            Cell(_shown(f["skilltest_acceptances"])), decisions, percent=True
        ),
        no_show_rate=_ratio(
            Cell(_shown(f["skilltest_no_shows"])), expected, percent=True
        ),
        pass_rate=_ratio(
            Cell(_shown(f["skilltest_passes"])),
            _shown(f["skilltest_results"]),
            percent=True,
        ),
        days_to_test=_ratio(
            Cell(f["skilltest_wait_to_test_days"]),
            _shown(f["skilltest_tested"]),
            percent=False,
        ),
        days_to_certificate=_ratio(
            Cell(f["skilltest_wait_to_certificate_days"]),
            _shown(f["skilltest_certified"]),
            percent=False,
        ),
    )


def service_table(
    *, dimension: str, filters: ReportFilters, scope: ReportScope
) -> tuple[list[ServiceRow], ServiceRow]:
    """The rows of one dimension (directorate, occupation or level) and the total."""
    column = DIMENSIONS[dimension]
    by_metric = {
        code: figures_by(
            metric=METRICS[code], column=column, filters=filters, scope=scope
        )
        for code in (*COUNTS, *WAIT_SUMS)
    }
    keys = order_keys(dimension, set().union(*(set(v) for v in by_metric.values())))
    labels = Labels()
    rows = [
        service_row(
            str(key),
            labels.label(dimension, key),
            {code: values.get(key, 0) for code, values in by_metric.items()},
        )
        for key in keys
    ]
    totals = {code: sum(values.values()) for code, values in by_metric.items()}
    applications, _total = suppress(
        {str(k): by_metric["skilltest_applications"].get(k, 0) for k in keys},
        totals["skilltest_applications"],
    )
    rows = [
        ServiceRow(**{**r.__dict__, "applications": applications[r.key]}) for r in rows
    ]
    return rows, service_row("", "", totals)
