"""Assessments use cases that write: keyword arguments in (ids, plain values),
`assessments.data` objects out, coded errors (`lms.kernel.errors`) on refusal.

One module per section: `questions` (banks, versions), `question_import` (plan and
commit of a file), `import_staging` (the web import's preview and confirmation),
`attempts` (start, submit, expiry), `answers` (the save path), `grading`,
`practical`, `results` (level policy, the one call into registry). Every public
use case is importable from here.
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
from assessments.services.import_staging import (
    question_import_commit,
    question_import_preview,
    question_import_stage,
)
from assessments.services.practical import (
    practical_assessment_confirm,
    practical_assessment_create,
    practical_assessment_score,
    practical_evidence_add,
    practical_score_correct,
)
from assessments.services.question_import import questions_import
from assessments.services.questions import (
    image_store,
    question_create,
    question_edit,
)
from assessments.services.results import (
    level_policy_for,
    skill_result_evaluate,
    skill_result_recorded,
)

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
    "question_import_commit",
    "question_import_preview",
    "question_import_stage",
    "questions_import",
    "skill_result_evaluate",
    "skill_result_recorded",
]
