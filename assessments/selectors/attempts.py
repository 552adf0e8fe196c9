"""Reads about attempts: what the trainee may see of one (never a key), its result by
topic, the attempts in progress, the essays waiting for a person, skill results."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import (
    AttemptData,
    AttemptPublic,
    AttemptResult,
    GradingItem,
    ReviewItem,
    SkillResultData,
    TopicScore,
)
from assessments.models import Attempt, AttemptItem, AttemptStatus, SkillResult
from assessments.question_types import get_kind
from assessments.selectors.build import attempt_data, item_public, skill_result_data
from lms.kernel.errors import NotFound


def _own_attempt(*, attempt_id: int, user_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_related("blueprint")
        .filter(pk=attempt_id, user_id=user_id)
        .first()
    )
    if attempt is None:
        raise NotFound(_("No such attempt."))
    return attempt


def attempt_public(attempt: Attempt) -> AttemptPublic:
    """The attempt as the browser sees it (reads `blueprint` and the items)."""
    return AttemptPublic(
        id=attempt.pk,
        exam_title=attempt.blueprint.title,
        status=attempt.status,
        started_at=attempt.started_at.isoformat(),
        deadline_at=attempt.deadline_at.isoformat(),
        remaining_s=max(0, int((attempt.deadline_at - timezone.now()).total_seconds())),
        items=tuple(item_public(i) for i in attempt.items.all()),
    )


def attempt_public_get(*, attempt_id: int, user_id: int) -> AttemptPublic:
    """The trainee's own attempt, built from the snapshots' text and the stored
    public views only; NotFound for anyone else's."""
    return attempt_public(_own_attempt(attempt_id=attempt_id, user_id=user_id))


def attempt_scores_by_topic(*, attempt_id: int) -> tuple[TopicScore, ...]:
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for topic, score, points in AttemptItem.objects.filter(
        attempt_id=attempt_id
    ).values_list("topic_name", "score", "points"):
        totals[topic][0] += score or Decimal(0)
        totals[topic][1] += points
    return tuple(TopicScore(t, s, m) for t, (s, m) in sorted(totals.items()))


def _response_text(kind: str, data: dict, response: Any) -> str:
    """The trainee's answer in words (option ids are opaque)."""
    if response in (None, "", [], {}):
        return ""
    if kind == "true_false":
        return _("True") if response is True else _("False")
    if kind in ("single_choice", "multiple_response"):
        chosen = response if isinstance(response, list) else [response]
        return "، ".join(o["text"] for o in data["options"] if o["id"] in chosen)
    if kind == "ordering":
        texts = {i["id"]: i["text"] for i in data["items"]}
        return "، ".join(texts.get(r, "") for r in response)
    if kind == "matching":
        prompts = {p["id"]: p["prompt"] for p in data["pairs"]}
        return "؛ ".join(f"{prompts.get(k, '')} ← {v}" for k, v in response.items())
    return str(response)


def _review_item(item: AttemptItem) -> ReviewItem:
    """Feedback and hints once a question is graded (a person may still have to)."""
    snapshot = item.snapshot
    kind, data = get_kind(snapshot["kind"]), snapshot.get("data") or {}
    fraction = item.fraction
    graded = fraction is not None
    full = fraction is not None and fraction >= 0.999
    return ReviewItem(
        position=item.position,
        stem=snapshot.get("stem", ""),
        response_text=_response_text(snapshot["kind"], data, item.response),
        points=item.points,
        score=item.score,
        full_marks=full,
        feedback=tuple(kind.feedback_for(data, item.response)) if graded else (),
        hints=tuple(kind.hints(data)) if graded and not full else (),
        explanation=snapshot.get("explanation") or "",
    )


def attempt_result_get(*, attempt_id: int, user_id: int) -> AttemptResult:
    """The outcome of the trainee's own attempt, by topic, with the review of each
    question (only once submitted: an open attempt has no result)."""
    attempt = _own_attempt(attempt_id=attempt_id, user_id=user_id)
    review = (
        ()
        if attempt.status == AttemptStatus.IN_PROGRESS
        else tuple(_review_item(i) for i in attempt.items.all())
    )
    return AttemptResult(
        id=attempt.pk,
        exam_title=attempt.blueprint.title,
        status=attempt.status,
        score=attempt.score,
        max_score=attempt.max_score,
        percent=attempt.percent,
        passed=attempt.passed,
        auto_submitted=attempt.auto_submitted,
        topics=attempt_scores_by_topic(attempt_id=attempt.pk),
        review=review,
    )


def attempts_open_for_user(*, user_id: int) -> tuple[AttemptData, ...]:
    rows = Attempt.objects.filter(
        user_id=user_id, status=AttemptStatus.IN_PROGRESS
    ).select_related("blueprint")
    return tuple(attempt_data(a) for a in rows)


def skill_results_for(
    *, user_id: int, limit: int | None = None
) -> tuple[SkillResultData, ...]:
    """The trainee's combined results, newest first."""
    rows = SkillResult.objects.filter(user_id=user_id).select_related(
        "occupation", "skill_level"
    )
    if limit is not None:
        rows = rows[:limit]
    return tuple(skill_result_data(r) for r in rows)


def essays_to_grade(*, grader_id: int, limit: int = 50) -> tuple[GradingItem, ...]:
    """Answers waiting for a person, oldest first; never the grader's own exam."""
    items = (
        AttemptItem.objects.filter(
            attempt__status=AttemptStatus.AWAITING_GRADING, score=None
        )
        .exclude(attempt__user_id=grader_id)
        .select_related("attempt__blueprint")
        .order_by("attempt__submitted_at", "position")[:limit]
    )
    return tuple(
        GradingItem(
            id=item.pk,
            exam_title=item.attempt.blueprint.title,
            position=item.position,
            stem=item.snapshot.get("stem", ""),
            grader_info=(item.snapshot.get("data") or {}).get("grader_info", ""),
            response="" if item.response is None else str(item.response),
        )
        for item in items
    )
