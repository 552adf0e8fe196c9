"""Every table as CSV (UTF-8 with a BOM, so Excel reads Arabic) and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.reports.selectors import (
    OverviewRow,
    PassRateRow,
    ReportFilters,
    ReportTable,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[int | float | str]]


def _period(filters: ReportFilters) -> str:
    return f"{filters.date_from:%Y-%m} – {filters.date_to:%Y-%m}"


def table_sheet(table: ReportTable, filters: ReportFilters) -> Sheet:
    rows = [
        [r.label, r.this_year.export, r.last_year.export, r.change] for r in table.rows
    ]
    rows.append(
        [
            table.total_label,
            table.total_this_year.export,
            table.total_last_year.export,
            table.total_change,
        ]
    )
    return Sheet(
        slug=f"{table.metric.code}-by-{table.dimension}",
        title=str(table.metric.label),
        headers=[
            dimension_label(table.dimension),
            _("This period (%(period)s)") % {"period": _period(filters)},
            _("Same period last year (%(period)s)")
            % {"period": _period(filters.last_year())},
            _("Change"),
        ],
        rows=rows,
    )


def overview_sheet(rows: list[OverviewRow], filters: ReportFilters) -> Sheet:
    return Sheet(
        slug="overview",
        title=_("Overview"),
        headers=[
            _("Figure"),
            _("This period (%(period)s)") % {"period": _period(filters)},
            _("Same period last year (%(period)s)")
            % {"period": _period(filters.last_year())},
            _("Change"),
        ],
        rows=[
            [str(r.metric.label), r.this_year.export, r.last_year.export, r.change]
            for r in rows
        ],
    )


def pass_rate_sheet(rows: list[PassRateRow]) -> Sheet:
    return Sheet(
        slug="pass-rates-by-level",
        title=_("Pass rates by level"),
        headers=[
            _("Skill level"),
            _("Exam attempts"),
            _("Exam passes"),
            _("Pass rate"),
        ],
        rows=[
            [
                r.label,
                r.attempts.export,
                r.passes.export,
                "—" if r.rate is None else r.rate,
            ]
            for r in rows
        ],
    )


def dimension_label(dimension: str) -> str:
    return {
        "governorate": _("Governorate"),
        "occupation": _("Occupation"),
        "level": _("Skill level"),
        "gender": _("Gender"),
        "disability": _("Disability"),
        "month": _("Month"),
    }[dimension]


def csv_response(sheet: Sheet) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sheet.headers)
    writer.writerows(sheet.rows)
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{sheet.slug}.csv"'
    return response


def xlsx_response(sheet: Sheet) -> HttpResponse:
    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    ws.sheet_view.rightToLeft = get_language_bidi()
    ws.append(sheet.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append(row)
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = max(
            12, min(45, max(len(str(c.value or "")) for c in column) + 2)
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{sheet.slug}.xlsx"'
    return response
