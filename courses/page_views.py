"""What the course pages show beyond their own fields, and the lesson page's POST.

The page models (`courses.models`) import nothing above them: this module imports
them and the app's selectors and services, and `register()` (called from
`CoursesConfig.ready`) tells `courses.models.rendering` which function builds each
page type's context. Like the views, it reads through selectors and writes through
services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from courses import lesson_page, selectors
from courses.data import ChangedLesson, CourseOutline, EnrollmentData
from courses.illustrations import course_illustration
from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, rendering
from courses.sections import course_sections_for
from courses.selectors.courses import (
    enrollment_and_completion_get,
    remember_enrollment,
)
from courses.selectors.structure import CourseStructure, course_structure_get


def register() -> None:
    rendering.register(CatalogPage, context=catalog_context)
    rendering.register(CoursePage, context=course_context)
    rendering.register(ModulePage, context=module_context)
    rendering.register(
        LessonPage, context=lesson_page.lesson_context, serve=lesson_page.lesson_serve
    )


def catalog_context(page: CatalogPage, request: HttpRequest) -> dict[str, Any]:
    return {"catalog": selectors.catalog_filter(params=request.GET)}


def _continue_url(outline: CourseOutline, enrollment: EnrollmentData | None) -> str:
    """The lesson last opened if unfinished, else the first unfinished one."""
    if enrollment is None:
        return ""
    flat = outline.flat()
    last = next((x for x in flat if x.id == enrollment.last_lesson_id), None)
    todo = next((x for x in flat if not x.completed), None)
    target = last if last and not last.completed else todo or last
    return target.url if target else ""


def _changed_since(
    outline: CourseOutline,
    structure: CourseStructure | None,
    completed_at: dt.datetime | None,
) -> list[ChangedLesson]:
    """The required lessons a trainee who completed the course has not done: those
    published after the completion (new) and those made required since."""
    if completed_at is None or structure is None:
        return []
    published = {
        node.id: node.published_at for m in structure.modules for node in m.lessons
    }
    return [
        ChangedLesson(
            title=lesson.title,
            url=lesson.url,
            new=(published.get(lesson.id) or completed_at) > completed_at,
        )
        for lesson in outline.flat()
        if lesson.required and not lesson.completed
    ]


def course_context(page: CoursePage, request: HttpRequest) -> dict[str, Any]:
    user = request.user
    outline = selectors.course_outline_get(course_id=page.pk, user=user)
    structure = course_structure_get(course_id=page.pk)
    enrollment, completed_at = enrollment_and_completion_get(
        user=user, course_id=page.pk
    )
    remember_enrollment(
        user=user,
        course_id=page.pk,
        enrolled=enrollment is not None,
        completed_at=completed_at,
    )
    trade_code = structure.trade_code if structure else ""
    return {
        "illustration": course_illustration(trade_code, page.slug),
        "changed_since_completion": _changed_since(outline, structure, completed_at),
        "outline": outline,
        "enrollment": enrollment,
        "completed_at": completed_at,
        "continue_url": _continue_url(outline, enrollment),
        "instructors": structure.instructors if structure else (),
        "sections": course_sections_for(request=request, course_id=page.pk),
    }


def module_context(page: ModulePage, request: HttpRequest) -> dict[str, Any]:
    course = page.get_parent()  # a module's parent is its course (parent_page_types)
    enrolled = course is not None and selectors.enrollment_exists(
        user=request.user, course_id=course.pk
    )
    return {"enrolled": enrolled}
