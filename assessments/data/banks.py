"""Plain data of question banks: the bank page, the editor, import and item
analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assessments.data import LevelRef, OccupationRef


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
