"""Every figure against the known fixture: dimensions, year on year, filters,
distinct counts and the small-cell rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from lms.reports.selectors import (
    SUPPRESSED,
    Cell,
    ReportScope,
    overview,
    pass_rates_by_level,
    report_table,
    suppress,
)
from tests.reports.conftest import EVERYTHING, H1_2025


def shown(table):
    return {r.key: (r.this_year.export, r.last_year.export) for r in table.rows}


def test_enrolments_by_governorate_hide_the_small_cell_and_its_complement(known):
    table = report_table(
        metric="enrolments", dimension="governorate", filters=H1_2025, scope=EVERYTHING
    )
    # 02 has 3 (primary); 01 (17) is the smallest other cell, hidden so 40 − 20
    # cannot give 02 back; last year has no small cell.
    assert shown(table) == {
        "01": (SUPPRESSED, 6),
        "02": (SUPPRESSED, 0),
        "12": (20, 8),
    }
    assert table.total_this_year.export == 40
    assert table.total_last_year.export == 14


def test_governorate_rows_carry_arabic_names(known):
    table = report_table(
        metric="enrolments", dimension="governorate", filters=H1_2025, scope=EVERYTHING
    )
    assert [r.label for r in table.rows] == ["القاهرة", "الإسكندرية", "الدقهلية"]


def test_enrolments_by_gender_occupation_level_and_disability(known):
    def table(dim):
        return shown(
            report_table(
                metric="enrolments", dimension=dim, filters=H1_2025, scope=EVERYTHING
            )
        )

    assert table("gender") == {"female": (13, 6), "male": (27, 8)}
    assert table("occupation") == {"7422": (23, 8), "7531": (17, 6)}
    assert table("level") == {"assistant": (17, 6), "skilled": (23, 8)}
    assert table("disability") == {"False": (SUPPRESSED, 14), "True": (SUPPRESSED, 0)}


def test_enrolments_by_month_set_this_year_beside_the_same_month_last_year(known):
    table = report_table(
        metric="enrolments", dimension="month", filters=H1_2025, scope=EVERYTHING
    )
    assert [r.key for r in table.rows] == [f"2025-0{m}-01" for m in range(1, 7)]
    assert [r.this_year.export for r in table.rows] == [10, 10, 20, 0, 0, 0]
    assert [r.last_year.export for r in table.rows] == [6, 0, 8, 0, 0, 0]
    assert table.rows[0].change == "+67%"


def test_date_range_excludes_months_outside_it(known):
    july = replace(H1_2025, date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 1))
    table = report_table(
        metric="enrolments", dimension="gender", filters=july, scope=EVERYTHING
    )
    assert table.total_this_year.export == 100


def test_filters_by_governorate_occupation_and_level(known):
    def total(**kw):
        return report_table(
            metric="enrolments",
            dimension="gender",
            filters=replace(H1_2025, **kw),
            scope=EVERYTHING,
        ).total_this_year.export

    assert total(governorate="12") == 20
    assert total(occupation="7531") == 17
    assert total(level="skilled") == 23
    assert total(governorate="02") == SUPPRESSED


def test_active_trainees_are_never_summed_across_months(known):
    table = report_table(
        metric="active_trainees",
        dimension="governorate",
        filters=H1_2025,
        scope=EVERYTHING,
    )
    # January 10 people, February 11: the period figure is the busiest month (11),
    # not 21; per governorate the busiest month too (01: 10; 02: 2, hidden).
    assert table.total_this_year.export == 11
    assert table.rows[0].key == "01" and table.rows[0].this_year.export == SUPPRESSED
    months = report_table(
        metric="active_trainees", dimension="month", filters=H1_2025, scope=EVERYTHING
    )
    assert [r.this_year.export for r in months.rows][:2] == [10, 11]


def test_active_trainees_by_occupation_count_per_course(known):
    table = report_table(
        metric="active_trainees",
        dimension="occupation",
        filters=H1_2025,
        scope=EVERYTHING,
    )
    assert shown(table) == {"7422": (6, 0), "7531": (9, 0)}


def test_pass_rates_by_level_only_from_unhidden_figures(known):
    rows = {r.key: r for r in pass_rates_by_level(filters=H1_2025, scope=EVERYTHING)}
    assert list(rows) == ["assistant", "skilled", "technician"]
    assert rows["assistant"].rate == 75.0
    assert rows["skilled"].passes.export == SUPPRESSED
    assert rows["skilled"].rate is None and rows["skilled"].rate_display == "—"
    # technician's 10 is hidden as the complement of skilled's 3
    assert rows["technician"].passes.export == SUPPRESSED
    assert rows["technician"].attempts.export == 10


def test_overview_gives_every_figure_this_year_and_last(known):
    rows = {r.metric.code: r for r in overview(filters=H1_2025, scope=EVERYTHING)}
    assert rows["enrolments"].this_year.export == 40
    assert rows["enrolments"].last_year.export == 14
    assert rows["certificates_issued"].this_year.export == 12
    assert rows["active_trainees"].this_year.export == 11
    assert rows["certificates_revoked"].this_year.export == 0


def test_instructor_scope_sees_only_their_course(known, courses):
    c1, _c2 = courses
    scope = ReportScope(course_ids=(c1.pk,))
    table = report_table(
        metric="enrolments", dimension="occupation", filters=H1_2025, scope=scope
    )
    assert shown(table) == {"7531": (17, 6)}
    codes = {r.metric.code for r in overview(filters=H1_2025, scope=scope)}
    assert "certificates_issued" not in codes


def test_suppress_a_lone_small_cell_hides_the_next_smallest():
    cells, total = suppress({"a": 2, "b": 50, "c": 9, "d": 0}, 61)
    assert {k: c.export for k, c in cells.items()} == {
        "a": SUPPRESSED,
        "b": 50,
        "c": SUPPRESSED,
        "d": 0,
    }
    assert total == Cell(61)


def test_suppress_hides_a_total_under_five():
    cells, total = suppress({"a": 3, "b": 0}, 3)
    assert cells["a"].suppressed and total.suppressed


def test_suppress_leaves_two_small_cells_without_an_extra_one():
    cells, _ = suppress({"a": 2, "b": 4, "c": 30}, 36)
    assert [c.export for c in cells.values()] == [SUPPRESSED, SUPPRESSED, 30]
