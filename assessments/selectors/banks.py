"""Reads about question banks: the list, one bank, and item analysis (facility and
discrimination of each question) for the content team."""

from __future__ import annotations

import math
from collections import defaultdict

from django.utils.translation import gettext as _

from assessments.data import BankData, ItemStats
from assessments.models import AttemptItem, AttemptStatus, Question, QuestionBank
from assessments.selectors.build import bank_data
from lms.kernel.errors import NotFound


def banks_list() -> tuple[BankData, ...]:
    rows = QuestionBank.objects.select_related("occupation", "skill_level")
    return tuple(bank_data(b) for b in rows)


def bank_get(*, slug: str) -> BankData:
    bank = (
        QuestionBank.objects.select_related("occupation", "skill_level")
        .filter(slug=slug)
        .first()
    )
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank_data(bank)


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


def _question_name(question: Question) -> str:
    if question.name:
        return question.name
    if question.current_version:
        return str(question.current_version.stem)[:60]
    return str(question.pk)


def item_analysis(*, bank_id: int) -> tuple[ItemStats, ...]:
    """Per question: how many took it, facility (mean share correct) and
    discrimination (correlation of the item with the rest of the test)."""
    rows = AttemptItem.objects.filter(
        question__bank_id=bank_id, attempt__status=AttemptStatus.GRADED
    ).values_list("question_id", "fraction", "score", "attempt__score")
    per_question: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for question_id, fraction, score, attempt_score in rows:
        rest = float((attempt_score or 0) - (score or 0))
        per_question[question_id].append((float(fraction or 0), rest))
    stats = []
    questions = Question.objects.filter(bank_id=bank_id).select_related(
        "topic", "current_version"
    )
    for question in questions:
        data = per_question.get(question.pk, [])
        fractions = [f for f, _r in data]
        stats.append(
            ItemStats(
                question_id=question.pk,
                name=_question_name(question),
                kind=question.kind,
                topic=question.topic.name,
                difficulty=question.difficulty,
                difficulty_label=str(question.get_difficulty_display()),
                taken=len(data),
                facility=sum(fractions) / len(fractions) if fractions else None,
                discrimination=_correlation(fractions, [r for _f, r in data]),
            )
        )
    return tuple(stats)
