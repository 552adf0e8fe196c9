"""Pages outside the tree: catalog, search, enrol/leave, instructor cohorts.

Thin: each reads through `courses.selectors` or writes through `courses.services`
and shows a refusal's message; who may see a cohort is the selectors' rule.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.data import CourseData
from lms.kernel.errors import Forbidden, NotFound, ServiceError
from lms.kernel.spreadsheets import spreadsheet_cell


def catalog(request: HttpRequest) -> HttpResponse:
    """The catalog at a stable URL (`courses:catalog`), filterable by query string."""
    context = {
        "page": selectors.catalog_page_get(),
        "catalog": selectors.catalog_filter(params=request.GET),
    }
    return render(request, "courses/catalog_page.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_pages(query=query) if query else []
    return render(request, "courses/search.html", {"query": query, "results": results})


def _published_course(course_id: int) -> CourseData:
    try:
        return selectors.course_get(course_id=course_id, published=True)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _published_course(course_id)
    try:
        services.enrollment_create(user=request.user, course_id=course.id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.url)


@login_required
@require_POST
def leave(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _published_course(course_id)
    try:
        services.enrollment_leave(user=request.user, course_id=course.id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You left the course. Your progress is kept."))
    return redirect(course.url)


def _cohort_course(request: HttpRequest, course_id: int) -> CourseData:
    try:
        return selectors.cohort_course_get(user=request.user, course_id=course_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
def instructor_courses(request: HttpRequest) -> HttpResponse:
    try:
        courses = selectors.course_list_taught(user=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "courses/instructor_courses.html", {"courses": courses})


@login_required
def cohort(request: HttpRequest, course_id: int) -> HttpResponse:
    """The instructor's cohort progress table for one course."""
    course = _cohort_course(request, course_id)
    rows = selectors.cohort_progress(course_id=course.id)
    return render(request, "courses/cohort.html", {"course": course, "rows": rows})


@login_required
def cohort_csv(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _cohort_course(request, course_id)
    rows = selectors.cohort_progress(course_id=course.id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{course.id}.csv"'
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
        writer.writerow(
            [
                spreadsheet_cell(row.display_name),
                spreadsheet_cell(row.phone),
                row.enrolled_at.date().isoformat(),
                row.lessons_done,
                row.lessons_total,
                row.percent,
                row.live_minutes,
                row.completed_at.date().isoformat() if row.completed_at else "",
            ]
        )
    return response
