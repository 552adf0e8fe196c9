"""Cells of the CSV exports opened in spreadsheet programs (Excel, LibreOffice).

A cell a person typed that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is read as a formula (OWASP "CSV injection": `=HYPERLINK(...)` in a name);
such a cell gets a leading apostrophe, which the programs show as text. Times are
written in the platform's zone (Cairo), as people read a timetable.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A typed value as a cell that cannot run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_time(moment: dt.datetime | None) -> str:
    """A moment in local time (TIME_ZONE), to the minute; '' for none."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
