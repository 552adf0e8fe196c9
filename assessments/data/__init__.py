"""Plain data assessments hands to its pages, its API and other apps.

Frozen dataclasses built by `assessments.selectors` (and returned by the services);
nothing here imports the app or touches the database. Names that depend on the
language (an occupation's title, a level's name) carry both and pick on read, like the
registry's models do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language


# --- what tests are set for -----------------------------------------------------------
@dataclass(frozen=True)
class OccupationRef:
    code: str
    title_ar: str
    title_en: str

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_ar


@dataclass(frozen=True)
class LevelRef:
    code: str
    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ar


# --- exams and attempts ---------------------------------------------------------------
@dataclass(frozen=True)
class ExamData:
    """A theory exam (an `ExamBlueprint`): how it is drawn, timed and passed."""

    id: int
    slug: str
    title: str
    occupation: OccupationRef
    skill_level: LevelRef
    time_limit_s: int
    pass_mark_percent: Decimal
    attempts_allowed: int
    question_count: int
    is_active: bool

    @property
    def time_limit_min(self) -> int:
        return self.time_limit_s // 60


@dataclass(frozen=True)
class EligibilityProblem:
    """Why a trainee may not start an exam now: `code` for clients, `message` for
    people."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ExamOffer:
    """An open exam as one trainee sees it in the list."""

    exam: ExamData
    open_attempt_id: int | None
    problems: tuple[EligibilityProblem, ...]


@dataclass(frozen=True)
class AttemptData:
    id: int
    user_id: int
    blueprint_id: int
    exam_slug: str
    exam_title: str
    number: int
    status: str
    started_at: dt.datetime
    deadline_at: dt.datetime
    submitted_at: dt.datetime | None
    auto_submitted: bool
    score: Decimal | None
    max_score: Decimal
    percent: Decimal | None
    passed: bool | None
    course_id: int | None

    @property
    def is_open(self) -> bool:
        return self.status == "in_progress"


@dataclass(frozen=True)
class AttemptItemPublic:
    """One question as the browser sees it: text, choices, the trainee's answer."""

    position: int
    kind: str
    stem: str
    stem_image_urls: tuple[str, ...]
    stem_image_alts: tuple[str, ...]
    choices: dict[str, Any]
    points: str
    response: Any
    seq: int

    @property
    def stem_pictures(self) -> tuple[tuple[str, str], ...]:
        """(URL, alt text) of each stem image, for the page."""
        return tuple(zip(self.stem_image_urls, self.stem_image_alts, strict=True))

    @property
    def answered(self) -> bool:
        return self.response not in (None, "", [], {})


@dataclass(frozen=True)
class AttemptPublic:
    """An open attempt as the trainee sees it: never a key, never an explanation."""

    id: int
    exam_title: str
    status: str
    started_at: str
    deadline_at: str
    remaining_s: int
    items: tuple[AttemptItemPublic, ...]

    def item(self, position: int) -> AttemptItemPublic | None:
        return next((i for i in self.items if i.position == position), None)


@dataclass(frozen=True)
class AnswerSaved:
    position: int
    seq: int
    applied: bool


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: Decimal
    max_score: Decimal

    @property
    def percent(self) -> Decimal:
        if not self.max_score:
            return Decimal(0)
        return (self.score * 100 / self.max_score).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ReviewItem:
    """One question of a submitted attempt, for the trainee's review: their answer,
    its marks, the author's feedback for it, the hints and the explanation."""

    position: int
    stem: str
    response_text: str
    points: Decimal
    score: Decimal | None  # None: waiting for a person to grade it
    full_marks: bool
    feedback: tuple[str, ...]
    hints: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class AttemptResult:
    """A submitted attempt's outcome, by topic, and its review."""

    id: int
    exam_title: str
    status: str
    score: Decimal | None
    max_score: Decimal
    percent: Decimal | None
    passed: bool | None
    auto_submitted: bool
    topics: tuple[TopicScore, ...]
    review: tuple[ReviewItem, ...] = ()


@dataclass(frozen=True)
class GradingItem:
    """An essay answer waiting for a person; the examinee is not named (blind)."""

    id: int
    exam_title: str
    position: int
    stem: str
    grader_info: str
    response: str


# --- results --------------------------------------------------------------------------
@dataclass(frozen=True)
class SkillResultData:
    id: int
    user_id: int
    occupation: OccupationRef
    skill_level: LevelRef
    attempt_id: int
    practical_id: int | None
    combined_percent: Decimal
    passed: bool
    certificate_id: int | None
    created_at: dt.datetime


# The other parts live in this package; `assessments.data` names them all.
from assessments.data.admissions import PartProgress  # noqa: E402
from assessments.data.banks import (  # noqa: E402
    BankData,
    CategoryData,
    CategoryNode,
    DistractorStats,
    DraftSaved,
    ImportPlanEntry,
    ImportPreview,
    ImportReport,
    ItemStats,
    QuestionData,
    QuestionEditData,
    QuestionPage,
    QuestionRow,
    VersionData,
)
from assessments.data.practical import (  # noqa: E402
    CorrectionChange,
    CorrectionData,
    CriterionSheet,
    EvidenceData,
    LevelOption,
    PracticalData,
    PracticalPage,
    PracticalSheet,
    PracticalSummary,
    PracticalWorkplace,
    RubricData,
    SummaryRow,
)

__all__ = [
    "PartProgress",
    "OccupationRef",
    "LevelRef",
    "ExamData",
    "EligibilityProblem",
    "ExamOffer",
    "AttemptData",
    "AttemptItemPublic",
    "AttemptPublic",
    "AnswerSaved",
    "TopicScore",
    "ReviewItem",
    "AttemptResult",
    "GradingItem",
    "SkillResultData",
    "BankData",
    "QuestionData",
    "ImportReport",
    "DistractorStats",
    "ItemStats",
    "ImportPlanEntry",
    "ImportPreview",
    "CategoryNode",
    "CategoryData",
    "QuestionRow",
    "QuestionPage",
    "VersionData",
    "QuestionEditData",
    "DraftSaved",
    "RubricData",
    "PracticalData",
    "LevelOption",
    "CriterionSheet",
    "EvidenceData",
    "PracticalSheet",
    "PracticalWorkplace",
    "SummaryRow",
    "PracticalSummary",
    "CorrectionChange",
    "CorrectionData",
    "PracticalPage",
]
