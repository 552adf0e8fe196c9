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


# --- question banks -------------------------------------------------------------------
@dataclass(frozen=True)
class BankData:
    id: int
    slug: str
    title: str
    occupation: OccupationRef
    skill_level: LevelRef


@dataclass(frozen=True)
class QuestionData:
    id: int
    bank_id: int
    topic: str
    kind: str
    difficulty: str
    name: str
    version_id: int
    version_number: int


@dataclass(frozen=True)
class ImportReport:
    """What an import did; `skipped` and `errors` hold (position, reason)."""

    created: int = 0
    unchanged: int = 0
    skipped: tuple[tuple[int, str], ...] = ()
    errors: tuple[tuple[int, str], ...] = ()
    changed: int = 0  # a new version of a question matched by category and name


@dataclass(frozen=True)
class DistractorStats:
    """One option of a question: how many examinees chose it, overall and in the
    upper and lower groups (the top and bottom 27 % by total score)."""

    option_id: str
    text: str
    correct: bool  # the option earns marks
    chosen: int
    upper: int
    lower: int

    @property
    def unused(self) -> bool:
        """A wrong option nobody chose does no work as a distractor."""
        return not self.correct and self.chosen == 0

    @property
    def misleads_strong(self) -> bool:
        """A wrong option the strong choose more than the weak: ambiguous or a
        second right answer."""
        return not self.correct and self.upper > self.lower


@dataclass(frozen=True)
class ItemStats:
    """One question's statistics over graded attempts (`selectors.analysis`)."""

    question_id: int
    name: str
    kind: str
    topic: str
    difficulty: str
    taken: int
    facility: float | None
    discrimination: float | None  # Moodle's discrimination index (see analysis)
    difficulty_label: str = ""  # the author's difficulty, in the reader's language
    facility_label: Any = ""  # the measured difficulty (lazy: the reader's language)
    upper_lower_index: float | None = None  # upper − lower group facility
    group_size: int = 0  # examinees in each of the upper and lower groups
    distractors: tuple[DistractorStats, ...] = ()

    @property
    def flagged(self) -> bool:
        """Worth a look: almost nobody or everybody right, it does not separate, or
        a distractor draws the strong examinees."""
        if self.taken < 5 or self.facility is None:
            return False
        weak = self.discrimination is not None and self.discrimination < 0.2
        misleading = any(d.misleads_strong for d in self.distractors)
        return self.facility < 0.2 or self.facility > 0.95 or weak or misleading


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


# --- question import with a preview (issue #17) ---------------------------------------
@dataclass(frozen=True)
class ImportPlanEntry:
    """What importing one question of a file will do: `action` is create, change
    (a new version of `question_id`), unchanged, refused or skipped."""

    position: int
    action: str
    name: str
    topic: str
    kind: str
    reason: str = ""
    question_id: int | None = None


@dataclass(frozen=True)
class ImportPreview:
    """A staged import file and its plan; `fingerprint` names the plan and the bank's
    state, so the confirmation commits exactly what was shown."""

    token: str
    bank_id: int
    file_name: str
    fingerprint: str
    entries: tuple[ImportPlanEntry, ...]

    def count(self, action: str) -> int:
        return sum(1 for entry in self.entries if entry.action == action)


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


# --- the bank in the web (content team) -----------------------------------------------
@dataclass(frozen=True)
class CategoryNode:
    """One level of a bank's category tree; `topic_id` is None for a level only
    implied by a subcategory's path. Counts: own questions, and with the subtree."""

    name: str
    path: str
    depth: int
    topic_id: int | None
    own_count: int
    total_count: int
    children: tuple[CategoryNode, ...]


@dataclass(frozen=True)
class CategoryData:
    id: int
    path: str
    label: str


@dataclass(frozen=True)
class QuestionRow:
    """A question in the bank's list: its latest text and where it stands."""

    id: int
    kind: str
    kind_label: str
    category: str
    difficulty: str
    difficulty_label: str
    name: str
    text: str
    is_active: bool
    published_number: int | None
    latest_number: int
    has_draft: bool
    in_review: bool


@dataclass(frozen=True)
class QuestionPage:
    rows: tuple[QuestionRow, ...]
    total: int
    page: int
    pages: int
    counts: tuple[tuple[str, Any, int], ...]


@dataclass(frozen=True)
class VersionData:
    id: int
    number: int
    stem: str
    stem_images: tuple[str, ...]
    stem_image_alts: tuple[str, ...]
    data: dict[str, Any]
    explanation: str
    points: Decimal
    topic_id: int | None
    difficulty: str
    name: str
    is_draft: bool
    is_current: bool
    created_at: dt.datetime
    created_by: str
    review_requested_at: dt.datetime | None
    published_at: dt.datetime | None
    published_by: str


@dataclass(frozen=True)
class QuestionEditData:
    """A question for its editor: the question and every version, newest first."""

    id: int
    bank_id: int
    kind: str
    kind_label: str
    topic_id: int
    difficulty: str
    name: str
    is_active: bool
    versions: tuple[VersionData, ...]

    @property
    def latest(self) -> VersionData:
        return self.versions[0]

    @property
    def current(self) -> VersionData | None:
        return next((v for v in self.versions if v.is_current), None)


@dataclass(frozen=True)
class DraftSaved:
    question_id: int
    version_id: int
    version_number: int
    is_draft: bool
