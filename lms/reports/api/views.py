"""The reports API for other government systems: the dashboard's figures as JSON.

A figure hidden by the small-cell rule is the string "<5", exactly as on the page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.kernel.errors import Invalid
from lms.reports.access import CanReadReports
from lms.reports.forms import ReportFilterForm
from lms.reports.selectors import (
    DIMENSIONS,
    figures_as_of,
    metrics_for,
    overview,
    pass_rates_by_level,
    report_table,
)

FILTER_PARAMS = [
    OpenApiParameter("date_from", str, description="First month, YYYY-MM"),
    OpenApiParameter("date_to", str, description="Last month, YYYY-MM"),
    OpenApiParameter("governorate", str, description="Governorate code (2 digits)"),
    OpenApiParameter("occupation", str, description="Unified occupation code"),
    OpenApiParameter("level", str, description="Skill level code"),
]


class _ReportsView(APIView):
    permission_classes = [CanReadReports]
    report_scope = None

    def parse(self, request, metric: str | None = None):
        data = request.query_params.copy()
        if metric:
            data["metric"] = metric
        scope = self.report_scope
        form = ReportFilterForm(data, metrics=metrics_for(scope), scope=scope)
        if not form.is_valid():
            raise Invalid.from_form(form)
        return form.filters(), form.cleaned_data["metric"]

    def envelope(self, filters, **body):
        as_of = figures_as_of()
        return {
            "as_of": as_of.isoformat() if as_of else None,
            "period": {
                "from": f"{filters.date_from:%Y-%m}",
                "to": f"{filters.date_to:%Y-%m}",
            },
            "last_year_period": {
                "from": f"{filters.last_year().date_from:%Y-%m}",
                "to": f"{filters.last_year().date_to:%Y-%m}",
            },
            "filters": {
                "governorate": filters.governorate or None,
                "occupation": filters.occupation or None,
                "level": filters.level or None,
            },
            **body,
        }


class MetricsView(_ReportsView):
    @extend_schema(summary="The figures this client may read", responses=dict)
    def get(self, request):
        return Response(
            {
                "metrics": [
                    {
                        "code": m.code,
                        "label": str(m.label),
                        "distinct_people": m.distinct,
                    }
                    for m in metrics_for(self.report_scope)
                ],
                "dimensions": list(DIMENSIONS),
            }
        )


class OverviewView(_ReportsView):
    @extend_schema(
        summary="Every figure for a period beside last year",
        parameters=FILTER_PARAMS,
        responses=dict,
    )
    def get(self, request):
        filters, _metric = self.parse(request)
        rows = overview(filters=filters, scope=self.report_scope)
        return Response(
            self.envelope(
                filters,
                rows=[
                    {
                        "metric": r.metric.code,
                        "label": str(r.metric.label),
                        "this_year": r.this_year.export,
                        "last_year": r.last_year.export,
                    }
                    for r in rows
                ],
            )
        )


class BreakdownView(_ReportsView):
    @extend_schema(
        summary="One figure by governorate, occupation, level, gender, "
        "disability or month",
        parameters=FILTER_PARAMS,
        responses=dict,
    )
    def get(self, request, metric: str, dimension: str):
        if dimension not in DIMENSIONS:
            raise NotFound(_("Unknown breakdown: %(d)s") % {"d": dimension})
        if metric not in {m.code for m in metrics_for(self.report_scope)}:
            raise NotFound(_("Unknown figure: %(m)s") % {"m": metric})
        filters, metric = self.parse(request, metric)
        table = report_table(
            metric=metric, dimension=dimension, filters=filters, scope=self.report_scope
        )
        return Response(
            self.envelope(
                filters,
                metric=metric,
                dimension=dimension,
                distinct_people=table.metric.distinct,
                rows=[
                    {
                        "key": r.key,
                        "label": r.label,
                        "this_year": r.this_year.export,
                        "last_year": r.last_year.export,
                    }
                    for r in table.rows
                ],
                total={
                    "kind": "peak_month" if table.metric.distinct else "sum",
                    "this_year": table.total_this_year.export,
                    "last_year": table.total_last_year.export,
                },
            )
        )


class PassRatesView(_ReportsView):
    @extend_schema(
        summary="Exam attempts, passes and pass rate per skill level",
        parameters=FILTER_PARAMS,
        responses=dict,
    )
    def get(self, request):
        filters, _metric = self.parse(request)
        rows = pass_rates_by_level(filters=filters, scope=self.report_scope)
        return Response(
            self.envelope(
                filters,
                rows=[
                    {
                        "level": r.key,
                        "label": r.label,
                        "attempts": r.attempts.export,
                        "passes": r.passes.export,
                        "pass_rate_pct": r.rate,
                    }
                    for r in rows
                ],
            )
        )
