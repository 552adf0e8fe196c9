"""The reports area: one dashboard page and the exports of its tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from lms.reports import charts, exports
from lms.reports.access import report_scope_for
from lms.reports.forms import ReportFilterForm
from lms.reports.selectors import (
    DIMENSIONS,
    ReportFilters,
    ReportScope,
    figures_as_of,
    metrics_for,
    overview,
    pass_rates_by_level,
    report_table,
)


def _filters(request: HttpRequest, scope: ReportScope):
    form = ReportFilterForm(request.GET or None, metrics=metrics_for(scope))
    if form.is_bound and form.is_valid():
        return form, form.filters(), form.cleaned_data["metric"]
    if form.is_bound:
        form.is_valid()
    return form, ReportFilters.default(), metrics_for(scope)[0].code


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = report_scope_for(request.user)
    form, filters, metric = _filters(request, scope)
    rtl = get_language_bidi()
    tables = {
        dim: report_table(metric=metric, dimension=dim, filters=filters, scope=scope)
        for dim in DIMENSIONS
    }
    rates = pass_rates_by_level(filters=filters, scope=scope)
    by_gov = tables["governorate"]
    by_month = tables["month"]
    label = str(by_gov.metric.label)
    gov_chart = charts.bar_chart(
        [
            charts.Bar(r.label, r.this_year.value, r.this_year.display)
            for r in by_gov.rows
        ],
        title=_("%(figure)s by governorate") % {"figure": label},
        desc=_("Bars, one per governorate; the table below gives the figures."),
        rtl=rtl,
    )
    trend_chart = charts.line_chart(
        [r.label for r in by_month.rows],
        [
            (_("This period"), [r.this_year.value for r in by_month.rows]),
            (_("Last year"), [r.last_year.value for r in by_month.rows]),
        ],
        title=_("%(figure)s by month") % {"figure": label},
        desc=_("Monthly trend, this period beside last year; the table below."),
        rtl=rtl,
    )
    rate_chart = charts.bar_chart(
        [charts.Bar(r.label, r.rate, r.rate_display) for r in rates],
        title=_("Pass rates by level"),
        desc=_("Share of exam attempts passed at each skill level; table below."),
        rtl=rtl,
        scale_max=100,
    )
    query = request.GET.copy()
    query["metric"] = metric
    context = {
        "form": form,
        "filters": filters,
        "metric": by_gov.metric,
        "overview": overview(filters=filters, scope=scope),
        "gov_table": ("governorate", exports.dimension_label("governorate"), by_gov),
        "month_table": ("month", exports.dimension_label("month"), by_month),
        "other_tables": [
            (dim, exports.dimension_label(dim), table)
            for dim, table in tables.items()
            if dim not in ("governorate", "month")
        ],
        "rates": rates,
        "gov_chart": gov_chart,
        "trend_chart": trend_chart,
        "rate_chart": rate_chart,
        "as_of": figures_as_of(),
        "scope": scope,
        "query": query.urlencode(),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    scope = report_scope_for(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, filters, metric = _filters(request, scope)
    if table == "overview":
        sheet = exports.overview_sheet(overview(filters=filters, scope=scope), filters)
    elif table == "pass-rates":
        sheet = exports.pass_rate_sheet(
            pass_rates_by_level(filters=filters, scope=scope)
        )
    elif table in DIMENSIONS:
        sheet = exports.table_sheet(
            report_table(metric=metric, dimension=table, filters=filters, scope=scope),
            filters,
        )
    else:
        raise Http404
    if fmt == "csv":
        return exports.csv_response(sheet)
    return exports.xlsx_response(sheet)
