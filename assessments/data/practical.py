"""Plain data of practical tests: the assessor's sheet, the summary, corrections
and the workplace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from assessments.data import LevelRef, OccupationRef


# --- practical tests ------------------------------------------------------------------
@dataclass(frozen=True)
class RubricData:
    id: int
    title: str
    occupation: OccupationRef
    skill_level: LevelRef


@dataclass(frozen=True)
class PracticalData:
    """A practical test (a `PracticalAssessment`) as its assessor sees it."""

    id: int
    rubric_id: int
    rubric_title: str
    trainee_id: int
    trainee_name: str
    assessor_id: int
    status: str
    status_label: str
    percent: Decimal | None
    comments: str
    course_id: int | None
    submitted_at: dt.datetime | None
    scheduled_on: dt.date | None = None
    assessor_name: str = ""
    scored_count: int = 0
    criteria_count: int = 0
    corrections_count: int = 0

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class LevelOption:
    """A performance level, with what performance at that level looks like."""

    id: int
    label: str
    descriptor: str = ""
    fraction: Decimal = Decimal(0)


@dataclass(frozen=True)
class CriterionSheet:
    """One criterion of the assessor's form, with the level chosen so far."""

    id: int
    title: str
    weight: int
    levels: tuple[LevelOption, ...]
    chosen_level_id: int | None
    comment: str


@dataclass(frozen=True)
class EvidenceData:
    id: int
    assessment_id: int
    caption: str
    file_name: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class PracticalSheet:
    """Everything the assessor's tablet form shows."""

    practical: PracticalData
    criteria: tuple[CriterionSheet, ...]
    evidence: tuple[EvidenceData, ...]


@dataclass(frozen=True)
class PracticalWorkplace:
    """The assessor's practical tests, by what is left to do: today's and coming
    tests not started, drafts in progress (started, or their day passed), scored."""

    today: dt.date
    coming: tuple[PracticalData, ...]
    drafts: tuple[PracticalData, ...]
    scored: tuple[PracticalData, ...]


@dataclass(frozen=True)
class SummaryRow:
    """One criterion of the summary: the level given and the points it earns."""

    criterion_id: int
    title: str
    weight: int
    level_label: str
    descriptor: str
    fraction: Decimal
    points: Decimal
    comment: str


@dataclass(frozen=True)
class PracticalSummary:
    """What the assessor confirms (or a second assessor reviews): each criterion's
    level, the total, the skill level it leads to and the photos. `token` names this
    exact set of levels: a confirmation carrying another token is refused."""

    practical: PracticalData
    rows: tuple[SummaryRow, ...]
    missing: tuple[str, ...]
    percent: Decimal | None
    skill_level: LevelRef
    occupation: OccupationRef
    practical_min_percent: Decimal
    evidence: tuple[EvidenceData, ...]
    token: str

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def meets_minimum(self) -> bool:
        return self.percent is not None and self.percent >= self.practical_min_percent


@dataclass(frozen=True)
class CorrectionChange:
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class CorrectionData:
    """One audited change of a submitted score: who, when, before → after, why."""

    id: int
    corrected_by_name: str
    corrected_at: dt.datetime
    reason: str
    percent_before: Decimal
    percent_after: Decimal
    changes: tuple[CorrectionChange, ...]


@dataclass(frozen=True)
class PracticalPage:
    """A submitted test's page: its summary, the corrections made, and (for another
    assessor or staff) the form to correct it."""

    summary: PracticalSummary
    corrections: tuple[CorrectionData, ...]
    criteria: tuple[CriterionSheet, ...]
    can_correct: bool
