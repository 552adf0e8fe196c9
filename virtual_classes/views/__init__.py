"""HTML pages of live classes: thin, every rule lives in services/selectors."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courses.selectors import course_list_for_instructor
from lms.kernel.errors import Forbidden, NotFound, ServiceError
from lms.kernel.headers import allow_conference
from lms.kernel.spreadsheets import spreadsheet_cell, spreadsheet_time
from virtual_classes import calendar, selectors, services
from virtual_classes.data import ClassPageData
from virtual_classes.forms import LiveClassForm


def _page(request: HttpRequest, pk: int) -> ClassPageData:
    """The class for this viewer; 404 / 403 with the selector's message."""
    try:
        return selectors.class_page_get(live_class_id=pk, user=request.user)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None


def classroom_strings() -> dict[str, str]:
    """The few strings the classroom script shows, translated on the server."""
    return {
        "connected": _("Connected."),
        "reconnecting": _("Connection lost; reconnecting…"),
        "closed": _("You left the classroom."),
        "vote": _("Vote"),
        "close_poll": _("Close the poll"),
        "votes": _("votes"),
        "remove": _("Remove"),
        "lower": _("Lower"),
        "instructor": _("instructor"),
        "confirm_end": _("End the class for everyone?"),
        "confirm_remove": _("Remove this participant from the class?"),
        "readmit": _("Re-admit"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The classroom page: Jitsi video (when open), chat, hands, polls, presence."""
    page = _page(request, pk)
    response = render(
        request,
        "virtual_classes/live_class_detail.html",
        {
            "page": page,
            "live_class": page.live_class,
            "is_instructor": page.is_instructor,
            "is_open": page.is_open,
            "has_ended": page.has_ended,
            "jitsi_domain": settings.JITSI_DOMAIN,
            "time_zone": settings.TIME_ZONE,  # chat lines' times
            "can_see_attendance": page.may_see_attendance,
            "recordings": page.recordings,
            "classroom_strings": classroom_strings(),
        },
    )
    if page.is_open and not page.has_ended:
        # the one page that loads Jitsi's script and frame, with camera and mic
        allow_conference(response, origin=f"https://{settings.JITSI_DOMAIN}")
    return response


@login_required
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    live_class = _page(request, pk).live_class
    url = request.build_absolute_uri(live_class.url)
    response = HttpResponse(
        calendar.live_class_ics(live_class=live_class, url=url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="class-{pk}.ics"'
    return response


@login_required
def attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rows = selectors.attendance_rows(live_class_id=pk, user=request.user)
        absent = selectors.attendance_absentees(live_class_id=pk, user=request.user)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Arabic names only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("name"),
            _("username"),
            _("role"),
            _("attended"),
            _("first joined (Cairo time)"),
            _("last left (Cairo time)"),
            _("minutes"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                spreadsheet_cell(row.name),
                spreadsheet_cell(row.username),
                _("instructor") if row.instructor else _("trainee"),
                _("yes"),
                spreadsheet_time(row.first_joined_at),
                spreadsheet_time(row.last_left_at),
                row.minutes,
            ]
        )
    for person in absent:  # enrolled, never joined
        writer.writerow(
            [
                spreadsheet_cell(person.name),
                spreadsheet_cell(person.username),
                _("trainee"),
                _("no"),
                "",
                "",
                0,
            ]
        )
    return response


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Instructors schedule a class for a course they teach."""
    if not selectors.may_schedule(user=request.user):
        raise PermissionDenied(_("Only instructors can schedule live classes."))
    courses = course_list_for_instructor(user=request.user)
    form = LiveClassForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course_id = data.pop("course")
        try:
            live_class = services.live_class_create(
                user=request.user, course_id=course_id, **data
            )
        except ServiceError as error:
            if error.fields:
                for name, problems in error.fields.items():
                    name = {"course_id": "course"}.get(name, name)
                    field = name if name in form.fields else None
                    for problem in problems:
                        form.add_error(field, problem)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The class is scheduled."))
            return redirect(live_class.url)
    return render(request, "virtual_classes/schedule.html", {"form": form})
