"""The lesson page: what it shows beyond its fields, its visit record, its POST.

A lesson view is the request trainees make most, so it is built from three parts of
known cost:
- what is the same for everyone: the course's outline (`selectors.structure`, kept
  per process) and the lesson's body rendered once per published revision and
  language (`body_parts`, kept in the shared cache) — every block but the knowledge
  checks, which show the trainee's own try;
- what is the trainee's: `LessonState`, read once (enrolment, the course's lesson
  progress, this lesson's check results and video positions);
- the visit, written only when it changes something (`services.visits`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courses import services
from courses.data import CourseOutline, LessonOutline, ModuleOutline
from courses.models import LessonPage
from courses.selectors.checks import check_view_build
from courses.selectors.lesson_state import LessonState, lesson_state_get
from courses.selectors.structure import (
    CourseStructure,
    course_of_lesson_get,
    course_structure_get,
)
from courses.services.visits import lesson_open_seen, lesson_visit_recorded_until
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import ServiceError
from lms.kernel.generations import generation_get
from lms.kernel.page_cache import GENERATION, VERSION_KEY
from lms.kernel.personal_pages import personal_page_keep

BODY_SECONDS = 24 * 3600
_VISIT = "_maharat_lesson_visit"


def outline_with(structure: CourseStructure, state: LessonState) -> CourseOutline:
    """The course's outline with the trainee's marks (no query)."""
    progress = state.progress
    modules = tuple(
        ModuleOutline(
            id=module.id,
            title=module.title,
            lessons=tuple(
                LessonOutline(
                    id=node.id,
                    title=node.title,
                    url=node.url,
                    required=node.required,
                    estimated_minutes=node.estimated_minutes,
                    completed=node.id in progress
                    and progress[node.id].completed_at is not None,
                    opened=node.id in progress,
                )
                for node in module.lessons
            ),
        )
        for module in structure.modules
    )
    flat = [lesson for module in modules for lesson in module.lessons]
    required = [lesson for lesson in flat if lesson.required]
    return CourseOutline(
        course_id=structure.course_id,
        modules=modules,
        lessons_total=len(flat),
        lessons_done=sum(1 for lesson in flat if lesson.completed),
        required_total=len(required),
        required_done=sum(1 for lesson in required if lesson.completed),
        live_minutes=0,  # not on the lesson page (the course page reads it)
    )


def body_parts(
    page: LessonPage, request: HttpRequest, state: LessonState
) -> list[tuple[SafeString | None, Any, Any]]:
    """(html, None, None) for each block as everyone sees it, (None, block, check)
    for each knowledge check (rendered by the template with the trainee's try)."""
    key = (
        f"lesson-body:{generation_get(GENERATION)}:{page.pk}:{page.live_revision_id}"
        f":{get_language()}"
    )
    found = cache.get_many([VERSION_KEY, key])  # one round trip for both
    version = found.get(VERSION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        kept = entry[1]
    else:
        kept = []
        context = {"request": request, "page": page}
        for index, block in enumerate(page.body):
            if block.block_type == "knowledge_check":
                kept.append(index)
            else:
                kept.append(str(block.render(context=context)))
        cache.set(key, (version, kept), BODY_SECONDS)
    parts: list[tuple[SafeString | None, Any, Any]] = []
    signed_in = request.user.is_authenticated
    for item in kept:
        if isinstance(item, int):
            block = page.body[item]  # converts only the checks' blocks
            check = check_view_build(
                value=block.value,
                user_id=request.user.pk if signed_in else 0,
                lesson_id=page.pk,
                block_id=block.id,
                result=state.checks.get(block.id),
            )
            parts.append((None, block, check))
        else:
            parts.append((mark_safe(item), None, None))  # noqa: S308 (our render)
    return parts


def lesson_context(page: LessonPage, request: HttpRequest) -> dict[str, Any]:
    """Everything the lesson page shows, in a fixed number of queries."""
    user = request.user
    course = course_of_lesson_get(lesson=page)
    structure = course_structure_get(course_id=course.pk) if course else None
    if course is None or structure is None:
        return {"body_parts": body_parts(page, request, LessonState(enrollment=None))}
    page.__dict__["course"] = course  # LessonPage.course, without its query
    state = lesson_state_get(
        user=user,
        lesson_id=page.pk,
        course_id=course.pk,
        has_checks=bool(page.knowledge_check_ids()),
        has_videos=bool(page.video_asset_ids()),
    )
    if getattr(request, _VISIT, False):
        lesson_open_seen(user=user, lesson=page, course=course, state=state)
        until = lesson_visit_recorded_until(lesson=page, state=state)
        # the same page until then (lms.kernel.personal_pages); never one under a
        # view restriction (a password passed is this session's, not the user's)
        if until is not None and getattr(page, "_maharat_unrestricted", False):
            personal_page_keep(request, until=until.timestamp())
    outline = outline_with(structure, state)
    flat = outline.flat()
    index = next((i for i, x in enumerate(flat) if x.id == page.pk), None)
    previous = flat[index - 1] if index else None
    following = flat[index + 1] if index is not None and index + 1 < len(flat) else None
    enrolled = state.enrolled
    return {
        "course": course,
        "outline": outline,
        "previous_lesson": previous,
        "next_lesson": following,
        "lesson_number": (index or 0) + 1,
        "enrolled": enrolled,
        "passed_checks": state.passed_check_ids() if enrolled else frozenset(),
        "video_positions": state.video_positions() if enrolled else {},
        "lesson_done": enrolled and any(x.completed for x in flat if x.id == page.pk),
        "body_parts": body_parts(page, request, state),
    }


def lesson_serve(page: LessonPage, request: HttpRequest) -> HttpResponse | None:
    """A knowledge check answered without JavaScript; otherwise let Wagtail serve
    the page, recording an enrolled trainee's visit on the way (`lesson_context`)."""
    if request.method == "POST" and "check" in request.POST:
        return lesson_check_post(request, lesson=page)
    saving = "X-Offline-Save" in request.headers  # stored for later, not read now
    if (
        request.user.is_authenticated
        and not saving
        and not getattr(request, "is_preview", False)
    ):
        setattr(request, _VISIT, True)
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
