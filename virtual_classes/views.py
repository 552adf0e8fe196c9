"""HTML pages of live classes: thin, every rule lives in services/selectors."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import course_list_for_instructor
from lms.accounts.roles import Role, user_has_role
from lms.kernel.headers import allow_conference
from virtual_classes import calendar, selectors, services
from virtual_classes.forms import LiveClassForm
from virtual_classes.models import LiveClass
from virtual_classes.services import ParticipantRole


def _class_for(request, pk: int) -> tuple[LiveClass, str]:
    live_class = get_object_or_404(
        LiveClass.objects.select_related("instructor"), pk=pk
    )
    role = services.participant_role(user=request.user, live_class=live_class)
    if role is None:
        raise PermissionDenied(_("Only trainees enrolled in the course can see it."))
    return live_class, role


def can_see_attendance(user, live_class: LiveClass) -> bool:
    return user.id == live_class.instructor_id or user_has_role(
        user, Role.MINISTRY_STAFF
    )


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
    }


@login_required
def detail(request, pk: int):
    """The classroom page: Jitsi video (when open), chat, hands, polls, presence."""
    live_class, role = _class_for(request, pk)
    is_open = live_class.is_open_at()
    has_ended = live_class.ended_at is not None or live_class.ends_at <= timezone.now()
    response = render(
        request,
        "virtual_classes/live_class_detail.html",
        {
            "live_class": live_class,
            "role": role,
            "is_instructor": role == ParticipantRole.INSTRUCTOR,
            "is_open": is_open,
            "has_ended": has_ended,
            "jitsi_domain": settings.JITSI_DOMAIN,
            "can_see_attendance": can_see_attendance(request.user, live_class),
            "recordings": live_class.recordings.all(),
            "classroom_strings": classroom_strings(),
        },
    )
    if is_open and not has_ended:
        # the one page that loads Jitsi's script and frame, with camera and mic
        allow_conference(response, origin=f"https://{settings.JITSI_DOMAIN}")
    return response


@login_required
def ics(request, pk: int):
    live_class, _role = _class_for(request, pk)
    url = request.build_absolute_uri(live_class_url(live_class))
    response = HttpResponse(
        calendar.live_class_ics(live_class=live_class, url=url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="class-{pk}.ics"'
    return response


def live_class_url(live_class: LiveClass) -> str:
    from django.urls import reverse

    return reverse("virtual_classes:detail", args=[live_class.id])


@login_required
def attendance_csv(request, pk: int):
    live_class = get_object_or_404(LiveClass, pk=pk)
    if not can_see_attendance(request.user, live_class):
        raise PermissionDenied(_("Only the instructor and ministry staff see this."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Arabic names only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [_("name"), _("username"), _("first joined"), _("last left"), _("minutes")]
    )
    for row in selectors.attendance_rows(live_class=live_class):
        writer.writerow(
            [
                row["name"],
                row["username"],
                row["first_joined_at"].isoformat(),
                row["last_left_at"].isoformat() if row["last_left_at"] else "",
                row["minutes"],
            ]
        )
    return response


@login_required
def schedule(request):
    """Instructors schedule a class for a course they teach."""
    if not (
        user_has_role(request.user, Role.INSTRUCTOR)
        or user_has_role(request.user, Role.MINISTRY_STAFF)
    ):
        raise PermissionDenied(_("Only instructors can schedule live classes."))
    courses = course_list_for_instructor(user=request.user)
    form = LiveClassForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course_id = data.pop("course")
        try:
            live_class = services.live_class_create(
                instructor=request.user, course_id=course_id, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The class is scheduled."))
            return redirect(live_class_url(live_class))
    return render(request, "virtual_classes/schedule.html", {"form": form})
