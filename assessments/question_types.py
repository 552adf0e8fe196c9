"""Question kinds: a small registry of pluggable types.

Each kind knows how to validate its definition (with the answer key), what the
browser may see of it (never the key), how to validate a trainee's response and how
to grade it to a fraction in [0, 1] (None when a person grades it).
"""

from __future__ import annotations

import math
import random
import re
import secrets
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from assessments.text import answer_matches
from lms.kernel.digits import to_western_digits

_KINDS: dict[str, QuestionKind] = {}

MAX_TEXT_RESPONSE = 10_000


def new_id() -> str:
    """An opaque id for an option: random, so it says nothing about the key."""
    return secrets.token_hex(4)


def register(cls: type[QuestionKind]) -> type[QuestionKind]:
    _KINDS[cls.code] = cls()
    return cls


def get_kind(code: str) -> QuestionKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ValidationError(
            _("Unknown question type “%(code)s”."), params={"code": code}
        ) from None


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in _KINDS.items()]


def image_url(name: str | None) -> str | None:
    return default_storage.url(name) if name else None


def _image_alt(value: Any) -> str:
    """What an image shows, for screen readers (Moodle's alt text)."""
    return " ".join(str(value or "").split())[:250]


def _fraction(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("A grade weight must be a number.")) from None
    if not -1.0 <= number <= 1.0 or math.isnan(number):
        raise ValidationError(_("A grade weight must be between -100% and 100%."))
    return number


def _clean_options(data: dict, *, minimum: int = 2) -> list[dict]:
    options = data.get("options")
    if not isinstance(options, list) or len(options) < minimum:
        raise ValidationError(
            _("The question needs at least %(n)d options."), params={"n": minimum}
        )
    cleaned = []
    for option in options:
        text = str(option.get("text") or "").strip()
        image = option.get("image") or None
        if not text and not image:
            raise ValidationError(_("Every option needs a text or an image."))
        cleaned.append(
            {
                "id": option.get("id") or new_id(),
                "text": text,
                "image": image,
                "image_alt": _image_alt(option.get("image_alt")) if image else "",
                "fraction": _fraction(option.get("fraction", 0)),
                "feedback": str(option.get("feedback") or ""),
            }
        )
    if len({o["id"] for o in cleaned}) != len(cleaned):
        raise ValidationError(_("Option ids must be unique."))
    return cleaned


def _public_options(options: list[dict], rng: random.Random, shuffle: bool) -> list:
    public = [
        {
            "id": o["id"],
            "text": o["text"],
            "image_url": image_url(o["image"]),
            "image_alt": o.get("image_alt", ""),
        }
        for o in options
    ]
    if shuffle:
        rng.shuffle(public)
    return public


class QuestionKind:
    """Base class of a question type. Subclasses register with @register."""

    code: ClassVar[str]
    label: ClassVar[Any]
    auto_graded: ClassVar[bool] = True

    def clean(self, data: dict) -> dict:
        raise NotImplementedError

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {}

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        raise NotImplementedError

    def grade(self, data: dict, response: Any) -> float | None:
        raise NotImplementedError

    def correct_response(self, data: dict) -> Any:
        """A response that earns full marks (for tests, demos and benchmarks)."""
        raise NotImplementedError


@register
class SingleChoice(QuestionKind):
    code = "single_choice"
    label = _("Single choice")

    def clean(self, data: dict) -> dict:
        options = _clean_options(data)
        if max(o["fraction"] for o in options) < 0.999:
            raise ValidationError(_("One option must be fully correct (100%)."))
        return {"options": options}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {"options": _public_options(data["options"], rng, shuffle)}

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
        options = _clean_options(data)
        positive = sum(o["fraction"] for o in options if o["fraction"] > 0)
        if not 0.99 <= positive <= 1.01:
            raise ValidationError(
                _("The weights of the correct options must add up to 100%.")
            )
        return {"options": options}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        return {"options": _public_options(data["options"], rng, shuffle)}

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


@register
class Matching(QuestionKind):
    code = "matching"
    label = _("Matching")

    def clean(self, data: dict) -> dict:
        pairs = data.get("pairs") or []
        if len(pairs) < 2:
            raise ValidationError(_("A matching question needs at least two pairs."))
        cleaned = []
        for pair in pairs:
            prompt = str(pair.get("prompt") or "").strip()
            answer = str(pair.get("answer") or "").strip()
            if not (prompt or pair.get("image")) or not answer:
                raise ValidationError(_("Every pair needs a prompt and an answer."))
            cleaned.append(
                {
                    "id": pair.get("id") or new_id(),
                    "prompt": prompt,
                    "image": pair.get("image") or None,
                    "image_alt": _image_alt(pair.get("image_alt"))
                    if pair.get("image")
                    else "",
                    "answer": answer,
                }
            )
        distractors = [str(d).strip() for d in data.get("distractors") or [] if d]
        return {"pairs": cleaned, "distractors": distractors}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        prompts = [
            {
                "id": p["id"],
                "text": p["prompt"],
                "image_url": image_url(p["image"]),
                "image_alt": p.get("image_alt", ""),
            }
            for p in data["pairs"]
        ]
        choices = sorted(
            {p["answer"] for p in data["pairs"]} | set(data["distractors"])
        )
        rng.shuffle(choices)
        if shuffle:
            rng.shuffle(prompts)
        return {"prompts": prompts, "choices": choices}

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return {}
        ids = {p["id"] for p in data["pairs"]}
        choices = set(public["choices"])
        if not isinstance(raw, dict) or not all(
            k in ids and (v in choices or v in ("", None)) for k, v in raw.items()
        ):
            raise ValidationError(_("Match each item with one of the choices shown."))
        return {k: v for k, v in raw.items() if v}

    def grade(self, data: dict, response: Any) -> float:
        response = response or {}
        right = sum(1 for p in data["pairs"] if response.get(p["id"]) == p["answer"])
        return right / len(data["pairs"])

    def correct_response(self, data: dict) -> Any:
        return {p["id"]: p["answer"] for p in data["pairs"]}


@register
class Ordering(QuestionKind):
    code = "ordering"
    label = _("Ordering")

    def clean(self, data: dict) -> dict:
        items = data.get("items") or []
        if len(items) < 2:
            raise ValidationError(_("An ordering question needs at least two steps."))
        cleaned = []
        for item in items:
            text = str(item.get("text") or "").strip()
            if not text and not item.get("image"):
                raise ValidationError(_("Every step needs a text or an image."))
            cleaned.append(
                {
                    "id": item.get("id") or new_id(),
                    "text": text,
                    "image": item.get("image"),
                    "image_alt": _image_alt(item.get("image_alt"))
                    if item.get("image")
                    else "",
                }
            )
        return {"items": cleaned}

    def public(self, data: dict, *, rng: random.Random, shuffle: bool) -> dict:
        """Always shuffled (the stored order is the key), never in the right order."""
        items = [
            {
                "id": i["id"],
                "text": i["text"],
                "image_url": image_url(i["image"]),
                "image_alt": i.get("image_alt", ""),
            }
            for i in data["items"]
        ]
        correct = [i["id"] for i in items]
        for _attempt in range(20):
            rng.shuffle(items)
            if [i["id"] for i in items] != correct:
                break
        return {"items": items}

    def clean_response(self, data: dict, public: dict, raw: Any) -> Any:
        if raw in (None, ""):
            return []
        ids = [i["id"] for i in data["items"]]
        if not isinstance(raw, list) or sorted(raw) != sorted(ids):
            raise ValidationError(_("Put every step in an order, each exactly once."))
        return raw

    def grade(self, data: dict, response: Any) -> float:
        if not response:
            return 0.0
        correct = [i["id"] for i in data["items"]]
        right = sum(1 for a, b in zip(correct, response, strict=False) if a == b)
        return right / len(correct)

    def correct_response(self, data: dict) -> Any:
        return [i["id"] for i in data["items"]]


_NUMBER = re.compile(
    r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$"
)


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
                value = float(answer["value"])
                tolerance = abs(float(answer.get("tolerance") or 0))
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    _("Every numeric answer needs a value and a tolerance.")
                ) from None
            answers.append(
                {
                    "value": value,
                    "tolerance": tolerance,
                    "fraction": _fraction(answer.get("fraction", 1)),
                    "feedback": str(answer.get("feedback") or ""),
                }
            )
        if not answers or max(a["fraction"] for a in answers) < 0.999:
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

    def grade(self, data: dict, response: Any) -> float:
        if not response:
            return 0.0
        value, unit_name = parse_number_with_unit(response)
        multiplier = 1.0
        if unit_name:
            unit = self._unit(data, unit_name)
            if unit is None:
                return 0.0
            multiplier = unit["multiplier"]
        elif data["unit_required"]:
            return 0.0
        base = value / multiplier
        best = 0.0
        for answer in data["answers"]:
            if abs(base - answer["value"]) <= answer["tolerance"] + 1e-9:
                best = max(best, answer["fraction"])
        return max(0.0, min(1.0, best))

    def correct_response(self, data: dict) -> Any:
        best = max(data["answers"], key=lambda a: a["fraction"])
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
                "fraction": _fraction(a.get("fraction", 1)),
                "feedback": str(a.get("feedback") or ""),
            }
            for a in data.get("answers") or []
            if str(a.get("text") or "").strip()
        ]
        if not answers or max(a["fraction"] for a in answers) < 0.999:
            raise ValidationError(
                _("A short-answer question needs a fully correct answer.")
            )
        return {"answers": answers, "case_sensitive": bool(data.get("case_sensitive"))}

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
        return {"grader_info": str(data.get("grader_info") or "")}

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
