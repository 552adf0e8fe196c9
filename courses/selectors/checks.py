"""Knowledge checks as a trainee's current try shows them: the choices in that try's
order, the hints earned so far, and the check's reveal policy.

Each try has its own order, derived from (trainee, lesson, check, try, question):
the same try always shows the same order (a reload changes nothing, and an answer
sent later, from a saved page, is read in the order it was given in), and the next
try shows another. The author pins a question's order with its `shuffle` switch.
The page posts positions in that order, so its values say nothing about the
author's order (where the right answer often comes first).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from courses.data import CheckChoiceView, CheckQuestionView, CheckView
from courses.models import CheckResult, CoursePage, Enrollment, LessonPage
from lms.kernel.errors import Conflict, NotFound

DEFAULT_REVEAL_AFTER_TRIES = 3  # the block's default, for values stored before it


def reveal_after_tries(value: Mapping[str, Any]) -> int | None:
    """From which try the check says which answers were right (None: never)."""
    if value.get("reveal") == "never":
        return None
    tries = value.get("reveal_after_tries")
    return max(1, int(tries)) if tries else DEFAULT_REVEAL_AFTER_TRIES


def choice_order(
    *,
    user_id: int,
    lesson_id: int,
    block_id: str,
    attempt: int,
    question_index: int,
    question: Mapping[str, Any],
) -> list[int]:
    """The author's indexes of a question's choices, in the order of one try."""
    order = list(range(len(question["choices"])))
    if question.get("shuffle", True) is False or len(order) < 2:
        return order
    key = f"{user_id}:{lesson_id}:{block_id}:{attempt}:{question_index}"
    random.Random(hashlib.sha256(key.encode()).digest()).shuffle(order)
    return order


def question_hints(
    question: Mapping[str, Any], *, failed_tries: int
) -> tuple[str, ...]:
    """One more of the author's hints after each try that did not pass."""
    hints = [str(h) for h in question.get("hints") or [] if str(h).strip()]
    return tuple(hints[:failed_tries])


def check_view_build(
    *,
    value: Mapping[str, Any],
    user_id: int,
    lesson_id: int,
    block_id: str,
    result: CheckResult | None,
) -> CheckView:
    tries = result.tries if result else 0
    failed = result.failed_tries if result else 0
    questions = []
    for index, question in enumerate(value["questions"]):
        order = choice_order(
            user_id=user_id,
            lesson_id=lesson_id,
            block_id=block_id,
            attempt=tries,
            question_index=index,
            question=question,
        )
        questions.append(
            CheckQuestionView(
                index=index,
                prompt=question["prompt"],
                kind=question["kind"],
                choices=tuple(
                    CheckChoiceView(position, question["choices"][original]["text"])
                    for position, original in enumerate(order)
                ),
                hints=question_hints(question, failed_tries=failed),
            )
        )
    return CheckView(
        block_id=block_id,
        attempt=tries,
        tries=tries,
        passed=bool(result and result.passed_at),
        reveal_after_tries=reveal_after_tries(value),
        questions=tuple(questions),
    )


def knowledge_check_views(*, user: Any, lesson: LessonPage) -> dict[str, CheckView]:
    """Every check of a lesson page as the user's current try shows it (one query).
    A visitor who is not signed in sees the order of an anonymous first try."""
    signed_in = getattr(user, "is_authenticated", False)
    results = (
        {r.block_id: r for r in CheckResult.objects.filter(user=user, lesson=lesson)}
        if signed_in
        else {}
    )
    return {
        block.id: check_view_build(
            value=block.value,
            user_id=user.pk if signed_in else 0,
            lesson_id=lesson.pk,
            block_id=block.id,
            result=results.get(block.id),
        )
        for block in lesson.body
        if block.block_type == "knowledge_check"
    }


def knowledge_check_view_get(*, user: Any, lesson_id: int, block_id: str) -> CheckView:
    """One check as the enrolled trainee's current try shows it (for the API).

    NotFound (`lesson_not_found`, `check_not_found`), Conflict (`not_enrolled`)."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound(
            _("This lesson does not exist or is not published."),
            code="lesson_not_found",
        )
    course = CoursePage.objects.ancestor_of(lesson).get()
    enrolled = (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .exists()
    )
    if not enrolled:
        raise Conflict(
            _("Enrol in the course to record your progress."), code="not_enrolled"
        )
    value = lesson.knowledge_check_value(block_id)
    if value is None:
        raise NotFound(
            _("This knowledge check is not part of this lesson."),
            code="check_not_found",
        )
    result = CheckResult.objects.filter(
        user=user, lesson=lesson, block_id=block_id
    ).first()
    return check_view_build(
        value=value,
        user_id=user.pk,
        lesson_id=lesson.pk,
        block_id=block_id,
        result=result,
    )
