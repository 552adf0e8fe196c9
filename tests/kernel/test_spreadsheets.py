"""Cells of the CSV exports: a typed value never runs as a spreadsheet formula, and
times read in Cairo time."""

import datetime as dt

import pytest

from lms.kernel.spreadsheets import spreadsheet_cell, spreadsheet_time


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x","y")', "+201000000001", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_cell_that_would_be_a_formula_becomes_text(typed):
    assert spreadsheet_cell(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["منى أحمد", "Mona", "01000000001", "", "a=b"])
def test_other_cells_are_left_as_typed(typed):
    assert spreadsheet_cell(typed) == typed


def test_none_is_an_empty_cell():
    assert spreadsheet_cell(None) == "" and spreadsheet_time(None) == ""


def test_times_are_written_in_cairo_time(settings):
    settings.TIME_ZONE = "Africa/Cairo"
    noon_utc = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
    assert spreadsheet_time(noon_utc) == "2026-01-15 14:00"  # UTC+2 in winter
