"""Assessments reads: keyword arguments in, `assessments.data` objects out.

One module per section (`exams`, `attempts`, `banks`, `analysis`, `practical`,
`reports`);
`build` turns rows into data, `people` holds the roles of each page and who is behind
an id, `courses` the calls into courses. Every public read is importable from here.
"""

from assessments.selectors.admissions import (
    exam_for_level,
    parts_progress,
    rubric_for_level,
)
from assessments.selectors.analysis import item_analysis
from assessments.selectors.attempts import (
    attempt_public_get,
    attempt_result_get,
    attempt_scores_by_topic,
    attempts_open_for_user,
    essays_to_grade,
    skill_results_for,
)
from assessments.selectors.banks import bank_get, banks_list
from assessments.selectors.exams import (
    attempt_open_for,
    exam_eligibility_problems,
    exam_get,
    exam_offers_for_trainee,
)
from assessments.selectors.practical import (
    practical_drafts_count,
    practical_evidence_for_viewer,
    practical_page_get,
    practical_sheet_get,
    practical_summary_get,
    practical_workplace,
    practicals_for_assessor,
    rubrics_active,
)
from assessments.selectors.reports import report_facts

__all__ = [
    "exam_for_level",
    "parts_progress",
    "rubric_for_level",
    "attempt_open_for",
    "attempt_public_get",
    "attempt_result_get",
    "attempt_scores_by_topic",
    "attempts_open_for_user",
    "bank_get",
    "banks_list",
    "essays_to_grade",
    "exam_eligibility_problems",
    "exam_get",
    "exam_offers_for_trainee",
    "item_analysis",
    "practical_drafts_count",
    "practical_evidence_for_viewer",
    "practical_page_get",
    "practical_sheet_get",
    "practical_summary_get",
    "practical_workplace",
    "practicals_for_assessor",
    "report_facts",
    "rubrics_active",
    "skill_results_for",
]
