"""The registry of question kinds, their base class and the helpers kinds share."""

from __future__ import annotations

import math
import random
import secrets
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

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


def alt_text(value: Any) -> str:
    """What an image shows, for screen readers (Moodle's alt text)."""
    return " ".join(str(value or "").split())[:250]


def weight_fraction(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("A grade weight must be a number.")) from None
    if not -1.0 <= number <= 1.0 or math.isnan(number):
        raise ValidationError(_("A grade weight must be between -100% and 100%."))
    return number


def clean_options(data: dict, *, minimum: int = 2) -> list[dict]:
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
                "image_alt": alt_text(option.get("image_alt")) if image else "",
                "fraction": weight_fraction(option.get("fraction", 0)),
                "feedback": str(option.get("feedback") or ""),
            }
        )
    if len({o["id"] for o in cleaned}) != len(cleaned):
        raise ValidationError(_("Option ids must be unique."))
    return cleaned


_TRUE_WORDS = ("1", "true", "on", "yes")


def clean_conventions(data: dict) -> dict:
    """What every kind keeps besides its key: the author's hints (Moodle <hint>),
    combined feedback (correct / partially correct / incorrect) and whether the
    options are shuffled (Moodle `shuffleanswers`, on unless the author pins them)."""
    feedback = data.get("feedback") or {}
    if not isinstance(feedback, dict):
        raise ValidationError(
            _("Combined feedback must name correct, partial, incorrect.")
        )
    hints = data.get("hints") or []
    if not isinstance(hints, list):
        raise ValidationError(_("Hints must be a list of texts."))
    shuffle = data.get("shuffle", True)
    if isinstance(shuffle, str):
        shuffle = shuffle.strip().lower() in _TRUE_WORDS
    return {
        "hints": [str(h).strip() for h in hints if str(h or "").strip()],
        "feedback": {
            key: str(feedback.get(key) or "").strip()
            for key in ("correct", "partial", "incorrect")
        },
        "shuffle": bool(shuffle),
    }


def combined_feedback(data: dict, fraction: float | None) -> str:
    """The combined feedback a grade earns ("" when the author wrote none)."""
    if fraction is None:
        return ""
    key = "correct" if fraction >= 0.999 else "partial" if fraction > 0 else "incorrect"
    return str((data.get("feedback") or {}).get(key) or "")


def public_options(options: list[dict], rng: random.Random, shuffle: bool) -> list:
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

    def feedback_for(self, data: dict, response: Any) -> list[str]:
        """What the author wrote for this response, shown once it is answered (and
        in the review): each chosen option's feedback, then the combined feedback
        (Moodle's correct / partially correct / incorrect) for its grade. Kinds whose
        answers are not options (numeric, short answer) override it."""
        chosen = response if isinstance(response, list) else [response]
        texts = [
            str(option.get("feedback") or "")
            for option in data.get("options", [])
            if option.get("id") in chosen
        ]
        fraction = self.grade(data, response) if self.auto_graded else None
        texts.append(combined_feedback(data, fraction))
        return [text for text in texts if text.strip()]

    def hints(self, data: dict) -> list[str]:
        """The author's hints, in order (Moodle's <hint>): shown between tries."""
        return [str(hint) for hint in data.get("hints") or [] if str(hint).strip()]
