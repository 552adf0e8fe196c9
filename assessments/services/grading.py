"""Grading: objective items by their kind on submission, essays by a person; an
attempt is finalised (score, pass) once every item has a score."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.data import AttemptData
from assessments.models import Attempt, AttemptItem, AttemptStatus
from assessments.question_types import get_kind
from assessments.selectors.build import attempt_data
from assessments.selectors.people import GRADERS, has_any_role, person
from assessments.services.questions import q2
from assessments.services.results import skill_result_evaluate
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound


def grade_items(attempt: Attempt) -> bool:
    """Grade objective items; True when every item has a score."""
    complete = True
    for item in attempt.items.all():
        if item.score is not None and item.graded_by_id:
            continue
        kind = get_kind(item.snapshot["kind"])
        fraction = kind.grade(item.snapshot["data"], item.response)
        if fraction is None and item.response in (None, ""):
            fraction = 0.0
        if fraction is None:
            complete = False
            continue
        item.fraction = fraction
        item.score = q2(Decimal(str(fraction)) * item.points)
        item.save(update_fields=["fraction", "score"])
    return complete


def finalise(attempt: Attempt) -> None:
    """Score and pass of a fully graded attempt, then the skill result it feeds."""
    scores = list(attempt.items.values_list("score", flat=True))
    score = q2(sum((s or Decimal(0)) for s in scores))
    percent = q2(score * 100 / attempt.max_score) if attempt.max_score else q2(0)
    attempt.score, attempt.percent = score, percent
    attempt.passed = percent >= attempt.blueprint.pass_mark_percent
    attempt.status = AttemptStatus.GRADED
    attempt.save(update_fields=["score", "percent", "passed", "status"])
    skill_result_evaluate(
        user_id=attempt.user_id,
        occupation_id=attempt.blueprint.occupation_id,
        skill_level_id=attempt.blueprint.skill_level_id,
    )


@transaction.atomic
def attempt_item_grade(*, item_id: int, grader_id: int, fraction: float) -> AttemptData:
    """A person grades an essay item; the attempt is finalised when none remain.

    Refusals: Forbidden (not an assessor or ministry staff, or their own exam),
    NotFound, Conflict `not_awaiting_grading`, Invalid `invalid_grade`."""
    grader = person(grader_id)
    if grader is None or not has_any_role(grader, GRADERS):
        raise Forbidden(_("Only assessors and ministry staff grade answers."))
    item = (
        AttemptItem.objects.select_for_update()
        .select_related("attempt")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound(_("No such answer."))
    attempt = item.attempt
    if attempt.user_id == grader.pk:
        raise Forbidden(_("You cannot grade your own exam."), code="own_exam")
    if attempt.status != AttemptStatus.AWAITING_GRADING:
        raise Conflict(
            _("This attempt is not waiting for grading."), code="not_awaiting_grading"
        )
    fraction = float(fraction)
    if not 0 <= fraction <= 1:
        raise Invalid(_("The grade must be between 0% and 100%."), code="invalid_grade")
    item.fraction = fraction
    item.score = q2(Decimal(str(fraction)) * item.points)
    item.graded_by = grader
    item.save(update_fields=["fraction", "score", "graded_by"])
    attempt = Attempt.objects.select_related("blueprint").get(pk=attempt.pk)
    if not attempt.items.filter(score=None).exists():
        finalise(attempt)
    return attempt_data(attempt)
