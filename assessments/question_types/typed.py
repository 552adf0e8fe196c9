"""Kinds answered by typing: numeric (tolerance, units), short answer, essay."""

from __future__ import annotations

import random
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.question_types.base import (
    MAX_TEXT_RESPONSE,
    QuestionKind,
    clean_conventions,
    combined_feedback,
    register,
    weight_fraction,
)
from assessments.text import answer_matches
from lms.kernel.digits import to_western_digits

_NUMBER = re.compile(
    r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$"
)


ANY = "*"  # Moodle's numerical answer for any other number (its feedback, 0%)


def parse_number_with_unit(text: str) -> tuple[float, str]:
    """'٢٥٫٥ kPa' → (25.5, 'kPa'). Raises ValidationError when it is not a number."""
    match = _NUMBER.match(to_western_digits(str(text)))
    if not match:
        raise ValidationError(_("Type a number, for example 12.5."))
    return float(match.group(1).replace(",", ".")), match.group(2)


@register
class Numeric(QuestionKind):
    code = "numeric"
    label = _("Numeric")

    def clean(self, data: dict) -> dict:
        answers = []
        for answer in data.get("answers") or []:
            try:
                value = ANY if answer["value"] == ANY else float(answer["value"])
                tolerance = (
                    0.0 if value == ANY else abs(float(answer.get("tolerance") or 0))
                )
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    _("Every numeric answer needs a value and a tolerance.")
                ) from None
            answers.append(
                {
                    "value": value,
                    "tolerance": tolerance,
                    "fraction": weight_fraction(answer.get("fraction", 1)),
                    "feedback": str(answer.get("feedback") or ""),
                }
            )
        numbers = [a for a in answers if a["value"] != ANY]
        if not numbers or max(a["fraction"] for a in numbers) < 0.999:
            raise ValidationError(_("A numeric question needs a fully correct answer."))
        units = []
        for unit in data.get("units") or []:
            name = str(unit.get("name") or "").strip()
            try:
                multiplier = float(unit.get("multiplier", 1))
            except (TypeError, ValueError):
                multiplier = 0
            if not name or multiplier <= 0:
                raise ValidationError(
                    _("Every unit needs a name and a multiplier > 0.")
                )
            units.append({"name": name, "multiplier": multiplier})
        return {
            "answers": answers,
            "units": units,
            "unit_required": bool(data.get("unit_required")) and bool(units),
            **clean_conventions(data),
        }

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {"units": [u["name"] for u in data["units"]]}

    def _unit(self, data: dict, name: str) -> dict | None:
        folded = name.strip().casefold()
        for unit in data["units"]:
            if unit["name"].casefold() == folded:
                return unit
        return None

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        text = str(raw)[:100]
        _value, unit = parse_number_with_unit(text)
        if unit and data["units"] and self._unit(data, unit) is None:
            raise ValidationError(
                _("Use one of these units: %(units)s."),
                params={"units": ", ".join(u["name"] for u in data["units"])},
            )
        return to_western_digits(text).strip()

    def _base_value(self, data: dict, response: Any) -> float | None:
        """The response in the answers' unit; None when its unit is wrong or missing."""
        value, unit_name = parse_number_with_unit(response)
        if unit_name:
            unit = self._unit(data, unit_name)
            return None if unit is None else value / unit["multiplier"]
        return None if data["unit_required"] else value

    def _matching(self, data: dict, response: Any) -> list[dict]:
        """The answers the response matches, in the author's order (`*`: any)."""
        if not response:
            return []
        base = self._base_value(data, response)
        return [
            answer
            for answer in data["answers"]
            if answer["value"] == ANY
            or (
                base is not None
                and abs(base - answer["value"]) <= answer["tolerance"] + 1e-9
            )
        ]

    def grade(self, data: dict, response: Any) -> float:
        if not response or self._base_value(data, response) is None:
            return 0.0
        best = max((a["fraction"] for a in self._matching(data, response)), default=0.0)
        return max(0.0, min(1.0, best))

    def feedback_for(self, data: dict, response: Any) -> list[str]:
        """The feedback of the first answer the number matches (Moodle's rule),
        then the combined feedback for its grade."""
        if not response:
            return []
        matched = self._matching(data, response)
        texts = [str(matched[0].get("feedback") or "")] if matched else []
        texts.append(combined_feedback(data, self.grade(data, response)))
        return [text for text in texts if text.strip()]

    def correct_response(self, data: dict) -> Any:
        numbers = [a for a in data["answers"] if a["value"] != ANY]
        best = max(numbers, key=lambda a: a["fraction"])
        unit = f" {data['units'][0]['name']}" if data["units"] else ""
        value = best["value"] * (data["units"][0]["multiplier"] if unit else 1)
        return f"{value:g}{unit}"


@register
class ShortAnswer(QuestionKind):
    code = "short_answer"
    label = _("Short answer")

    def clean(self, data: dict) -> dict:
        answers = [
            {
                "text": str(a.get("text") or "").strip(),
                "fraction": weight_fraction(a.get("fraction", 1)),
                "feedback": str(a.get("feedback") or ""),
            }
            for a in data.get("answers") or []
            if str(a.get("text") or "").strip()
        ]
        if not answers or max(a["fraction"] for a in answers) < 0.999:
            raise ValidationError(
                _("A short-answer question needs a fully correct answer.")
            )
        return {
            "answers": answers,
            "case_sensitive": bool(data.get("case_sensitive")),
            **clean_conventions(data),
        }

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        text = str(raw).strip()
        if len(text) > 500:
            raise ValidationError(_("Keep the answer under 500 characters."))
        return text

    def grade(self, data: dict, response: Any) -> float:
        if not response:
            return 0.0
        best = 0.0
        for answer in data["answers"]:
            if answer_matches(answer["text"], response):
                best = max(best, answer["fraction"])
        return max(0.0, min(1.0, best))

    def feedback_for(self, data: dict, response: Any) -> list[str]:
        """The feedback of the first answer the text matches (Moodle's rule, so a
        last `*` answer speaks for every other text), then the combined feedback."""
        if not response:
            return []
        matched = [a for a in data["answers"] if answer_matches(a["text"], response)]
        texts = [str(matched[0].get("feedback") or "")] if matched else []
        texts.append(combined_feedback(data, self.grade(data, response)))
        return [text for text in texts if text.strip()]

    def correct_response(self, data: dict) -> Any:
        return max(data["answers"], key=lambda a: a["fraction"])["text"].replace(
            "*", ""
        )


@register
class Essay(QuestionKind):
    code = "essay"
    label = _("Essay (graded by a person)")
    auto_graded = False

    def clean(self, data: dict) -> dict:
        return {
            "grader_info": str(data.get("grader_info") or ""),
            **clean_conventions(data),
        }

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return None
        text = str(raw)
        if len(text) > MAX_TEXT_RESPONSE:
            raise ValidationError(_("Keep the answer under 10,000 characters."))
        return text

    def grade(self, data: dict, response: Any) -> float | None:
        return None

    def correct_response(self, data: dict) -> Any:
        return "—"
