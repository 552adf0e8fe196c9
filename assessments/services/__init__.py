"""Assessments use cases that write: keyword arguments in (ids, plain values),
`assessments.data` objects out, coded errors (`lms.kernel.errors`) on refusal.

One module per section: `questions` (banks, versions, imports), `attempts` (start,
submit, expiry), `answers` (the save path), `grading`, `practical`, `results` (level
policy, the one call into registry). Every public use case is importable from here.
"""

from assessments.services.answers import attempt_answer_save
from assessments.services.attempts import (
    attempt_expire_if_due,
    attempt_refresh,
    attempt_start,
    attempt_submit,
    attempts_expire_overdue,
)
from assessments.services.grading import attempt_item_grade
from assessments.services.practical import (
    practical_assessment_confirm,
    practical_assessment_create,
    practical_assessment_score,
    practical_evidence_add,
    practical_score_correct,
)
from assessments.services.questions import (
    image_store,
    question_create,
    question_edit,
    questions_import,
)
from assessments.services.results import level_policy_for, skill_result_evaluate

__all__ = [
    "attempt_answer_save",
    "attempt_expire_if_due",
    "attempt_item_grade",
    "attempt_refresh",
    "attempt_start",
    "attempt_submit",
    "attempts_expire_overdue",
    "image_store",
    "level_policy_for",
    "practical_assessment_confirm",
    "practical_assessment_create",
    "practical_assessment_score",
    "practical_evidence_add",
    "practical_score_correct",
    "question_create",
    "question_edit",
    "questions_import",
    "skill_result_evaluate",
]
