"""Report facts (issue #21 item 6; the lms.reports contract, lms/reports/README.md):
the skill-test service as the ministry follows it, counted from the append-only
`ApplicationEvent` rows (the first event of each kind per application), so the
figures hold whatever writes the states. One GROUP BY query per metric.

The governorate of a fact is the application's (the directorate that handles it);
gender and disability are the applicant's. Waiting times are sent as whole days
summed beside the count they belong to (`..._wait_days` over `skilltest_tested` or
`skilltest_certified`): the reports divide, so a mean is exact over any filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lms.accounts.selectors import user_has_disability_expression
from lms.kernel.report_rows import fact_rows
from skilltests.data import CentreFigures
from skilltests.models import (
    SEAT_HOLDING,
    ApplicationEvent,
    Booking,
    EventAction,
    TestCentre,
)

# metric → the event whose first occurrence it counts (and dates)
COUNTED = {
    "skilltest_applications": EventAction.SUBMITTED,
    "skilltest_acceptances": EventAction.ACCEPTED,
    "skilltest_tested": EventAction.TESTED,
    "skilltest_no_shows": EventAction.NO_SHOW,
    "skilltest_results": EventAction.RESULT,
    "skilltest_certified": EventAction.CERTIFIED,
}
# metric → (the later event, the earlier one): whole days between their first ones
WAITS = {
    "skilltest_wait_to_test_days": (EventAction.TESTED, EventAction.SUBMITTED),
    "skilltest_wait_to_certificate_days": (EventAction.CERTIFIED, EventAction.TESTED),
}


class WholeDaysBetween(Func):
    """Whole days from the second expression to the first (truncated)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "CAST(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400) AS integer)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return (
            f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)",
            [*later[1], *earlier[1]],
        )


def _month_start(since: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(since.replace(day=1), dt.time.min))


def _first_pk(action: str) -> Subquery:
    return Subquery(
        ApplicationEvent.objects.filter(
            application_id=OuterRef("application_id"), action=action
        )
        .order_by("at", "pk")
        .values("pk")[:1]
    )


def _first_at(action: str) -> Subquery:
    return Subquery(
        ApplicationEvent.objects.filter(
            application_id=OuterRef("application_id"), action=action
        )
        .order_by("at", "pk")
        .values("at")[:1]
    )


def first_events(action: str, *, since: dt.date | None = None) -> QuerySet:
    """The first event of this kind of each application (from `since` on)."""
    qs = ApplicationEvent.objects.filter(action=action).filter(pk=_first_pk(action))
    if since is not None:
        qs = qs.filter(at__gte=_month_start(since))
    return qs


def _facts(qs: QuerySet, *, metric: str, value: Any) -> QuerySet:
    return fact_rows(
        qs.annotate(
            metric=Value(metric, output_field=CharField()),
            month=TruncMonth("at", output_field=DateField()),
            governorate_code=F("application__governorate_code"),
            occupation_code=F("application__occupation__code"),
            level_code=F("application__skill_level__code"),
            gender=F("application__applicant__gender"),
            has_disability=user_has_disability_expression(via="application__applicant"),
            course_id=F("application__course_id"),
        ),
        value=value,
    )


def report_facts(*, since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Skill tests' figures for lms.reports (README, "Figures for the ministry").

    Counts of applications by their first event of each kind, in its month:
    submitted, accepted, tested, no-show, result, certified; `skilltest_returns`
    every return (a decision each, the acceptance rate's other half);
    `skilltest_passes` the first results that passed; the two waits in whole days,
    in the month of the later event."""
    for metric, action in COUNTED.items():
        yield from _facts(
            first_events(action, since=since), metric=metric, value=Count("id")
        )
    returns = ApplicationEvent.objects.filter(action=EventAction.RETURNED)
    if since is not None:
        returns = returns.filter(at__gte=_month_start(since))
    yield from _facts(returns, metric="skilltest_returns", value=Count("id"))
    passes = first_events(EventAction.RESULT, since=since).filter(state_after="passed")
    yield from _facts(passes, metric="skilltest_passes", value=Count("id"))
    for metric, (later, earlier) in WAITS.items():
        waited = first_events(later, since=since).annotate(
            earlier_at=_first_at(earlier)
        )
        waited = waited.filter(earlier_at__isnull=False).annotate(
            waited_days=WholeDaysBetween(F("at"), F("earlier_at"))
        )
        yield from _facts(waited, metric=metric, value=Sum("waited_days"))


def _centre_of_seat() -> Subquery:
    """The centre of the seat the application holds or held last (a move or a
    cancellation gives it up)."""
    return Subquery(
        Booking.objects.filter(
            application_id=OuterRef("application_id"), status__in=SEAT_HOLDING
        )
        .order_by("-booked_at", "-pk")
        .values("session__centre__code")[:1]
    )


def centre_figures(
    *,
    date_from: dt.date,
    date_to: dt.date,
    governorate_codes: tuple[str, ...] | None = None,
) -> list[CentreFigures]:
    """Per test centre, from the first day of `date_from`'s month to the end of
    `date_to`'s: applications sat, no-shows, results and passes (first events of
    each kind). `governorate_codes` None: every centre (head office, API)."""
    start = _month_start(date_from)
    end = _month_start((date_to.replace(day=1) + dt.timedelta(days=32)).replace(day=1))
    counted: dict[str, dict[str, int]] = {}
    queries = {
        "tested": first_events(EventAction.TESTED),
        "no_shows": first_events(EventAction.NO_SHOW),
        "results": first_events(EventAction.RESULT),
        "passes": first_events(EventAction.RESULT).filter(state_after="passed"),
    }
    for name, qs in queries.items():
        qs = qs.filter(at__gte=start, at__lt=end)
        if governorate_codes is not None:
            qs = qs.filter(application__governorate_code__in=governorate_codes)
        rows = (
            qs.annotate(centre=_centre_of_seat())
            .values("centre")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("centre", "n")
        )
        for centre, n in rows:
            counted.setdefault(centre or "", {})[name] = n
    centres = {
        c.code: c for c in TestCentre.objects.filter(code__in=[k for k in counted if k])
    }
    out = []
    for code in sorted(counted, key=lambda c: (c not in centres, c)):
        figures = counted[code]
        centre = centres.get(code)
        out.append(
            CentreFigures(
                centre_code=code,
                centre_name=centre.name if centre else "",
                governorate_code=centre.governorate_code if centre else "",
                tested=figures.get("tested", 0),
                no_shows=figures.get("no_shows", 0),
                results=figures.get("results", 0),
                passes=figures.get("passes", 0),
            )
        )
    return out
