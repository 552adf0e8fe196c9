"""The skill-test service figures for other government systems (issue #21 item 6),
under /api/v1/skill-tests/: rates and mean waits by directorate, occupation or
level, and each test centre's figures. A token's API client needs the scope
`skilltests:read` (every directorate); ministry staff signed in see their scope, as
on the page. A hidden count is the string "<5"; a rate or mean from hidden figures
is null.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.kernel.errors import Invalid
from lms.reports.access import (
    api_client_of,
    has_scope,
    is_staff_viewer,
    staff_report_scope,
)
from lms.reports.api.views import FILTER_PARAMS
from lms.reports.facts import METRICS
from lms.reports.forms import ReportFilterForm
from lms.reports.selectors import ReportScope, figures_as_of
from lms.reports.skilltest_figures import SERVICE_DIMENSIONS, ServiceRow, service_table

READ_SCOPE = "skilltests:read"


def skilltests_scope_for(user) -> ReportScope:
    """A client with `skilltests:read`: everything; staff: their directorate's (or
    all, head office); everyone else refused (PermissionDenied)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if api_client_of(user) is not None:
        if has_scope(user, READ_SCOPE):
            return ReportScope()
        raise PermissionDenied
    if is_staff_viewer(user):
        return staff_report_scope(user)
    raise PermissionDenied


class CanReadSkillTests(BasePermission):
    message = "Skill-test figures need the skilltests:read scope or ministry staff."

    def has_permission(self, request, view) -> bool:
        try:
            view.report_scope = skilltests_scope_for(request.user)
        except PermissionDenied:
            return False
        return True


class ServiceRowOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    applications = serializers.JSONField(help_text='a count, or "<5" when hidden')
    acceptance_rate = serializers.FloatField(
        allow_null=True, help_text="accepted ÷ (accepted + returned), %"
    )
    no_show_rate = serializers.FloatField(
        allow_null=True, help_text="no-shows ÷ (tests sat + no-shows), %"
    )
    pass_rate = serializers.FloatField(allow_null=True, help_text="passed ÷ results, %")
    days_to_test = serializers.FloatField(
        allow_null=True, help_text="mean whole days, application → test"
    )
    days_to_certificate = serializers.FloatField(
        allow_null=True, help_text="mean whole days, test → certificate"
    )


class PeriodOut(serializers.Serializer):
    to = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField()
        return fields


class ServiceFiguresOut(serializers.Serializer):
    as_of = serializers.DateTimeField(allow_null=True)
    period = PeriodOut()
    dimension = serializers.CharField()
    rows = ServiceRowOut(many=True)
    total = ServiceRowOut()


class CentreOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    governorate = serializers.CharField()
    tested = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    results = serializers.IntegerField()
    passes = serializers.IntegerField()


class CentreFiguresOut(serializers.Serializer):
    period = PeriodOut()
    centres = CentreOut(many=True)


def _row(row: ServiceRow) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "applications": row.applications.export,
        "acceptance_rate": row.acceptance_rate,
        "no_show_rate": row.no_show_rate,
        "pass_rate": row.pass_rate,
        "days_to_test": row.days_to_test,
        "days_to_certificate": row.days_to_certificate,
    }


class _SkillTestsView(APIView):
    permission_classes = [CanReadSkillTests]
    report_scope: ReportScope | None = None

    def parse(self, request) -> ReportFilterForm:
        data = request.query_params.copy()
        data["metric"] = "skilltest_applications"
        form = ReportFilterForm(
            data, metrics=[METRICS["skilltest_applications"]], scope=self.report_scope
        )
        if not form.is_valid():
            raise Invalid.from_form(form)
        return form


def _period(form: ReportFilterForm) -> dict[str, str]:
    data = form.cleaned_data
    return {"from": f"{data['date_from']:%Y-%m}", "to": f"{data['date_to']:%Y-%m}"}


class ServiceFiguresView(_SkillTestsView):
    @extend_schema(
        summary="Skill tests: acceptance, no-show and pass rates, mean waiting days",
        parameters=FILTER_PARAMS,
        responses=ServiceFiguresOut,
    )
    def get(self, request, dimension: str):
        if dimension not in SERVICE_DIMENSIONS:
            raise NotFound(_("Unknown breakdown: %(d)s") % {"d": dimension})
        form = self.parse(request)
        rows, total = service_table(
            dimension=dimension, filters=form.filters(), scope=self.report_scope
        )
        as_of = figures_as_of()
        return Response(
            {
                "as_of": as_of.isoformat() if as_of else None,
                "period": _period(form),
                "dimension": dimension,
                "rows": [_row(r) for r in rows],
                "total": _row(total),
            }
        )


class CentreFiguresView(_SkillTestsView):
    @extend_schema(
        summary="Skill tests: each test centre's tests, no-shows, results, passes",
        parameters=[
            p
            for p in FILTER_PARAMS
            if p.name in ("date_from", "date_to", "governorate")
        ],
        responses=CentreFiguresOut,
    )
    def get(self, request):
        from skilltests.selectors import centre_figures

        form = self.parse(request)
        data = form.cleaned_data
        codes = self.report_scope.governorate_codes
        if data.get("governorate"):
            codes = (data["governorate"],)
        centres = centre_figures(
            date_from=data["date_from"],
            date_to=data["date_to"],
            governorate_codes=codes,
        )
        return Response(
            {
                "period": _period(form),
                "centres": [
                    {
                        "code": c.centre_code,
                        "name": c.centre_name,
                        "governorate": c.governorate_code,
                        "tested": c.tested,
                        "no_shows": c.no_shows,
                        "results": c.results,
                        "passes": c.passes,
                    }
                    for c in centres
                ],
            }
        )
