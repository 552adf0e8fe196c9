"""Skill tests: banks of versioned questions, blueprints, attempts with snapshots,
practical rubrics and the per-occupation policy that turns results into a level.

One module per section; every model is importable from here (`assessments.models`).
"""

from assessments.models.exams import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    BlueprintRule,
    ExamBlueprint,
    credited_course_field,
    deadline_grace,
)
from assessments.models.practical import (
    PerformanceLevel,
    PracticalAssessment,
    PracticalCorrection,
    PracticalEvidence,
    PracticalScore,
    PracticalStatus,
    Rubric,
    RubricCriterion,
)
from assessments.models.questions import (
    PERCENT,
    Difficulty,
    Question,
    QuestionBank,
    QuestionImage,
    QuestionVersion,
    Topic,
)
from assessments.models.results import LevelPolicy, SkillResult

__all__ = [
    "PERCENT",
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "BlueprintRule",
    "Difficulty",
    "ExamBlueprint",
    "LevelPolicy",
    "PerformanceLevel",
    "PracticalAssessment",
    "PracticalCorrection",
    "PracticalEvidence",
    "PracticalScore",
    "PracticalStatus",
    "Question",
    "QuestionBank",
    "QuestionImage",
    "QuestionVersion",
    "Rubric",
    "RubricCriterion",
    "SkillResult",
    "Topic",
    "credited_course_field",
    "deadline_grace",
]
