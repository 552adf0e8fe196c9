"""The assessor's practical pages (a tablet at the test centre): the workplace,
opening a test, the scoring sheet (drafts saved as the assessor goes), the summary to
confirm, a submitted test's page with its corrections, and the evidence photos.

Thin: every read is a selector, every write a service; refusals are the services'
coded errors, shown by their message (a NotFound is the page's 404)."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.forms import EvidenceForm, PracticalStartForm, levels_from_post
from assessments.selectors.people import ASSESSORS
from assessments.view_access import role_required
from lms.accounts.roles import Role
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import ServiceError
from lms.kernel.private_files import private_file_response

# a submitted test's page: its assessor, a second assessor, ministry staff
REVIEWERS = (Role.ASSESSOR, Role.MINISTRY_STAFF)
# Served inline only as a picture; any other type (a renamed file) is a download.
INLINE_PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def _me(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None, "behind login_required"
    return int(user_id)


def _refused(request: HttpRequest, exc: ServiceError | ValidationError) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _workplace(
    request: HttpRequest, form: PracticalStartForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "assessments/practical_list.html",
        {
            "work": selectors.practical_workplace(assessor_id=_me(request)),
            "form": form,
        },
        status=status,
    )


@role_required(ASSESSORS)
def practical_list(request: HttpRequest) -> HttpResponse:
    """Today's and coming tests, drafts in progress, recently scored."""
    return _workplace(request, PracticalStartForm(rubrics=selectors.rubrics_active()))


@require_POST
@role_required(ASSESSORS)
def practical_start(request: HttpRequest) -> HttpResponse:
    form = PracticalStartForm(request.POST, rubrics=selectors.rubrics_active())
    if form.is_valid():
        try:
            assessment = services.practical_assessment_create(
                rubric_id=form.cleaned_data["rubric"],
                trainee_id=form.cleaned_data["trainee"],
                assessor_id=_me(request),
                scheduled_on=form.cleaned_data["scheduled_on"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("assessments:practical_score", assessment_id=assessment.id)
    return _workplace(request, form, status=400)


@role_required(REVIEWERS)
def practical_find(request: HttpRequest) -> HttpResponse:
    """A scored test by its number (a second assessor, staff)."""
    raw = to_western_digits(request.GET.get("number", "")).strip().lstrip("#")
    if not raw.isdigit():
        messages.error(request, _("Type the practical test's number."))
        return redirect("assessments:practical_list")
    return redirect("assessments:practical_detail", assessment_id=int(raw))


def _save_draft(request: HttpRequest, assessment_id: int, criteria: Any) -> None:
    services.practical_assessment_score(
        assessment_id=assessment_id,
        assessor_id=_me(request),
        levels=levels_from_post(request.POST, criteria),
        comments=request.POST.get("comments"),
        criterion_comments={
            c.id: request.POST[f"n-{c.id}"]
            for c in criteria
            if f"n-{c.id}" in request.POST
        },
    )


def _attach(request: HttpRequest, assessment_id: int) -> None:
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Choose a photo to upload."))
    services.practical_evidence_add(
        assessment_id=assessment_id,
        assessor_id=_me(request),
        image=form.cleaned_data["image"],
        caption=form.cleaned_data["caption"],
    )


def _autosave(request: HttpRequest, assessment_id: int, criteria: Any) -> HttpResponse:
    """practical.js saves each choice as it is made."""
    try:
        _save_draft(request, assessment_id, criteria)
    except (ServiceError, ValidationError) as exc:
        message = getattr(exc, "message", None) or " ".join(exc.messages)
        return JsonResponse({"saved": False, "message": str(message)}, status=400)
    return JsonResponse({"saved": True, "message": _("Draft saved.")})


@role_required(ASSESSORS)
def practical_score(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The scoring sheet of the assessor's own draft."""
    sheet = selectors.practical_sheet_get(
        assessment_id=assessment_id, assessor_id=_me(request)
    )
    if not sheet.practical.is_draft:
        return redirect("assessments:practical_detail", assessment_id=assessment_id)
    status = 200
    if request.method == "POST":
        if request.headers.get("X-Autosave"):
            return _autosave(request, assessment_id, sheet.criteria)
        try:
            if "upload" in request.POST:
                _attach(request, assessment_id)
                messages.success(request, _("Photo attached."))
            else:
                _save_draft(request, assessment_id, sheet.criteria)
                if "submit" in request.POST:
                    return redirect(
                        "assessments:practical_summary", assessment_id=assessment_id
                    )
                messages.success(request, _("Draft saved."))
        except (ServiceError, ValidationError) as exc:
            _refused(request, exc)
            status = 400
        else:
            return redirect("assessments:practical_score", assessment_id=assessment_id)
    return render(
        request,
        "assessments/practical_score.html",
        {
            "sheet": sheet,
            "assessment": sheet.practical,
            "evidence_form": EvidenceForm(),
        },
        status=status,
    )


@role_required(ASSESSORS)
def practical_summary(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The scores to confirm; only the confirmation submits."""
    summary = selectors.practical_summary_get(
        assessment_id=assessment_id, assessor_id=_me(request)
    )
    if not summary.practical.is_draft:
        return redirect("assessments:practical_detail", assessment_id=assessment_id)
    status = 200
    if request.method == "POST":
        try:
            services.practical_assessment_confirm(
                assessment_id=assessment_id,
                assessor_id=_me(request),
                token=request.POST.get("token", ""),
            )
        except ServiceError as exc:
            _refused(request, exc)
            status = exc.status
            summary = selectors.practical_summary_get(
                assessment_id=assessment_id, assessor_id=_me(request)
            )
        else:
            messages.success(request, _("Practical test submitted."))
            return redirect("assessments:practical_detail", assessment_id=assessment_id)
    return render(
        request,
        "assessments/practical_summary.html",
        {"summary": summary},
        status=status,
    )


def _correct(request: HttpRequest, assessment_id: int, criteria: Any) -> None:
    services.practical_score_correct(
        assessment_id=assessment_id,
        corrector_id=_me(request),
        levels=levels_from_post(request.POST, criteria),
        reason=request.POST.get("reason", ""),
    )


@role_required(REVIEWERS)
def practical_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """A submitted test: its summary, its corrections and, for another assessor or
    staff, the correction form."""
    page = selectors.practical_page_get(
        assessment_id=assessment_id, viewer_id=_me(request)
    )
    if page.summary.practical.is_draft:
        return redirect("assessments:practical_score", assessment_id=assessment_id)
    status = 200
    if request.method == "POST":
        try:
            _correct(request, assessment_id, page.criteria)
        except (ServiceError, ValidationError) as exc:
            _refused(request, exc)
            status = getattr(exc, "status", 400)
        else:
            messages.success(request, _("Score corrected."))
            return redirect("assessments:practical_detail", assessment_id=assessment_id)
    return render(
        request,
        "assessments/practical_detail.html",
        {"page": page, "summary": page.summary, "posted": request.POST},
        status=status,
    )


@login_required
def evidence_photo(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A practical test's photo, for the people `practical_evidence_for_viewer`
    names; anyone else gets the same 404 as for a photo that does not exist."""
    evidence = selectors.practical_evidence_for_viewer(
        evidence_id=evidence_id, viewer_id=_me(request)
    )
    if evidence is None or not evidence.file_name:
        raise Http404
    name = evidence.file_name
    content_type = mimetypes.guess_type(name)[0]
    if content_type in INLINE_PHOTO_TYPES:
        return private_file_response(name, content_type=content_type)
    return private_file_response(
        name, content_type="application/octet-stream", as_attachment=True
    )
