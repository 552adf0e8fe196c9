"""Knowledge checks: scoring a try against the stored check, and the try itself.

The correct answers live only in the lesson's stored block value (content's
`KnowledgeCheckBlock`); the page never receives them, so scoring happens here, on
the server, for the API, the no-JavaScript form and the offline batch alike. Tries
are counted here too, so the check's reveal policy holds whatever the client: until
the policy's try (or never), a try is answered with passed or not and the
explanations only, since a score or a per-question verdict would let a script find
the key by trying (the issue's course completed in 20 requests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.data import CheckScore, CheckSubmission, QuestionResult
from courses.models import CheckResult, LessonProgress
from courses.selectors.checks import (
    check_view_build,
    choice_order,
    question_hints,
    reveal_after_tries,
)
from courses.services.completion import evaluate_lesson
from courses.services.progress import active_enrollment, course_of, live_lesson
from lms.kernel.errors import Invalid, NotFound

Answers = Mapping[int, Sequence[int]]


def _unknown_question() -> Invalid:
    return Invalid(
        _("This answer refers to a question that does not exist."),
        code="unknown_question",
    )


def _unknown_choice() -> Invalid:
    return Invalid(
        _("This answer refers to a choice that does not exist."),
        code="unknown_choice",
    )


def knowledge_check_score(*, value: Mapping[str, Any], answers: Answers) -> CheckScore:
    """Score answers `{question index: [choice indexes]}` (the author's order)
    against a stored check.

    A question is right when the chosen set equals the correct set; a missing
    answer counts as wrong. Raises Invalid for indexes outside the check.
    """
    questions = list(value["questions"])
    for q_index, choices in answers.items():
        if not 0 <= q_index < len(questions):
            raise _unknown_question()
        n = len(questions[q_index]["choices"])
        if any(not 0 <= c < n for c in choices):
            raise _unknown_choice()
    results = []
    for q_index, question in enumerate(questions):
        expected = {i for i, c in enumerate(question["choices"]) if c["correct"]}
        chosen = set(answers.get(q_index, []))
        results.append(
            QuestionResult(
                index=q_index,
                correct=chosen == expected,
                explanation=question.get("explanation") or "",
            )
        )
    right = sum(1 for r in results if r.correct)
    return CheckScore(
        score_pct=round(100 * right / len(results)) if results else 0,
        results=tuple(results),
    )


def _in_author_order(
    *,
    value: Mapping[str, Any],
    answers: Answers,
    user_id: int,
    lesson_id: int,
    block_id: str,
    attempt: int,
) -> dict[int, list[int]]:
    """Positions in one try's order → the author's indexes."""
    questions = list(value["questions"])
    mapped = {}
    for q_index, positions in answers.items():
        if not 0 <= q_index < len(questions):
            raise _unknown_question()
        order = choice_order(
            user_id=user_id,
            lesson_id=lesson_id,
            block_id=block_id,
            attempt=attempt,
            question_index=q_index,
            question=questions[q_index],
        )
        if any(not 0 <= p < len(order) for p in positions):
            raise _unknown_choice()
        mapped[q_index] = sorted(order[p] for p in positions)
    return mapped


def _feedback(question: Mapping[str, Any], chosen: Sequence[int]) -> tuple[str, ...]:
    choices = question["choices"]
    texts = (str(choices[i].get("feedback") or "").strip() for i in chosen)
    return tuple(text for text in texts if text)


@transaction.atomic
def knowledge_check_submit(
    *,
    user: Any,
    lesson_id: int,
    block_id: str,
    answers: Answers,
    attempt: int | None = None,
) -> CheckSubmission:
    """Score one try on the server, count it and keep the trainee's best score.

    `answers` are positions in the order try `attempt` was shown in (the page and
    the API's check view give that number); without `attempt`, indexes in the
    author's order (clients from before shuffling, answers queued offline by
    them). The same answers as the last try are not another try. Refusals:
    NotFound (`lesson_not_found`, `check_not_found`), Conflict (`not_enrolled`),
    Invalid (`unknown_question`, `unknown_choice`, `unknown_try`: a try not shown
    yet).
    """
    lesson = live_lesson(lesson_id)
    course = course_of(lesson)
    active_enrollment(user=user, course=course)
    value = lesson.knowledge_check_value(block_id)
    if value is None:
        raise NotFound(
            _("This knowledge check is not part of this lesson."),
            code="check_not_found",
        )
    # a refusal below rolls the new row back with the rest of the transaction
    result, _created = CheckResult.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, block_id=block_id
    )
    if attempt is not None:
        if not 0 <= attempt <= result.tries:
            raise Invalid(
                _("These answers are for a try that was not shown yet."),
                code="unknown_try",
            )
        answers = _in_author_order(
            value=value,
            answers=answers,
            user_id=user.pk,
            lesson_id=lesson.pk,
            block_id=block_id,
            attempt=attempt,
        )
    score = knowledge_check_score(value=value, answers=answers)
    passed = score.score_pct >= course.check_pass_pct
    _count_try(result, answers=answers, score_pct=score.score_pct, passed=passed)
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={"course": course, "opened_at": now, "last_opened_at": now},
    )
    if progress.completed_at is None:
        evaluate_lesson(user=user, lesson=lesson, course=course, progress=progress)
    return _submission(
        value=value, answers=answers, score=score, passed=passed, result=result
    )


def _count_try(
    result: CheckResult, *, answers: Answers, score_pct: int, passed: bool
) -> None:
    stored = {str(q): sorted(set(c)) for q, c in sorted(answers.items())}
    changed = []
    if result.tries == 0 or stored != result.last_answers:
        result.tries += 1
        result.failed_tries += 0 if passed else 1
        result.last_answers = stored
        changed += ["tries", "failed_tries", "last_answers"]
    if score_pct > result.best_score_pct:
        result.best_score_pct = score_pct
        changed.append("best_score_pct")
    if passed and result.passed_at is None:
        result.passed_at = timezone.now()
        changed.append("passed_at")
    if changed:
        result.save(update_fields=changed)


def _submission(
    *,
    value: Mapping[str, Any],
    answers: Answers,
    score: CheckScore,
    passed: bool,
    result: CheckResult,
) -> CheckSubmission:
    after = reveal_after_tries(value)
    revealed = after is not None and result.tries >= after
    questions = list(value["questions"])
    results = []
    for scored in score.results:
        question = questions[scored.index]
        hints = question_hints(question, failed_tries=result.failed_tries)
        results.append(
            QuestionResult(
                index=scored.index,
                correct=scored.correct if revealed else None,
                explanation=scored.explanation,
                feedback=_feedback(question, answers.get(scored.index, []))
                if revealed
                else (),
                hints=() if revealed and scored.correct else hints,
            )
        )
    return CheckSubmission(
        score_pct=score.score_pct if revealed else None,
        passed=passed,
        results=tuple(results),
        revealed=revealed,
        tries=result.tries,
        next=check_view_build(
            value=value,
            user_id=result.user_id,
            lesson_id=result.lesson_id,
            block_id=result.block_id,
            result=result,
        ),
    )
