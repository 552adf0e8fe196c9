"""Knowledge-check scoring: answers against the correct choices of a stored check.

The correct answers live only in the lesson's stored block value (content's
`KnowledgeCheckBlock`); the page never receives them, so scoring happens here, on
the server, for the API and the no-JavaScript form alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from courses.data import CheckScore, QuestionResult
from lms.kernel.errors import Invalid


def knowledge_check_score(
    *, value: Mapping[str, Any], answers: Mapping[int, Sequence[int]]
) -> CheckScore:
    """Score answers `{question index: [choice indexes]}` against a stored check.

    A question is right when the chosen set equals the correct set; a missing
    answer counts as wrong. Raises Invalid for indexes outside the check.
    """
    questions = list(value["questions"])
    for q_index, choices in answers.items():
        if not 0 <= q_index < len(questions):
            raise Invalid(
                _("This answer refers to a question that does not exist."),
                code="unknown_question",
            )
        n = len(questions[q_index]["choices"])
        if any(not 0 <= c < n for c in choices):
            raise Invalid(
                _("This answer refers to a choice that does not exist."),
                code="unknown_choice",
            )
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
