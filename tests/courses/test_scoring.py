"""knowledge_check_score: the server's scoring of a stored check (no database)."""

from __future__ import annotations

import pytest

from courses.services import knowledge_check_score
from lms.kernel.errors import Invalid
from tests.courses.conftest import check_block

CHECK = check_block("kc")["value"]  # q0: single (choice 0), q1: multiple (0 and 1)


def test_every_question_right_scores_100_with_each_explanation():
    score = knowledge_check_score(value=CHECK, answers={0: [0], 1: [1, 0]})
    assert score.score_pct == 100
    assert [(r.index, r.correct) for r in score.results] == [(0, True), (1, True)]
    assert score.results[0].explanation == "الأرضي أخضر مخطط بالأصفر."


def test_a_missing_or_partial_answer_counts_as_wrong():
    assert knowledge_check_score(value=CHECK, answers={0: [0]}).score_pct == 50
    assert knowledge_check_score(value=CHECK, answers={0: [0], 1: [0]}).score_pct == 50
    assert knowledge_check_score(value=CHECK, answers={}).score_pct == 0


@pytest.mark.parametrize(
    ("answers", "code"),
    [({2: [0]}, "unknown_question"), ({-1: [0]}, "unknown_question"),
     ({0: [2]}, "unknown_choice"), ({1: [0, 7]}, "unknown_choice")],
)  # fmt: skip
def test_indexes_outside_the_check_are_invalid(answers, code):
    with pytest.raises(Invalid) as err:
        knowledge_check_score(value=CHECK, answers=answers)
    assert err.value.code == code and err.value.message
