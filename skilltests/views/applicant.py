"""The applicant's pages: their applications, applying, a returned application's
changes, withdrawing, booking / moving / cancelling a seat, documents."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.selectors import national_id_verified_for
from lms.kernel.errors import Forbidden, ServiceError
from lms.kernel.private_files import private_file_response
from skilltests import selectors, services
from skilltests.forms import ApplicationForm, ResubmitForm
from skilltests.selectors.roster import candidate_day
from skilltests.views.access import me, refused, signed_in


def form_refusal(form: forms.Form, exc: ServiceError) -> None:
    """A service's refusal on the form: its message on top, and on each field it
    names."""
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
    form.add_error(None, exc.message)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """The person's applications and where they stand; the way to apply."""
    user_id = me(request)
    return render(
        request,
        "skilltests/home.html",
        {
            "applications": selectors.applications_for_applicant(applicant_id=user_id),
            "identity_verified": national_id_verified_for(user_id=user_id) is not None,
            "course_offers": selectors.course_offers_for(applicant_id=user_id),
        },
    )


@signed_in
def apply(request: HttpRequest) -> HttpResponse:
    user_id = me(request)
    if national_id_verified_for(user_id=user_id) is None:
        return refused(
            request,
            Forbidden(
                _(
                    "Your national ID is not verified yet: verify it on your "
                    "identity page, then apply."
                ),
                code="identity_not_verified",
            ),
        )
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                applicant_id=user_id,
                occupation_code=data["occupation_code"],
                level_code=data["level_code"],
                governorate_code=data["governorate_code"],
                experience_years=data["experience_years"],
                experience_summary=data["experience_summary"],
                documents=form.uploads(),
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            form_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Application %(reference)s sent.")
                % {"reference": application.reference},
            )
            return redirect("skilltests:application", application.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "skilltests/apply.html", {"form": form}, status=status)


@signed_in
def application(request: HttpRequest, reference: str) -> HttpResponse:
    """One application: state, history, documents and what may be done next."""
    user_id = me(request)
    found = selectors.application_get_for_applicant(
        reference=reference, applicant_id=user_id
    )
    sessions = []
    if found.state in ("accepted", "booked"):
        sessions = selectors.sessions_bookable(
            reference=reference, applicant_id=user_id
        )
    day = candidate_day(reference=reference, applicant_id=user_id)
    return render(
        request,
        "skilltests/application.html",
        {
            "application": found,
            "sessions": sessions,
            "day": day,
            "path": selectors.application_path(application=found),
        },
    )


@signed_in
def application_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Change a returned application and send it again."""
    user_id = me(request)
    found = selectors.application_get_for_applicant(
        reference=reference, applicant_id=user_id
    )
    if found.state != "returned":
        return redirect("skilltests:application", found.reference)
    initial = {
        "governorate_code": found.governorate_code,
        "experience_years": found.experience_years,
        "experience_summary": found.experience_summary,
    }
    form = ResubmitForm(
        request.POST or None,
        request.FILES or None,
        documents=found.documents,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_resubmit(
                reference=found.reference,
                applicant_id=user_id,
                governorate_code=data["governorate_code"],
                experience_years=data["experience_years"],
                experience_summary=data["experience_summary"],
                documents_added=form.uploads(),
                documents_removed=form.removed_ids(),
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            form_refusal(form, exc)
        else:
            messages.success(request, _("Application sent again."))
            return redirect("skilltests:application", found.reference)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "skilltests/application_edit.html",
        {"application": found, "form": form},
        status=status,
    )


def _act(request: HttpRequest, reference: str, action, done: str) -> HttpResponse:
    """Run one applicant action; its refusal is shown on the application's page."""
    try:
        action()
    except Forbidden:
        raise
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("skilltests:application", reference.upper())


def _session_id(request: HttpRequest) -> int:
    value = request.POST.get("session", "")
    return int(value) if value.isdigit() else 0


@require_POST
@signed_in
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda: services.application_withdraw(
            reference=reference, applicant_id=me(request)
        ),
        _("Application withdrawn."),
    )


@require_POST
@signed_in
def book(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda: services.booking_create(
            reference=reference,
            applicant_id=me(request),
            session_id=_session_id(request),
        ),
        _("Seat booked: print the slip or keep it on your phone."),
    )


@require_POST
@signed_in
def move(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda: services.booking_reschedule(
            reference=reference,
            applicant_id=me(request),
            session_id=_session_id(request),
        ),
        _("Appointment moved: the earlier slip no longer counts."),
    )


@require_POST
@signed_in
def cancel_appointment(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        lambda: services.booking_cancel(reference=reference, applicant_id=me(request)),
        _("Appointment cancelled. You may book another seat."),
    )


@signed_in
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    """A document, for its applicant and the deciding directorate's staff."""
    found = selectors.document_for_viewer(
        document_id=document_id, viewer_id=me(request)
    )
    return private_file_response(
        found.storage_name,
        download_name=found.original_name,
        as_attachment=found.content_type == "application/pdf",
        content_type=found.content_type,
    )
