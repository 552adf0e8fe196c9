"""The instructor's workplace: my classes, edit, cancel, a recurring series, and the
recordings. Thin: every rule and refusal is the services' and selectors'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import course_list_for_instructor
from lms.kernel.errors import Forbidden, NotFound, ServiceError
from virtual_classes import selectors, services
from virtual_classes.data import LiveClassData
from virtual_classes.forms import CancelForm, LiveClassEditForm, SeriesForm

FIELD_ALIASES = {"course_id": "course"}


def _teaching(request: HttpRequest) -> None:
    if not selectors.may_schedule(user=request.user):
        raise PermissionDenied(_("Only instructors can manage live classes."))


def refusal_on_form(form, error: ServiceError) -> None:
    """A service's refusal shown on the form: on its fields, else above them."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for name, problems in error.fields.items():
        name = FIELD_ALIASES.get(name, name)
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _class(pk: int) -> LiveClassData:
    try:
        return selectors.live_class_get(live_class_id=pk)
    except NotFound as error:
        raise Http404(error.message) from None


@login_required
def my_classes(request: HttpRequest) -> HttpResponse:
    """Upcoming and past classes of the courses I teach."""
    _teaching(request)
    mine = selectors.classes_taught(user=request.user)
    return render(request, "virtual_classes/my_classes.html", {"mine": mine})


def _initial(live_class: LiveClassData) -> dict:
    return {
        "title": live_class.title,
        "description": live_class.description,
        "starts_at": timezone.localtime(live_class.starts_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "duration_min": live_class.duration_min,
        "capacity": live_class.capacity,
        "join_early_min": live_class.join_early_min,
        "cohort": live_class.cohort,
        "start_audio_only": live_class.start_audio_only,
    }


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit or reschedule a class not yet open (or the rest of its series)."""
    _teaching(request)
    live_class = _class(pk)
    in_series = live_class.series_id is not None
    form = LiveClassEditForm(
        request.POST or None, initial=_initial(live_class), in_series=in_series
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.live_class_update(user=request.user, live_class_id=pk, **data)
        except Forbidden as error:
            raise PermissionDenied(error.message) from None
        except ServiceError as error:
            refusal_on_form(form, error)
        else:
            messages.success(request, _("The class is updated."))
            return redirect("virtual_classes:mine")
    return render(
        request,
        "virtual_classes/edit.html",
        {"form": form, "live_class": live_class},
    )


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a class not yet open, with a reason; the enrolled are told."""
    _teaching(request)
    live_class = _class(pk)
    form = CancelForm(request.POST or None, in_series=live_class.series_id is not None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.live_class_cancel(
                user=request.user, live_class_id=pk, **form.cleaned_data
            )
        except Forbidden as error:
            raise PermissionDenied(error.message) from None
        except ServiceError as error:
            refusal_on_form(form, error)
        else:
            messages.success(
                request,
                _("Cancelled: %(count)s class(es). The enrolled trainees are told.")
                % {"count": len(cancelled)},
            )
            return redirect("virtual_classes:mine")
    return render(
        request,
        "virtual_classes/cancel.html",
        {"form": form, "live_class": live_class},
    )


@login_required
def series(request: HttpRequest) -> HttpResponse:
    """Schedule a recurring series in one form."""
    _teaching(request)
    courses = course_list_for_instructor(user=request.user)
    form = SeriesForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course_id = data.pop("course")
        try:
            created = services.live_class_series_create(
                user=request.user, course_id=course_id, **data
            )
        except ServiceError as error:
            refusal_on_form(form, error)
        else:
            messages.success(
                request,
                _("The series is scheduled: %(count)s classes.")
                % {"count": len(created)},
            )
            return redirect("virtual_classes:mine")
    return render(request, "virtual_classes/series.html", {"form": form})


@login_required
def recordings(request: HttpRequest) -> HttpResponse:
    """Recordings of my classes: their state, published or not."""
    _teaching(request)
    rows = selectors.recordings_taught(user=request.user)
    return render(request, "virtual_classes/recordings.html", {"rows": rows})


@require_POST
@login_required
def recording_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _teaching(request)
    published = request.POST.get("published") == "1"
    try:
        services.recording_publish_set(
            user=request.user, recording_id=pk, published=published
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    messages.success(
        request,
        _("The recording is published.")
        if published
        else _("The recording is withdrawn from the trainees."),
    )
    return redirect("virtual_classes:recordings")
