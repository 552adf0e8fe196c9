"""The fact contract, the hook registry and the background refresh."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail import hooks

from lms.reports.facts import HOOK_NAME, FactRow
from lms.reports.models import ReportFact, ReportRefresh
from lms.reports.services import facts_refresh
from lms.reports.tasks import refresh_reports
from tests.reports.conftest import fact


def test_refresh_stores_every_row_a_registered_source_yields(known):
    assert ReportFact.objects.count() == len(known)
    assert ReportFact.objects.filter(metric="enrolments").count() == 7
    refresh = ReportRefresh.objects.get()
    assert refresh.rows == len(known)
    assert refresh.errors == []


def test_a_malformed_row_is_refused_alone(db):
    rows = [
        fact("enrolments", "2025-01-01", "01", "7531", "assistant", "male", 0, 1, 9),
        fact("no_such_metric", "2025-01-01", "01", "", "", "male", 0, 1, 9),
        fact("enrolments", "2025-01-01", "01", "", "", "male", 0, 1, -3),
        {"metric": "enrolments", "value": 4},
    ]
    with hooks.register_temporarily(HOOK_NAME, lambda *, since=None: rows):
        refresh = facts_refresh()
    assert list(ReportFact.objects.values_list("value", flat=True)) == [9]
    assert len(refresh.errors) == 3
    assert any("no_such_metric" in e for e in refresh.errors)


def test_fact_row_accepts_a_dataclass_and_normalises_the_month(db):
    row = FactRow.coerce(
        fact("enrolments", "2025-03-17", "01", "7531", "assistant", "male", 1, "5", 2)
    )
    assert row.month == dt.date(2025, 3, 1)
    assert row.course_id == 5 and row.has_disability is True
    assert FactRow.coerce(row) == row


def test_partial_refresh_keeps_older_months_and_replaces_newer(db):
    old = fact("enrolments", "2025-01-01", "01", "7531", "assistant", "male", 0, 1, 5)
    new = fact("enrolments", "2025-05-01", "01", "7531", "assistant", "male", 0, 1, 6)
    with hooks.register_temporarily(HOOK_NAME, lambda *, since=None: [old, new]):
        facts_refresh()
    newer = dict(new, value=60)
    seen = {}

    def source(*, since=None):
        seen["since"] = since
        return [dict(old, value=999), newer]

    with hooks.register_temporarily(HOOK_NAME, source):
        facts_refresh(since=dt.date(2025, 4, 15))
    assert seen["since"] == dt.date(2025, 4, 1)
    values = dict(ReportFact.objects.values_list("month", "value"))
    assert values == {dt.date(2025, 1, 1): 5, dt.date(2025, 5, 1): 60}


def test_refresh_twice_does_not_double_the_figures(known):
    facts_refresh()
    assert ReportFact.objects.filter(metric="enrolments").count() == 7


def test_task_refreshes_the_summary(source_rows):
    with hooks.register_temporarily(HOOK_NAME, lambda *, since=None: source_rows):
        result = refresh_reports.enqueue()
    assert result.return_value == len(source_rows)
    assert ReportFact.objects.count() == len(source_rows)


def test_command_refreshes_and_reports_the_row_count(source_rows):
    out = StringIO()
    with hooks.register_temporarily(HOOK_NAME, lambda *, since=None: source_rows):
        call_command("refresh_reports", stdout=out)
    assert f"Refreshed {len(source_rows)} summary rows" in out.getvalue()


def test_command_refuses_a_bad_month(db):
    with pytest.raises(CommandError, match="month like 2026-01"):
        call_command("refresh_reports", since="March")


def test_a_second_source_cannot_send_a_metric_another_owns(db):
    row = fact("enrolments", "2025-01-01", "01", "7531", "assistant", "male", 0, 1, 9)

    def first(*, since=None):
        return [row]

    def second(*, since=None):
        return [dict(row, value=50)]

    with (
        hooks.register_temporarily(HOOK_NAME, first),
        hooks.register_temporarily(HOOK_NAME, second),
    ):
        refresh = facts_refresh()
    assert list(ReportFact.objects.values_list("value", flat=True)) == [9]
    assert "already comes from" in refresh.errors[0]


def test_demo_seeding_computes_the_figures_last(source_rows):
    from lms.home.seeding import HOOK_NAME as SEED_HOOK

    seeders = sorted(hooks.get_hooks(SEED_HOOK), key=lambda f: getattr(f, "order", 100))
    assert seeders[-1].__module__ == "lms.reports.wagtail_hooks"
    out = StringIO()
    with hooks.register_temporarily(HOOK_NAME, lambda *, since=None: source_rows):
        seeders[-1](out)
    assert f"{len(source_rows)} summary rows" in out.getvalue()
