"""Kinds answered by arranging: matching prompts to answers, ordering steps."""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.question_types.base import (
    QuestionKind,
    alt_text,
    clean_conventions,
    image_url,
    new_id,
    register,
)


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
                    "image_alt": alt_text(pair.get("image_alt"))
                    if pair.get("image")
                    else "",
                    "answer": answer,
                }
            )
        distractors = [str(d).strip() for d in data.get("distractors") or [] if d]
        return {"pairs": cleaned, "distractors": distractors, **clean_conventions(data)}

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
                    "image_alt": alt_text(item.get("image_alt"))
                    if item.get("image")
                    else "",
                }
            )
        return {"items": cleaned, **clean_conventions(data)}

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
