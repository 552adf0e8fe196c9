"""The staff search form: every criterion optional, each validated (a clear error
per field), digits accepted in any script."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.data import StaffScope
from lms.accounts.national_id import governorates
from lms.kernel.digits import to_western_digits
from registry.data import CertificateSearchData
from registry.models import CertificateStatus
from registry.selectors import occupation_list, search_criteria, skill_level_list


class AnyDigitsDateField(forms.DateField):
    """A date typed as YYYY-MM-DD in Western or Eastern-Arabic digits."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            value = to_western_digits(value).strip()
        return super().to_python(value)


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


class CertificateSearchForm(forms.Form):
    text = forms.CharField(
        label=_("Serial number or name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    national_id = forms.CharField(
        label=_("National ID"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    level = forms.ChoiceField(label=_("Skill level"), required=False)
    governorate = forms.ChoiceField(label=_("Governorate"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))] + list(CertificateStatus.choices),
    )
    issued_from = AnyDigitsDateField(
        label=_("Issued from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
    )
    issued_to = AnyDigitsDateField(
        label=_("Issued until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
    )

    def __init__(self, *args: Any, scope: StaffScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = _english()
        any_choice = ("", _("Any"))
        self.fields["occupation"].choices = [any_choice] + [
            (o.code, f"{o.code} — {o.title_en if english else o.title_ar}")
            for o in occupation_list()
        ]
        self.fields["level"].choices = [any_choice] + [
            (lv.code, lv.name_en if english else lv.name_ar)
            for lv in skill_level_list()
        ]
        self.fields["governorate"].choices = [any_choice] + [
            (g.code, g.name_en if english else g.name_ar)
            for g in sorted(governorates().values(), key=lambda g: g.code)
            if scope.covers(g.code)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data

    def criteria(self) -> CertificateSearchData:
        data = self.cleaned_data
        return search_criteria(
            text=data.get("text") or "",
            national_id=data.get("national_id") or "",
            occupation=data.get("occupation") or "",
            level=data.get("level") or "",
            governorate=data.get("governorate") or "",
            status=data.get("status") or "",
            issued_from=data.get("issued_from"),
            issued_to=data.get("issued_to"),
        )
