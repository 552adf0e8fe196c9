"""The fact contract between the apps that own the data and the reports.

Each app that has figures to report writes a selector
``report_facts(*, since: date | None = None) -> Iterable[FactRow-shaped rows]`` in its
``selectors.py`` and registers it with the Wagtail hook ``maharat_report_facts``.
The selector aggregates in the database (one GROUP BY per metric) and yields rows
already counted: ``dict`` rows from ``.values(...).annotate(value=Count(...))`` carry
exactly the fields of `FactRow`. Apps never import ``lms.reports`` (it sits on top of
them), so they hand plain mappings; the reports coerce each one into a `FactRow` and
refuse a malformed row on its own without dropping the good ones.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK_NAME = "maharat_report_facts"
ALL = ""  # occupation/level code of an "all courses" rollup row (distinct metrics)


@dataclass(frozen=True)
class FactRow:
    """One aggregated cell: `value` people/events for these attributes in a month."""

    metric: str
    month: dt.date
    governorate_code: str
    occupation_code: str
    level_code: str
    gender: str
    has_disability: bool
    course_id: int | None
    value: int

    @classmethod
    def coerce(cls, row: FactRow | Mapping[str, Any] | Any) -> FactRow:
        """A FactRow from a mapping or an object with the same attribute names.

        Raises ValueError naming the field that is wrong.
        """
        if isinstance(row, FactRow):
            data = {f.name: getattr(row, f.name) for f in fields(cls)}
        elif isinstance(row, Mapping):
            data = dict(row)
        else:
            data = {f.name: getattr(row, f.name, None) for f in fields(cls)}
        names = {f.name for f in fields(cls)}
        missing = names - data.keys()
        if missing:
            raise ValueError(f"fact row lacks {sorted(missing)}")
        data = {k: data[k] for k in names}
        if data["metric"] not in METRICS:
            raise ValueError(f"unknown metric {data['metric']!r}")
        month = data["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        if not isinstance(month, dt.date):
            raise ValueError("month must be a date")
        data["month"] = month.replace(day=1)
        value = data["value"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("value must be a non-negative integer")
        for name in ("governorate_code", "occupation_code", "level_code", "gender"):
            data[name] = "" if data[name] is None else str(data[name])
        data["has_disability"] = bool(data["has_disability"])
        if data["course_id"] is not None:
            data["course_id"] = int(data["course_id"])
        return cls(**data)


@dataclass(frozen=True)
class Metric:
    """What a metric counts and how it may be added up.

    `distinct` metrics count people in a month (a person active in March and April is
    one person in each): they are never summed across months, and across courses only
    where the source sent an "all courses" rollup (see README).
    """

    code: str
    label: Any
    distinct: bool = False
    course_bound: bool = True
    # False: a part of another figure (a sum of days over a count), read by its
    # section only, never offered as a figure of its own
    listed: bool = True


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric("enrolments", _("Enrolments")),
        Metric("active_trainees", _("Active trainees"), distinct=True),
        Metric("lesson_completions", _("Lesson completions")),
        Metric("course_completions", _("Course completions")),
        Metric("live_attendance", _("Live-class attendance")),
        Metric("exam_attempts", _("Exam attempts")),
        Metric("exam_passes", _("Exam passes")),
        Metric("practical_assessments", _("Practical assessments")),
        Metric("certificates_issued", _("Certificates issued"), course_bound=False),
        Metric("certificates_revoked", _("Certificates revoked"), course_bound=False),
        # skill tests for every worker (skilltests.selectors.reports, issue #21)
        Metric("skilltest_applications", _("Skill-test applications")),
        Metric("skilltest_acceptances", _("Skill-test applications accepted")),
        Metric("skilltest_returns", _("Skill-test applications returned")),
        Metric("skilltest_tested", _("Skill tests sat")),
        Metric("skilltest_no_shows", _("Skill-test no-shows")),
        Metric("skilltest_results", _("Skill-test results")),
        Metric("skilltest_passes", _("Skill tests passed")),
        Metric("skilltest_certified", _("Skill-test certificates issued")),
        Metric(
            "skilltest_wait_to_test_days",
            _("Days waited, application to test (sum)"),
            course_bound=False,
            listed=False,
        ),
        Metric(
            "skilltest_wait_to_certificate_days",
            _("Days waited, test to certificate (sum)"),
            course_bound=False,
            listed=False,
        ),
    )
}

FactSource = Callable[..., Iterable[Any]]


def fact_sources() -> list[FactSource]:
    """Every registered `report_facts` selector (hook `maharat_report_facts`)."""
    return list(hooks.get_hooks(HOOK_NAME))


def source_name(source: FactSource) -> str:
    return f"{getattr(source, '__module__', '?')}.{getattr(source, '__name__', '?')}"


def iter_facts(
    source: FactSource,
    *,
    since: dt.date | None,
    errors: list[str],
    owners: dict[str, str] | None = None,
) -> Iterator[FactRow]:
    """The source's rows as FactRows; a bad row is logged and skipped, not fatal.

    `owners` maps each metric to the first source that sent it: one metric has one
    owner, so a second app sending it cannot double the figures.
    """
    name = source_name(source)
    owners = {} if owners is None else owners
    for row in source(since=since):
        try:
            fact = FactRow.coerce(row)
            owner = owners.setdefault(fact.metric, name)
            if owner != name:
                raise ValueError(f"metric {fact.metric!r} already comes from {owner}")
        except (ValueError, TypeError) as exc:
            errors.append(f"{name}: {exc}")
            logger.warning("report fact refused from %s: %s", name, exc)
            continue
        if since is not None and fact.month < since:
            continue
        yield fact
