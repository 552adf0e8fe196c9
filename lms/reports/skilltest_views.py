"""The skill-test service page (staff; issue #21 item 6): acceptance, no-show and
pass rates and the mean waits by directorate, occupation, level and test centre,
and a map of the directorates' pass rates. Head office sees every directorate, a
directorate's staff theirs (lms.reports.access, as on the dashboard)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from lms.accounts.national_id import governorates
from lms.reports import maps
from lms.reports.access import is_staff_viewer, staff_report_scope
from lms.reports.facts import METRICS
from lms.reports.forms import ReportFilterForm
from lms.reports.map_layout import MAP_GOVERNORATES
from lms.reports.selectors import ReportScope, figures_as_of
from lms.reports.skilltest_figures import SERVICE_DIMENSIONS, ServiceRow, service_table


def _pass_rate_map(rows: list[ServiceRow], scope: ReportScope):
    english = get_language() == "en"
    known = governorates()
    by_code = {r.key: r for r in rows}
    tiles = []
    for code in MAP_GOVERNORATES:
        gov = known.get(code)
        row = by_code.get(code)
        rate = row.pass_rate if row else None
        tiles.append(
            maps.MapTile(
                code=code,
                name=(gov.name_en if english else gov.name_ar) if gov else code,
                value=None if rate is None else round(rate),
                display=row.display("pass_rate") if row else "—",
                in_scope=scope.covers(code),
            )
        )
    return maps.tile_map(
        tiles,
        title=_("Skill-test pass rate by directorate: map"),
        desc=_(
            "A tile map of Egypt's governorates, one square each, placed roughly "
            "where each lies (not to scale); darker is a higher pass rate. The "
            "table gives the figures."
        ),
        legend=maps.MapLegend(
            hidden=_("No rate (under 5 results)"),
            zero=_("None"),
            outside=_("Outside your directorate"),
            note="",
        ),
        rtl=get_language_bidi(),
        number=lambda n: f"{formats.number_format(n)}%",
    )


def _centre_rows(form: ReportFilterForm, scope: ReportScope) -> list[dict]:
    from skilltests.selectors import centre_figures

    data = form.cleaned_data
    codes = scope.governorate_codes
    if data.get("governorate"):
        codes = (data["governorate"],)
    rows = []
    for c in centre_figures(
        date_from=data["date_from"], date_to=data["date_to"], governorate_codes=codes
    ):
        expected, results = c.tested + c.no_shows, c.results
        rows.append(
            {
                "figures": c,
                "no_show_rate": _percent(c.no_shows, expected),
                "pass_rate": _percent(c.passes, results),
            }
        )
    return rows


def _percent(part: int, whole: int) -> str:
    if whole < 5 or 0 < part < 5:
        return "—"
    return f"{formats.number_format(round(100 * part / whole, 1), 1)}%"


@login_required
def skill_tests(request: HttpRequest) -> HttpResponse:
    if not is_staff_viewer(request.user):
        raise PermissionDenied
    scope = staff_report_scope(request.user)
    form = ReportFilterForm(
        request.GET, metrics=[METRICS["skilltest_applications"]], scope=scope
    )
    context = {"form": form, "scope": scope, "as_of": figures_as_of()}
    if not form.is_valid():
        return render(request, "reports/skill_tests.html", context, status=400)
    filters = form.filters()
    tables = []
    for dimension in SERVICE_DIMENSIONS:
        rows, total = service_table(dimension=dimension, filters=filters, scope=scope)
        tables.append((dimension, rows, total))
    context.update(
        {
            "filters": filters,
            "tables": tables,
            "centres": _centre_rows(form, scope),
            "pass_map": _pass_rate_map(tables[0][1], scope),
        }
    )
    return render(request, "reports/skill_tests.html", context)
