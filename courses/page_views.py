"""What the course pages show beyond their own fields, and the lesson page's POST.

The page models (`courses.models`) import nothing above them: this module imports
them and the app's selectors and services, and `register()` (called from
`CoursesConfig.ready`) tells `courses.models.rendering` which function builds each
page type's context. Like the views, it reads through selectors and writes through
services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from courses import selectors, services
from courses.data import CourseOutline, EnrollmentData
from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, rendering
from courses.sections import course_sections_for
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import ServiceError


def register() -> None:
    rendering.register(CatalogPage, context=catalog_context)
    rendering.register(CoursePage, context=course_context)
    rendering.register(ModulePage, context=module_context)
    rendering.register(LessonPage, context=lesson_context, serve=lesson_serve)


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


def course_context(page: CoursePage, request: HttpRequest) -> dict[str, Any]:
    user = request.user
    outline = selectors.course_outline_get(course_id=page.pk, user=user)
    enrollment = selectors.enrollment_get(user=user, course_id=page.pk)
    completed_at = (
        selectors.course_completed_at(user=user, course_id=page.pk)
        if enrollment
        else None
    )
    return {
        "outline": outline,
        "enrollment": enrollment,
        "completed_at": completed_at,
        "continue_url": _continue_url(outline, enrollment),
        "instructors": list(page.instructors.all()),
        "sections": course_sections_for(request=request, course_id=page.pk),
    }


def module_context(page: ModulePage, request: HttpRequest) -> dict[str, Any]:
    course = page.get_parent()  # a module's parent is its course (parent_page_types)
    enrolled = course is not None and selectors.enrollment_exists(
        user=request.user, course_id=course.pk
    )
    return {"enrolled": enrolled}


def lesson_context(page: LessonPage, request: HttpRequest) -> dict[str, Any]:
    """Everything the lesson page shows, in a fixed number of queries."""
    user = request.user
    checks = selectors.knowledge_check_views(user=user, lesson=page)
    # each block with the check view of the trainee's current try (None if no check)
    body = [(block, checks.get(block.id)) for block in page.body]
    course = page.course
    if course is None:
        return {"body_blocks": body}
    outline = selectors.course_outline_get(course_id=course.pk, user=user)
    flat = outline.flat()
    index = next((i for i, x in enumerate(flat) if x.id == page.pk), None)
    previous = flat[index - 1] if index else None
    following = flat[index + 1] if index is not None and index + 1 < len(flat) else None
    enrolled = selectors.enrollment_exists(user=user, course_id=course.pk)
    progress = (
        selectors.lesson_progress_get(user=user, lesson_id=page.pk)
        if enrolled
        else None
    )
    return {
        "course": course,
        "outline": outline,
        "previous_lesson": previous,
        "next_lesson": following,
        "lesson_number": (index or 0) + 1,
        "enrolled": enrolled,
        "passed_checks": progress.passed_check_ids if progress else frozenset(),
        "video_positions": progress.video_positions if progress else {},
        "lesson_done": enrolled and any(x.completed for x in flat if x.id == page.pk),
        "body_blocks": body,
    }


def lesson_serve(page: LessonPage, request: HttpRequest) -> HttpResponse | None:
    """A knowledge check answered without JavaScript; otherwise record the visit of
    an enrolled trainee and let Wagtail serve the page."""
    if request.method == "POST" and "check" in request.POST:
        return lesson_check_post(request, lesson=page)
    saving = "X-Offline-Save" in request.headers  # stored for later, not read now
    if (
        request.user.is_authenticated
        and not saving
        and not getattr(request, "is_preview", False)
    ):
        services.lesson_open(user=request.user, lesson_id=page.pk)
    return None


def lesson_check_post(request: HttpRequest, *, lesson: LessonPage) -> HttpResponse:
    """No-JavaScript answer to a knowledge check: score, then re-render the lesson."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={lesson.url}")
    block_id = request.POST.get("check", "")
    value = lesson.knowledge_check_value(block_id)
    answers: dict[int, list[int]] = {}
    if value is not None:
        for index in range(len(value["questions"])):
            picked = request.POST.getlist(f"q{index}")
            try:
                answers[index] = sorted({int(x) for x in picked})
            except ValueError:
                answers[index] = []
    raw_attempt = to_western_digits(request.POST.get("attempt", "")).strip()
    feedback = None
    try:
        submission = services.knowledge_check_submit(
            user=request.user,
            lesson_id=lesson.pk,
            block_id=block_id,
            answers=answers,
            # the try the form showed (positions in its order); none: author's order
            attempt=int(raw_attempt) if raw_attempt.isdigit() else None,
        )
        feedback = {"block_id": block_id, "submission": submission}
    except ServiceError as exc:
        messages.error(request, exc.message)
    context = lesson.get_context(request)
    context["feedback"] = feedback
    return TemplateResponse(request, lesson.get_template(request), context)
