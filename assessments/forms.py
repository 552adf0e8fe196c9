"""Forms: turn a posted exam page into a response; the assessor's rubric form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.kernel.digits import to_western_digits


def response_from_post(kind: str, public: dict, data) -> Any:
    """Read one question's answer from a no-JavaScript form post."""
    if kind == "multiple_response":
        return data.getlist("response")
    if kind == "matching":
        return {p["id"]: data.get(f"m-{p['id']}", "") for p in public["prompts"]}
    if kind == "ordering":
        ranks = {}
        for item in public["items"]:
            raw = to_western_digits(data.get(f"o-{item['id']}", "")).strip()
            if not raw:
                return []
            try:
                ranks[item["id"]] = int(raw)
            except ValueError:
                raise ValidationError(_("Give every step a number.")) from None
        if len(set(ranks.values())) != len(ranks):
            raise ValidationError(_("Give every step a different number."))
        return sorted(ranks, key=ranks.get)
    return data.get("response", "")


class PracticalStartForm(forms.Form):
    trainee = forms.CharField(
        label=gettext_lazy("Trainee's mobile number or username"), max_length=150
    )
    rubric = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Rubric"))

    def __init__(self, *args, rubrics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics

    def clean_trainee(self):
        from lms.accounts.models import User

        value = to_western_digits(self.cleaned_data["trainee"]).strip()
        user = User.objects.filter(username=value).first()
        if user is None:
            raise ValidationError(_("No trainee with this mobile number or username."))
        return user


class EvidenceForm(forms.Form):
    image = forms.ImageField(label=gettext_lazy("Photo"))
    caption = forms.CharField(
        label=gettext_lazy("Caption"), max_length=255, required=False
    )
