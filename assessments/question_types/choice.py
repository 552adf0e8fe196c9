"""Kinds answered by picking options: single choice, multiple response, true/false."""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.question_types.base import (
    QuestionKind,
    clean_conventions,
    clean_options,
    public_options,
    register,
)


@register
class SingleChoice(QuestionKind):
    code = "single_choice"
    label = _("Single choice")

    def clean(self, data: dict) -> dict:
        options = clean_options(data)
        if max(o["fraction"] for o in options) < 0.999:
            raise ValidationError(_("One option must be fully correct (100%)."))
        return {"options": options, **clean_conventions(data)}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {"options": public_options(data["options"], rng, shuffle)}

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        if raw not in {o["id"] for o in data["options"]}:
            raise ValidationError(_("Choose one of the options shown."))
        return raw

    def grade(self, data: dict, response: Any) -> float:
        for option in data["options"]:
            if option["id"] == response:
                return max(0.0, min(1.0, option["fraction"]))
        return 0.0

    def correct_response(self, data: dict) -> Any:
        return max(data["options"], key=lambda o: o["fraction"])["id"]


@register
class MultipleResponse(QuestionKind):
    code = "multiple_response"
    label = _("Multiple response")

    def clean(self, data: dict) -> dict:
        options = clean_options(data)
        positive = sum(o["fraction"] for o in options if o["fraction"] > 0)
        # Moodle imports weights above 100% (a grade is capped at full marks), but
        # full marks must be reachable.
        if positive < 0.99:
            raise ValidationError(
                _("The weights of the correct options must add up to at least 100%.")
            )
        return {"options": options, **clean_conventions(data)}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {"options": public_options(data["options"], rng, shuffle)}

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return []
        if isinstance(raw, str):
            raw = [raw]
        ids = {o["id"] for o in data["options"]}
        if not isinstance(raw, list) or not all(r in ids for r in raw):
            raise ValidationError(_("Choose among the options shown."))
        return sorted(set(raw))

    def grade(self, data: dict, response: Any) -> float:
        chosen = set(response or [])
        total = sum(o["fraction"] for o in data["options"] if o["id"] in chosen)
        return max(0.0, min(1.0, round(total, 6)))

    def correct_response(self, data: dict) -> Any:
        return sorted(o["id"] for o in data["options"] if o["fraction"] > 0)


@register
class TrueFalse(QuestionKind):
    code = "true_false"
    label = _("True / false")

    def clean(self, data: dict) -> dict:
        if not isinstance(data.get("answer"), bool):
            raise ValidationError(_("Say whether the statement is true or false."))
        return {
            "answer": data["answer"],
            "feedback_true": str(data.get("feedback_true") or ""),
            "feedback_false": str(data.get("feedback_false") or ""),
            **clean_conventions(data),
        }

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        if raw in (True, "true", "1", 1):
            return True
        if raw in (False, "false", "0", 0):
            return False
        raise ValidationError(_("Answer true or false."))

    def grade(self, data: dict, response: Any) -> float:
        return 1.0 if response is data["answer"] else 0.0

    def correct_response(self, data: dict) -> Any:
        return data["answer"]

    def feedback_for(self, data: dict, response: Any) -> list[str]:
        """Moodle's feedback for the answer given (true or false)."""
        if response is None:
            return []
        text = str(data.get("feedback_true" if response else "feedback_false") or "")
        return [text] if text.strip() else []
