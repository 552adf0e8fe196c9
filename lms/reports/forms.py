"""The dashboard's filter form (also parses the API's and exports' query strings)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.national_id import governorates
from lms.kernel.digits import to_western_digits
from lms.reports.facts import METRICS
from lms.reports.selectors import ReportFilters, add_months, month_start

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


def _choices(pairs) -> list[tuple[str, str]]:
    return [("", _("All"))] + list(pairs)


class ReportFilterForm(forms.Form):
    metric = forms.ChoiceField(label=_("Figure"), required=False)
    date_from = MonthField(label=_("From month"), required=False)
    date_to = MonthField(label=_("To month"), required=False)
    governorate = forms.ChoiceField(label=_("Governorate"), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    level = forms.ChoiceField(label=_("Skill level"), required=False)

    def __init__(self, *args, metrics=None, **kwargs):
        super().__init__(*args, **kwargs)
        from registry.selectors import occupation_list, skill_level_list

        metrics = metrics or list(METRICS.values())
        self.fields["metric"].choices = [(m.code, m.label) for m in metrics]
        english = get_language() == "en"
        self.fields["governorate"].choices = _choices(
            (g.code, g.name_en if english else g.name_ar)
            for g in governorates().values()
        )
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
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        default = ReportFilters.default()
        start = start or (
            month_start(end).replace(month=1) if end else default.date_from
        )
        end = end or (
            add_months(start, 11) if data.get("date_from") else default.date_to
        )
        if start > end:
            raise forms.ValidationError(
                _("The first month must not come after the last month."), code="order"
            )
        if len(ReportFilters(date_from=start, date_to=end).months) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(n)d months.") % {"n": MAX_MONTHS}, code="range"
            )
        data["date_from"], data["date_to"] = start, end
        data["metric"] = data.get("metric") or next(
            iter(dict(self.fields["metric"].choices))
        )
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            governorate=data.get("governorate") or "",
            occupation=data.get("occupation") or "",
            level=data.get("level") or "",
        )
