"""A course's modules and lessons as kept data: the same for every trainee.

The outline on the course and lesson pages, the lesson's "n of N" and its previous
and next links all come from the tree below a course, which changes when an editor
publishes. Each process keeps it per course (and at most KEEP_SECONDS) under the
"pages" cache generation
(lms.kernel.page_cache bumps it on publish, unpublish, move and delete): building it
costs five queries (course, trade, modules, lessons, instructors), reading it none.
The trainee's own progress is laid over it by `courses.selectors.progress`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.utils.translation import get_language

from courses.models import CoursePage, LessonPage, ModulePage, TradePage
from lms.kernel.page_cache import kept_version

MAX_COURSES = 2_000
# What a course shows of other records (its instructors' names) is read again at
# least this often, publish or not.
KEEP_SECONDS = 600


@dataclass(frozen=True)
class LessonNode:
    id: int
    title: str
    url: str
    required: bool
    estimated_minutes: int
    published_at: dt.datetime | None = None  # first published (what is new)


@dataclass(frozen=True)
class InstructorNode:
    id: int
    display_name: str


@dataclass(frozen=True)
class ModuleNode:
    id: int
    title: str
    lessons: tuple[LessonNode, ...]


@dataclass(frozen=True)
class CourseStructure:
    course_id: int
    path: str
    url: str
    min_live_minutes: int
    modules: tuple[ModuleNode, ...]
    instructors: tuple[InstructorNode, ...] = ()
    trade_code: str = ""  # the trade page's code (the course's picture)
    title: str = ""

    def lesson_ids(self) -> list[int]:
        return [lesson.id for module in self.modules for lesson in module.lessons]

    def required_ids(self) -> set[int]:
        return {
            lesson.id
            for module in self.modules
            for lesson in module.lessons
            if lesson.required
        }


_lock = threading.Lock()
_kept: dict[tuple[tuple[int, ...], int, str], CourseStructure | None] = {}
_courses: dict[tuple[tuple[int, int], str], CoursePage | None] = {}


def course_of_lesson_get(*, lesson: LessonPage) -> CoursePage | None:
    """The course a lesson belongs to (lesson → module → course), kept per process
    like the structure: read, never changed, by the pages that ask."""
    path = lesson.path[: -2 * LessonPage.steplen]
    key = (kept_version(), path)
    if key in _courses:
        return _courses[key]
    course = CoursePage.objects.filter(path=path).first()
    with _lock:
        if len(_courses) >= MAX_COURSES or any(k[0] != key[0] for k in _courses):
            _courses.clear()
        _courses[key] = course
    return course


def course_structure_get(*, course_id: int) -> CourseStructure | None:
    """The published modules and lessons of a course in tree order (None: no such
    course)."""
    # the lessons' addresses are in the active language (lms.kernel.i18n)
    key = (
        (*kept_version(), int(time.time() // KEEP_SECONDS)),
        course_id,
        get_language(),
    )
    if key in _kept:
        return _kept[key]
    structure = _build(course_id)
    with _lock:
        if len(_kept) >= MAX_COURSES or any(k[0] != key[0] for k in _kept):
            _kept.clear()  # a new generation: the old entries are never read again
        _kept[key] = structure
    return structure


def _build(course_id: int) -> CourseStructure | None:
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return None
    modules = list(
        ModulePage.objects.child_of(course)
        .live()
        .public()
        .order_by("path")
        .only("id", "title", "path")
    )
    lessons = list(
        LessonPage.objects.descendant_of(course)
        .live()
        .public()
        .order_by("path")
        .only(
            "id",
            "title",
            "path",
            "url_path",
            "required",
            "estimated_minutes",
            "first_published_at",
        )
    )
    course_url = course.get_url() or ""
    base = course.url_path
    by_module: dict[str, list[LessonNode]] = {m.path: [] for m in modules}
    for lesson in lessons:
        parent_path = lesson.path[: -LessonPage.steplen]
        if parent_path in by_module:
            by_module[parent_path].append(
                LessonNode(
                    id=lesson.pk,
                    title=lesson.title,
                    url=course_url + lesson.url_path[len(base) :],
                    required=lesson.required,
                    estimated_minutes=lesson.estimated_minutes,
                    published_at=lesson.first_published_at,
                )
            )
    return CourseStructure(
        course_id=course.pk,
        title=course.title,
        path=course.path,
        url=course_url,
        min_live_minutes=course.min_live_minutes,
        trade_code=TradePage.objects.filter(path=course.path[: -CoursePage.steplen])
        .values_list("trade", flat=True)
        .first()
        or "",
        instructors=tuple(
            InstructorNode(id=user.pk, display_name=user.display_name)
            for user in course.instructors.order_by("pk")
        ),
        modules=tuple(
            ModuleNode(id=m.pk, title=m.title, lessons=tuple(by_module[m.path]))
            for m in modules
        ),
    )
