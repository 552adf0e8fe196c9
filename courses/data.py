"""Plain data courses hands to other apps and to its own HTTP layer.

Frozen dataclasses only: they import nothing from the app and never touch the
database, so a template, an API view or another app can hold them without reaching
back into courses' models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# --- Courses and enrolments (the contract other apps use) ----------------------------


@dataclass(frozen=True)
class CourseData:
    id: int
    title: str
    url: str
    occupation_code: str
    level_code: str
    instructor_ids: tuple[int, ...]


@dataclass(frozen=True)
class EnrollmentData:
    user_id: int
    course_id: int
    status: str  # Enrollment.Status: active, completed, left
    enrolled_at: dt.datetime
    last_lesson_id: int | None


@dataclass(frozen=True)
class CourseSection:
    """A section an app above courses adds to the course page (`sections.py`)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


# --- Outline and progress ---------------------------------------------------------


@dataclass(frozen=True)
class LessonOutline:
    id: int
    title: str
    url: str
    required: bool
    estimated_minutes: int
    completed: bool
    opened: bool


@dataclass(frozen=True)
class ModuleOutline:
    id: int
    title: str
    lessons: tuple[LessonOutline, ...]


@dataclass(frozen=True)
class CourseOutline:
    course_id: int
    modules: tuple[ModuleOutline, ...]
    lessons_total: int
    lessons_done: int
    required_total: int
    required_done: int
    live_minutes: int

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 0
        return round(100 * self.required_done / self.required_total)

    def flat(self) -> list[LessonOutline]:
        return [lesson for module in self.modules for lesson in module.lessons]


@dataclass(frozen=True)
class ChangedLesson:
    """A required lesson not done by a trainee who completed the course: `new` when
    it was published after the completion (else it was made required since)."""

    title: str
    url: str
    new: bool


@dataclass(frozen=True)
class LessonProgressData:
    """What one trainee did in one lesson: checks passed, where each video stopped."""

    passed_check_ids: frozenset[str]
    video_positions: dict[int, int]  # asset id → last position (s)


@dataclass(frozen=True)
class MyCourseData:
    """A row of the dashboard's "my courses"."""

    course_id: int
    title: str
    url: str
    status: str
    percent: int
    continue_url: str


@dataclass(frozen=True)
class CohortRowData:
    """One enrolled trainee in an instructor's cohort table."""

    user_id: int
    display_name: str
    phone: str
    enrolled_at: dt.datetime
    lessons_done: int
    lessons_total: int
    percent: int
    live_minutes: int
    completed_at: dt.datetime | None


# --- Catalog and search -----------------------------------------------------------


@dataclass(frozen=True)
class CatalogPageData:
    title: str
    intro: str


@dataclass(frozen=True)
class CourseCardData:
    id: int
    title: str
    url: str
    summary: str
    level_name: str
    estimated_hours: int
    audience: str
    audience_label: str
    illustration: str = ""  # static path (courses.illustrations)


@dataclass(frozen=True)
class Option:
    """A value a filter offers, with its label."""

    value: str
    label: str


@dataclass(frozen=True)
class CatalogData:
    courses: tuple[CourseCardData, ...]
    trades: tuple[Option, ...]
    levels: tuple[Option, ...]
    audiences: tuple[Option, ...]
    selected: dict[str, str]  # trade, level, audience ("" when not filtered)


@dataclass(frozen=True)
class SearchHitData:
    title: str
    url: str
    kind: str  # the page type's name ("course", "lesson"), translated


# --- Writes: what a progress report came to ---------------------------------------


@dataclass(frozen=True)
class HeartbeatResult:
    accepted: bool
    watched_s: int
    detail: str = ""


@dataclass(frozen=True)
class QuestionResult:
    """One question of a scored try. `correct` is None and `feedback` empty while
    the check's policy does not say which answers were right."""

    index: int
    correct: bool | None
    explanation: str
    feedback: tuple[str, ...] = ()  # the author's feedback on the chosen choices
    hints: tuple[str, ...] = ()  # the hints earned so far, for the next try


@dataclass(frozen=True)
class CheckScore:
    score_pct: int
    results: tuple[QuestionResult, ...]


@dataclass(frozen=True)
class CheckChoiceView:
    position: int  # what the page posts: the place in this try's order
    text: str


@dataclass(frozen=True)
class CheckQuestionView:
    index: int
    prompt: str
    kind: str
    choices: tuple[CheckChoiceView, ...]  # in this try's order
    hints: tuple[str, ...]  # one more after each try that did not pass


@dataclass(frozen=True)
class CheckView:
    """A knowledge check as one trainee's current try shows it (never the key)."""

    block_id: str
    attempt: int  # the try this order belongs to: the number of tries made so far
    tries: int
    passed: bool
    reveal_after_tries: int | None  # None: never says which answers were right
    questions: tuple[CheckQuestionView, ...]


@dataclass(frozen=True)
class CheckSubmission:
    score_pct: int | None  # None while the policy hides it (it tells what was right)
    passed: bool
    results: tuple[QuestionResult, ...]
    revealed: bool = True
    tries: int = 0
    next: CheckView | None = None  # the next try: its order and hints


@dataclass(frozen=True)
class EventResult:
    """The outcome of one offline progress event (stored: a replay answers it)."""

    id: str
    accepted: bool
    detail: str
    replayed: bool = False
    code: str = ""  # why it was refused (the service's error code); "" if accepted


# --- Offline ----------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineManifest:
    key: str
    title: str
    page_url: str
    files: dict[str, int]  # URL → size in bytes, in saving order

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "page_url": self.page_url,
            "urls": list(self.files),
            "size_bytes": sum(self.files.values()),
        }
