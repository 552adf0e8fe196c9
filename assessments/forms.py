"""Forms: turn a posted exam page into a response; the assessor's practical forms
(opening a test, photos, the levels chosen on the rubric)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.data import RubricData
from lms.accounts.selectors import user_id_by_username
from lms.kernel.digits import to_western_digits


def response_from_post(kind: str, public: dict, data: Any) -> Any:
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
        return sorted(ranks, key=lambda step: ranks[step])
    return data.get("response", "")


class PracticalStartForm(forms.Form):
    """Who the assessor tests, by which rubric, on which day; cleans to ids."""

    trainee = forms.CharField(
        label=gettext_lazy("Trainee's mobile number or username"), max_length=150
    )
    rubric = forms.TypedChoiceField(
        label=gettext_lazy("Rubric"), coerce=int, empty_value=None
    )
    scheduled_on = forms.DateField(
        label=gettext_lazy("Test day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Today when left empty."),
    )

    def __init__(
        self, *args: Any, rubrics: Sequence[RubricData] = (), **kwargs: Any
    ) -> None:
        if args and hasattr(args[0], "copy"):
            data = args[0].copy()
            data["scheduled_on"] = to_western_digits(data.get("scheduled_on", ""))
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [(r.id, r.title) for r in rubrics]
        self.fields["rubric"].choices = choices  # type: ignore[attr-defined]

    def clean_trainee(self) -> int:
        value = to_western_digits(self.cleaned_data["trainee"]).strip()
        user_id = user_id_by_username(username=value)
        if user_id is None:
            raise ValidationError(_("No trainee with this mobile number or username."))
        return user_id


class EvidenceForm(forms.Form):
    """Any file: the service decides whether it is a photo (and says why not)."""

    image = forms.FileField(label=gettext_lazy("Photo"))
    caption = forms.CharField(
        label=gettext_lazy("Caption"), max_length=255, required=False
    )


def levels_from_post(data: Any, criteria: Sequence[Any]) -> dict[int, int]:
    """criterion id → level id of the radios `c-<criterion>` that were chosen."""
    levels = {}
    for criterion in criteria:
        raw = to_western_digits(data.get(f"c-{criterion.id}", "")).strip()
        if raw:
            try:
                levels[criterion.id] = int(raw)
            except ValueError:
                raise ValidationError(_("Choose a level.")) from None
    return levels
