"""A directorate's pages: the applications to check (accept, or return with a
reason), the test sessions (publish, follow the bookings, cancel). Every page is
scoped by the staff member's directorate; refusals answer 403 with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.data import StaffScope
from lms.kernel.errors import Forbidden, ServiceError
from registry.selectors import skill_level_list
from skilltests import selectors, services
from skilltests.forms import (
    CancelSessionForm,
    ReturnForm,
    SessionForm,
    governorate_choices,
)
from skilltests.models import ApplicationState
from skilltests.views.access import me, staff_page
from skilltests.views.applicant import form_refusal


def _governorates(scope: StaffScope) -> list[tuple[str, str]]:
    return [c for c in governorate_choices() if scope.covers(c[0])]


@staff_page
def applications(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The directorate's applications by state, oldest first, 50 to a page."""
    query = request.GET
    state = query.get("state", ApplicationState.SUBMITTED)
    if state not in ApplicationState.values and state != "all":
        state = ApplicationState.SUBMITTED
    page = selectors.applications_page_for_staff(
        staff_id=me(request),
        state="" if state == "all" else state,
        occupation_code=query.get("occupation", ""),
        level_code=query.get("level", ""),
        governorate_code=query.get("governorate", ""),
        reference=query.get("q", ""),
        after=query.get("after", ""),
        before=query.get("before", ""),
    )
    kept = {
        k: query.get(k, "")
        for k in ("state", "occupation", "level", "governorate", "q")
        if query.get(k)
    }
    return render(
        request,
        "skilltests/staff/applications.html",
        {
            "page": page,
            "state": state,
            "states": [
                (value, label, page.counts.get(value, 0))
                for value, label in ApplicationState.choices
            ],
            "total": sum(page.counts.values()),
            "occupations": selectors.occupations_tested(),
            "levels": skill_level_list(),
            "governorates": _governorates(scope) if scope.head_office else [],
            "kept": kept,
            "filters": query,
        },
    )


@staff_page
def application(
    request: HttpRequest, scope: StaffScope, reference: str
) -> HttpResponse:
    found = selectors.application_get_for_staff(
        reference=reference, staff_id=me(request)
    )
    return render(
        request,
        "skilltests/staff/application.html",
        {"application": found, "return_form": ReturnForm()},
    )


@require_POST
@staff_page
def accept(request: HttpRequest, scope: StaffScope, reference: str) -> HttpResponse:
    try:
        services.application_accept(reference=reference, staff_id=me(request))
    except Forbidden:
        raise
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("skilltests:staff_application", reference.upper())
    messages.success(request, _("Accepted: the applicant is told and may book a seat."))
    return redirect("skilltests:staff_applications")


@require_POST
@staff_page
def send_back(request: HttpRequest, scope: StaffScope, reference: str) -> HttpResponse:
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.application_return(
                reference=reference,
                staff_id=me(request),
                reason=form.cleaned_data["reason"],
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            if exc.status == 404:
                raise
            form_refusal(form, exc)
        else:
            messages.success(request, _("Returned: the applicant is told why."))
            return redirect("skilltests:staff_applications")
    found = selectors.application_get_for_staff(
        reference=reference, staff_id=me(request)
    )
    return render(
        request,
        "skilltests/staff/application.html",
        {"application": found, "return_form": form},
        status=400,
    )


@staff_page
def sessions(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The directorate's sessions: coming ones soonest first, or past ones."""
    past = request.GET.get("past") == "1"
    number = request.GET.get("page", "1")
    page = selectors.sessions_for_staff(
        staff_id=me(request),
        past=past,
        centre_code=request.GET.get("centre", ""),
        occupation_code=request.GET.get("occupation", ""),
        page=int(number) if number.isdigit() else 1,
    )
    return render(
        request,
        "skilltests/staff/sessions.html",
        {"page": page, "past": past, "filters": request.GET},
    )


@staff_page
def session_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Publish a session in one of the directorate's centres."""
    form = SessionForm(
        request.POST or None,
        centres=selectors.centres_for_scope(scope=scope),
        assessors=selectors.assessors_list(),
    )
    if request.method == "POST" and form.is_valid():
        centre, workshop = form.centre_and_workshop()
        data = form.cleaned_data
        try:
            session = services.session_publish(
                staff_id=me(request),
                centre_code=centre,
                workshop_code=workshop,
                occupation_code=data["occupation_code"],
                level_code=data["level_code"],
                starts_at=form.starts_at(),
                duration_min=data["duration_min"],
                seats=data["seats"],
                assessor_ids=form.assessor_ids(),
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            form_refusal(form, exc)
        else:
            messages.success(
                request, _("Session published: accepted applicants may book it.")
            )
            return redirect("skilltests:staff_session", session.id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "skilltests/staff/session_new.html", {"form": form}, status=status
    )


@staff_page
def session(request: HttpRequest, scope: StaffScope, session_id: int) -> HttpResponse:
    found, roster = selectors.session_get_for_staff(
        session_id=session_id, staff_id=me(request)
    )
    return render(
        request,
        "skilltests/staff/session.html",
        {"session": found, "roster": roster, "cancel_form": CancelSessionForm()},
    )


@require_POST
@staff_page
def session_cancel(
    request: HttpRequest, scope: StaffScope, session_id: int
) -> HttpResponse:
    form = CancelSessionForm(request.POST)
    if form.is_valid():
        try:
            told = services.session_cancel(
                session_id=session_id,
                staff_id=me(request),
                reason=form.cleaned_data["reason"],
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            if exc.status == 404:
                raise
            form_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Session cancelled; %(n)s booked applicants were told.")
                % {"n": told},
            )
            return redirect("skilltests:staff_session", session_id)
    found, roster = selectors.session_get_for_staff(
        session_id=session_id, staff_id=me(request)
    )
    return render(
        request,
        "skilltests/staff/session.html",
        {"session": found, "roster": roster, "cancel_form": form},
        status=400,
    )
