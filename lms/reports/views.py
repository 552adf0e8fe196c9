"""The reports area: the dashboard, the exports of its tables, the staff's refresh.

Page and exports read one validated query (forms.ReportFilterForm): a query the page
refuses answers 400 with the form's message, on the page and on every export alike.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.national_id import governorates
from lms.kernel.errors import RateLimited
from lms.reports import charts, exports, maps, schedule
from lms.reports.access import is_staff_viewer, report_scope_for
from lms.reports.forms import ReportFilterForm
from lms.reports.map_layout import MAP_GOVERNORATES
from lms.reports.selectors import (
    DIMENSIONS,
    ReportScope,
    ReportTable,
    figures_as_of,
    metrics_for,
    overview,
    pass_rates_by_level,
    report_table,
)


def _form(request: HttpRequest, scope: ReportScope) -> ReportFilterForm:
    """The query, validated; an empty query means the defaults (this year)."""
    form = ReportFilterForm(request.GET, metrics=metrics_for(scope), scope=scope)
    form.is_valid()
    return form


def _map(table: ReportTable, scope: ReportScope, rtl: bool):
    english = get_language() == "en"
    known = governorates()
    rows = {r.key: r for r in table.rows}
    tiles = []
    for code in MAP_GOVERNORATES:
        gov = known.get(code)
        name = (gov.name_en if english else gov.name_ar) if gov else code
        row = rows.get(code)
        tiles.append(
            maps.MapTile(
                code=code,
                name=name,
                value=row.this_year.value if row else 0,
                display=row.this_year.display if row else "0",
                in_scope=scope.covers(code),
            )
        )
    label = str(table.metric.label)
    return maps.tile_map(
        tiles,
        title=_("%(figure)s by governorate: map") % {"figure": label},
        desc=_(
            "A tile map of Egypt's governorates, one square each, placed roughly "
            "where each lies (not to scale); darker is more. The table beside it "
            "gives the figures."
        ),
        legend=maps.MapLegend(
            hidden=_("Hidden (under 5)"),
            zero=_("None"),
            outside=_("Outside your directorate"),
            note=_("Born abroad and not recorded are in the table only."),
        ),
        rtl=rtl,
        number=lambda n: formats.number_format(n, force_grouping=True),
    )


def _figures(form: ReportFilterForm, scope: ReportScope) -> dict:
    filters, metric = form.filters(), form.cleaned_data["metric"]
    rtl = get_language_bidi()
    tables = {
        dim: report_table(metric=metric, dimension=dim, filters=filters, scope=scope)
        for dim in DIMENSIONS
    }
    rates = pass_rates_by_level(filters=filters, scope=scope)
    by_gov = tables["governorate"]
    by_month = tables["month"]
    label = str(by_gov.metric.label)
    return {
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
        "gov_map": _map(by_gov, scope, rtl),
        "gov_chart": charts.bar_chart(
            [
                charts.Bar(r.label, r.this_year.value, r.this_year.display)
                for r in by_gov.rows
            ],
            title=_("%(figure)s by governorate") % {"figure": label},
            desc=_("Bars, one per governorate; the table below gives the figures."),
            rtl=rtl,
        ),
        "trend_chart": charts.line_chart(
            [r.label for r in by_month.rows],
            [
                (_("This period"), [r.this_year.value for r in by_month.rows]),
                (_("Last year"), [r.last_year.value for r in by_month.rows]),
            ],
            title=_("%(figure)s by month") % {"figure": label},
            desc=_("Monthly trend, this period beside last year; the table below."),
            rtl=rtl,
        ),
        "rate_chart": charts.bar_chart(
            [charts.Bar(r.label, r.rate, r.rate_display) for r in rates],
            title=_("Pass rates by level"),
            desc=_("Share of exam attempts passed at each skill level; table below."),
            rtl=rtl,
            scale_max=100,
        ),
        "query": form.query(),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = report_scope_for(request.user)
    form = _form(request, scope)
    context = {
        "form": form,
        "as_of": figures_as_of(),
        "scope": scope,
        "can_refresh": is_staff_viewer(request.user),
        "next": request.get_full_path(),
    }
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=400)
    context.update(_figures(form, scope))
    return render(request, "reports/dashboard.html", context)


@login_required
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    scope = report_scope_for(request.user)
    if fmt not in ("csv", "xlsx") or (
        table not in ("overview", "pass-rates") and table not in DIMENSIONS
    ):
        raise Http404
    form = _form(request, scope)
    if not form.is_valid():
        return HttpResponse(
            form.error_text(), status=400, content_type="text/plain; charset=utf-8"
        )
    filters, metric = form.filters(), form.cleaned_data["metric"]
    if table == "overview":
        sheet = exports.overview_sheet(overview(filters=filters, scope=scope), filters)
    elif table == "pass-rates":
        sheet = exports.pass_rate_sheet(
            pass_rates_by_level(filters=filters, scope=scope)
        )
    else:
        sheet = exports.table_sheet(
            report_table(metric=metric, dimension=table, filters=filters, scope=scope),
            filters,
        )
    if fmt == "csv":
        return exports.csv_response(sheet)
    return exports.xlsx_response(sheet)


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    """Staff's "refresh now": the figures are recomputed in the background."""
    if not is_staff_viewer(request.user):
        raise PermissionDenied
    report_scope_for(request.user)  # staff without a directorate are refused too
    try:
        schedule.refresh_request(user_id=request.user.pk)
    except RateLimited as refusal:
        return render(
            request,
            "reports/refresh_refused.html",
            {"message": refusal.message},
            status=429,
        )
    messages.success(
        request, _("The figures are being refreshed; reload the page in a minute.")
    )
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "reports:dashboard"
    return redirect(target)
