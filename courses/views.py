"""Pages outside the tree: catalog, search, enrol/leave, instructor cohorts."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.models import CatalogPage, CoursePage
from courses.search import search_pages
from lms.accounts.roles import Role, user_has_role


def catalog(request):
    """The catalog at a stable URL (`courses:catalog`), filterable by query string."""
    page = CatalogPage.objects.live().public().first()
    context = {"page": page, **selectors.catalog_filter(params=request.GET)}
    return render(request, "courses/catalog_page.html", context)


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_pages(query=query) if query else []
    return render(request, "courses/search.html", {"query": query, "results": results})


def _live_course(course_id: int) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


@login_required
@require_POST
def enrol(request, course_id: int):
    course = _live_course(course_id)
    try:
        services.enrollment_create(user=request.user, course_id=course.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.url)


@login_required
@require_POST
def leave(request, course_id: int):
    course = _live_course(course_id)
    try:
        services.enrollment_leave(user=request.user, course_id=course.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You left the course. Your progress is kept."))
    return redirect(course.url)


def lesson_check_post(request, *, lesson):
    """No-JavaScript answer to a knowledge check: score, then re-render the lesson."""
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={lesson.url}")
    block_id = request.POST.get("check", "")
    value = lesson.knowledge_check_value(block_id)
    answers = {}
    if value is not None:
        for index in range(len(value["questions"])):
            picked = request.POST.getlist(f"q{index}")
            try:
                answers[index] = sorted({int(x) for x in picked})
            except ValueError:
                answers[index] = []
    feedback = None
    try:
        submission = services.knowledge_check_submit(
            user=request.user, lesson_id=lesson.pk, block_id=block_id, answers=answers
        )
        feedback = {"block_id": block_id, "submission": submission}
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    context = lesson.get_context(request)
    context["feedback"] = feedback
    return TemplateResponse(request, lesson.get_template(request), context)


def _login_url() -> str:
    from django.conf import settings
    from django.urls import reverse

    return reverse(settings.LOGIN_URL)


def _course_for_cohort(request, course_id: int) -> CoursePage:
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    is_instructor = course.instructors.filter(pk=request.user.pk).exists()
    if not (is_instructor or user_has_role(request.user, Role.MINISTRY_STAFF)):
        raise PermissionDenied
    return course


@login_required
def instructor_courses(request):
    if not (
        user_has_role(request.user, Role.INSTRUCTOR)
        or user_has_role(request.user, Role.MINISTRY_STAFF)
    ):
        raise PermissionDenied
    courses = selectors.course_list_for_instructor(user=request.user)
    return render(request, "courses/instructor_courses.html", {"courses": courses})


@login_required
def cohort(request, course_id: int):
    """The instructor's cohort progress table for one course."""
    course = _course_for_cohort(request, course_id)
    rows = selectors.cohort_progress(course=course)
    return render(request, "courses/cohort.html", {"course": course, "rows": rows})


@login_required
def cohort_csv(request, course_id: int):
    course = _course_for_cohort(request, course_id)
    rows = selectors.cohort_progress(course=course)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{course.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Arabic names
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Trainee"),
            _("Mobile"),
            _("Enrolled on"),
            _("Required lessons done"),
            _("Required lessons"),
            _("Progress (%)"),
            _("Live-class minutes"),
            _("Completed on"),
        ]
    )
    for row in rows:
        user = row["user"]
        writer.writerow(
            [
                _safe_cell(user.display_name),
                _safe_cell(user.phone or ""),
                row["enrolled_at"].date().isoformat(),
                row["lessons_done"],
                row["lessons_total"],
                row["percent"],
                row["live_minutes"],
                row["completed_at"].date().isoformat() if row["completed_at"] else "",
            ]
        )
    return response


def _safe_cell(value: str) -> str:
    """Stop spreadsheet formula injection from user-typed names."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
