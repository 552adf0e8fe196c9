"""Item analysis of a question bank for the content team, over graded attempts.

- Facility (difficulty): the mean fraction of the marks earned, 0–1 (Moodle's
  facility index), labelled from "very hard" to "very easy" in the reader's language.
- Discrimination, two ways: `discrimination` is Moodle's discrimination index, the
  Pearson correlation between the question's fraction and the rest of the test
  (the attempt's score without this question; for right/wrong questions it is the
  corrected point-biserial); `upper_lower_index` is Kelley's upper/lower 27 % index:
  the facility in the top 27 % of the question's examinees by total score minus
  that in the bottom 27 % (from −1 to 1; below 0.2 separates poorly).
- Distractor analysis, for questions answered by picking options (single choice,
  multiple response): how many chose each option, overall and in the upper and
  lower groups; a wrong option the upper group chose more than the lower one is
  flagged, and one nobody chose does no work.
Groups: the examinees of the question ordered by total score (ties by attempt, so
the groups are the same at every reading), `max(1, round(0.27 n))` in each.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessments.data import DistractorStats, ItemStats
from assessments.models import AttemptItem, AttemptStatus, Difficulty, Question

GROUP_SHARE = 0.27  # Kelley's 27 %
OPTION_KINDS = ("single_choice", "multiple_response")


@dataclass(frozen=True, slots=True)
class Taker:
    """One examinee's answer to the question, with their attempt's total."""

    attempt_id: int
    fraction: float
    response: Any
    total: float
    rest: float  # the total without this question (Moodle's "rest of the test")


def facility_label(facility: float | None) -> Any:
    """The measured difficulty in words (lazy: translated when shown)."""
    if facility is None:
        return ""
    if facility < 0.2:
        return _("Very hard")
    if facility < 0.4:
        return Difficulty.HARD.label
    if facility < 0.8:
        return Difficulty.MEDIUM.label
    if facility < 0.95:
        return Difficulty.EASY.label
    return _("Very easy")


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def _groups(takers: list[Taker]) -> tuple[list[Taker], list[Taker]]:
    """The upper and lower 27 % by total score (empty under two examinees)."""
    if len(takers) < 2:
        return [], []
    size = max(1, round(GROUP_SHARE * len(takers)))
    ranked = sorted(takers, key=lambda t: (-t.total, t.attempt_id))
    return ranked[:size], ranked[-size:]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _chosen(response: Any) -> set[str]:
    if isinstance(response, list):
        return {str(r) for r in response}
    return {str(response)} if response not in (None, "") else set()


def _distractors(
    options: list[dict], takers: list[Taker], upper: list[Taker], lower: list[Taker]
) -> tuple[DistractorStats, ...]:
    def count(group: list[Taker], option_id: str) -> int:
        return sum(1 for t in group if option_id in _chosen(t.response))

    return tuple(
        DistractorStats(
            option_id=option["id"],
            text=option.get("text") or "",
            correct=float(option.get("fraction") or 0) > 0,
            chosen=count(takers, option["id"]),
            upper=count(upper, option["id"]),
            lower=count(lower, option["id"]),
        )
        for option in options
    )


def _name(question: Question) -> str:
    if question.name:
        return question.name
    if question.current_version:
        return str(question.current_version.stem)[:60]
    return str(question.pk)


def _takers(bank_id: int) -> dict[int, list[Taker]]:
    rows = AttemptItem.objects.filter(
        question__bank_id=bank_id, attempt__status=AttemptStatus.GRADED
    ).values_list("question_id", "attempt_id", "fraction", "score", "response")
    items = list(rows)
    totals: dict[int, float] = defaultdict(float)
    for _q, attempt_id, _f, score, _r in items:
        totals[attempt_id] += float(score or 0)
    per_question: dict[int, list[Taker]] = defaultdict(list)
    for question_id, attempt_id, fraction, score, response in items:
        total = totals[attempt_id]
        per_question[question_id].append(
            Taker(
                attempt_id,
                float(fraction or 0),
                response,
                total=total,
                rest=total - float(score or 0),
            )
        )
    return per_question


def item_analysis(*, bank_id: int) -> tuple[ItemStats, ...]:
    """Per question of the bank: taken, facility, both discrimination figures and,
    for option questions, the distractor analysis (unused questions listed too)."""
    per_question = _takers(bank_id)
    questions = Question.objects.filter(bank_id=bank_id).select_related(
        "topic", "current_version"
    )
    stats = []
    for question in questions:
        takers = per_question.get(question.pk, [])
        fractions = [t.fraction for t in takers]
        facility = _mean(fractions) if fractions else None
        upper, lower = _groups(takers)
        data = question.current_version.data if question.current_version else {}
        options = data.get("options") or []
        stats.append(
            ItemStats(
                question_id=question.pk,
                name=_name(question),
                kind=question.kind,
                topic=question.topic.name,
                difficulty=question.difficulty,
                difficulty_label=str(question.get_difficulty_display()),
                taken=len(takers),
                facility=facility,
                discrimination=_correlation(fractions, [t.rest for t in takers]),
                facility_label=facility_label(facility),
                upper_lower_index=(
                    _mean([t.fraction for t in upper])
                    - _mean([t.fraction for t in lower])
                    if upper
                    else None
                ),
                group_size=len(upper),
                distractors=_distractors(options, takers, upper, lower)
                if question.kind in OPTION_KINDS
                else (),
            )
        )
    return tuple(stats)
