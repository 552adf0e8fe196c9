"""The directorates' workload page (staff): the queue by age and the time to issue.

Head office sees every directorate side by side; a directorate's staff see theirs.
The figures come from registry.selectors.directorate_workload, live (not from the
summary): the queue is today's.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.accounts.national_id import governorates
from lms.reports.access import is_staff_viewer, staff_report_scope
from lms.reports.forms import WorkloadForm
from lms.reports.map_layout import MAP_GOVERNORATES
from lms.reports.selectors import add_months, figures_as_of
from lms.reports.speeds import issue_speeds


def _days(value: float | None) -> str:
    return "—" if value is None else formats.number_format(value, 1)


def _bucket_labels(bounds: tuple[int, ...]) -> list[str]:
    labels = [_("Under %(n)d days") % {"n": bounds[0]}]
    labels += [
        _("%(a)d–%(b)d days") % {"a": a, "b": b}
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    labels.append(_("%(n)d days or more") % {"n": bounds[-1]})
    return labels


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    if not is_staff_viewer(request.user):
        raise PermissionDenied
    scope = staff_report_scope(request.user)
    form = WorkloadForm(request.GET, scope=scope)
    context = {
        "form": form,
        "scope": scope,
        "now": timezone.now(),
        "as_of": figures_as_of(),
    }
    if not form.is_valid():
        return render(request, "reports/workload.html", context, status=400)
    from registry.selectors import directorate_workload

    chosen = form.cleaned_data.get("governorate") or ""
    codes = (chosen,) if chosen else scope.governorate_codes
    last_month = form.cleaned_data["date_to"]
    issued_to = add_months(last_month, 1) - dt.timedelta(days=1)
    data = directorate_workload(
        issued_from=form.cleaned_data["date_from"],
        issued_to=issued_to,
        governorate_codes=codes,
        speeds=False,  # from the summary: exact over 60 months takes seconds
    )
    speeds = issue_speeds(
        issued_from=form.cleaned_data["date_from"],
        issued_to=issued_to,
        governorate_codes=codes,
    )
    english = get_language() == "en"
    names = {
        code: (g.name_en if english else g.name_ar)
        for code, g in governorates().items()
    }
    found = {row.governorate_code: row for row in data.directorates}
    shown = [c for c in MAP_GOVERNORATES if codes is None or c in codes] + sorted(
        c for c in set(found) | set(speeds) if c not in MAP_GOVERNORATES
    )

    rows = []
    empty = (0,) * (len(data.bucket_days) + 1)
    for code in sorted(shown):
        row = found.get(code)
        issued, median, p90 = speeds.get(code, (0, None, None))
        rows.append(
            {
                "code": code,
                "name": names.get(code) or code or _("Not recorded"),
                "buckets": row.pending_by_age if row else empty,
                "pending": row.pending if row else 0,
                "issued": issued,
                "median": _days(median),
                "p90": _days(p90),
            }
        )
    width = len(data.bucket_days) + 1
    totals = [sum(r["buckets"][i] for r in rows) for i in range(width)]
    context.update(
        {
            "data": data,
            "rows": rows,
            "bucket_labels": _bucket_labels(data.bucket_days),
            "totals": totals,
            "total_pending": sum(totals),
            "total_issued": sum(r["issued"] for r in rows),
        }
    )
    return render(request, "reports/workload.html", context)
