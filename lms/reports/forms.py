"""The dashboard's filter form: the one validator of the page, its exports and the API.

A query the page refuses is refused by the export too (400 with the form's message):
an export never falls back to another figure or period than the page showed.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.national_id import governorates
from lms.kernel.digits import to_western_digits
from lms.reports.facts import METRICS
from lms.reports.selectors import ReportFilters, ReportScope, add_months, month_start

MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")


class MonthField(forms.CharField):
    """A month as YYYY-MM (Eastern-Arabic digits accepted) → its first day."""

    def to_python(self, value):
        text = to_western_digits(super().to_python(value) or "").strip()
        if not text:
            return None
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(
                _("Enter a month as year-month, for example 2026-03."), code="month"
            )
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


def clean_period(data: dict) -> dict:
    """Both months filled in (a missing one from the other, else this year), in
    order, and at most MAX_MONTHS apart; the form's error otherwise."""
    if "date_from" not in data or "date_to" not in data:
        return data  # a month already refused: its own error says why
    start, end = data.get("date_from"), data.get("date_to")
    default = ReportFilters.default()
    start = start or (month_start(end).replace(month=1) if end else default.date_from)
    end = end or (add_months(start, 11) if data.get("date_from") else default.date_to)
    if start > end:
        raise forms.ValidationError(
            _("The first month must not come after the last month."), code="order"
        )
    if len(ReportFilters(date_from=start, date_to=end).months) > MAX_MONTHS:
        raise forms.ValidationError(
            _("Choose at most %(n)d months.") % {"n": MAX_MONTHS}, code="range"
        )
    data["date_from"], data["date_to"] = start, end
    return data


def _governorate_choices(scope: ReportScope) -> list[tuple[str, str]]:
    english = get_language() == "en"
    return _choices(
        (g.code, g.name_en if english else g.name_ar)
        for g in governorates().values()
        if scope.covers(g.code)  # another directorate's code is refused
    )


def _choices(pairs) -> list[tuple[str, str]]:
    return [("", _("All"))] + list(pairs)


class ReportFilterForm(forms.Form):
    metric = forms.ChoiceField(label=_("Figure"), required=False)
    date_from = MonthField(label=_("From month"), required=False)
    date_to = MonthField(label=_("To month"), required=False)
    governorate = forms.ChoiceField(label=_("Governorate"), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    level = forms.ChoiceField(label=_("Skill level"), required=False)

    def __init__(self, *args, metrics=None, scope: ReportScope | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope or ReportScope()
        from registry.selectors import occupation_list, skill_level_list

        metrics = metrics or list(METRICS.values())
        self.fields["metric"].choices = [(m.code, m.label) for m in metrics]
        self.fields["governorate"].choices = _governorate_choices(scope)
        self.fields["occupation"].choices = _choices(
            (o.code, f"{o.code} — {o.title}") for o in occupation_list()
        )
        self.fields["level"].choices = _choices(
            (lv.code, lv.name) for lv in skill_level_list()
        )
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(
                {"placeholder": "2026-01", "inputmode": "numeric", "dir": "ltr"}
            )

    def clean(self):
        data = clean_period(super().clean())
        data["metric"] = data.get("metric") or next(
            iter(dict(self.fields["metric"].choices))
        )
        return data

    def query(self) -> str:
        """The validated query, spelled out (the exports' links repeat exactly it)."""
        data = self.cleaned_data
        query = QueryDict(mutable=True)
        query["metric"] = data["metric"]
        query["date_from"] = f"{data['date_from']:%Y-%m}"
        query["date_to"] = f"{data['date_to']:%Y-%m}"
        for name in ("governorate", "occupation", "level"):
            if data.get(name):
                query[name] = data[name]
        return query.urlencode()

    def error_text(self) -> str:
        """Every error of a refused query, one line per field (the export's 400)."""
        lines = [str(m) for m in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name != "__all__":
                label = self.fields[name].label if name in self.fields else name
                lines += [f"{label}: {m}" for m in errors]
        return "\n".join(lines)

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            governorate=data.get("governorate") or "",
            occupation=data.get("occupation") or "",
            level=data.get("level") or "",
        )


class WorkloadForm(forms.Form):
    """The workload page's query: a period of issue (the queue is always today's)
    and, for the head office, one directorate."""

    date_from = MonthField(label=_("Issued from month"), required=False)
    date_to = MonthField(label=_("Issued to month"), required=False)
    governorate = forms.ChoiceField(label=_("Directorate"), required=False)

    def __init__(self, *args, scope: ReportScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].choices = _governorate_choices(scope)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(
                {"placeholder": "2026-01", "inputmode": "numeric", "dir": "ltr"}
            )

    def clean(self):
        data = super().clean()
        if not data.get("date_from") and not data.get("date_to"):
            today = month_start(ReportFilters.default().date_to)
            data["date_from"], data["date_to"] = add_months(today, -11), today
        return clean_period(data)
