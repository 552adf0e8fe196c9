"""The day of the test: the sessions a person runs (the assessors' workplace entry),
a session's roster with check-in by scanning the slip or typing the national ID
(POSTed, never in an address), no-shows, the practical part; the candidate's theory
part on the centre's tablet. Refusals: 403 with the reason (who may run the
session), 409/400 on the roster with the reason (the candidate, the session)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.kernel.errors import Conflict, Invalid
from skilltests.selectors.roster import day_sessions_for, roster_get
from skilltests.services.day import (
    check_in_by_national_id,
    check_in_by_slip,
    no_show_mark,
    practical_open,
    theory_start,
)
from skilltests.views.access import me, signed_in


def _roster_page(
    request: HttpRequest, session_id: int, *, problem: str = "", status: int = 200
) -> HttpResponse:
    roster = roster_get(session_id=session_id, viewer_id=me(request))
    return render(
        request,
        "skilltests/day/roster.html",
        {"roster": roster, "problem": problem},
        status=status,
    )


@signed_in
def sessions(request: HttpRequest) -> HttpResponse:
    """Today's and the coming week's sessions the person runs."""
    today, coming = day_sessions_for(viewer_id=me(request))
    return render(
        request, "skilltests/day/sessions.html", {"today": today, "coming": coming}
    )


@signed_in
def roster(request: HttpRequest, session_id: int) -> HttpResponse:
    return _roster_page(request, session_id)


def _refusal(request: HttpRequest, session_id: int, exc: Conflict | Invalid):
    status = 400 if isinstance(exc, Invalid) else 409
    return _roster_page(request, session_id, problem=exc.message, status=status)


@signed_in
@require_POST
def check_in(request: HttpRequest, session_id: int) -> HttpResponse:
    """By the slip (the QR's address a scanner typed, or the token) or by the
    national ID on the card."""
    slip = request.POST.get("slip", "").strip()
    try:
        if slip:
            reference = check_in_by_slip(
                session_id=session_id, slip=slip, viewer_id=me(request)
            )
        else:
            reference = check_in_by_national_id(
                session_id=session_id,
                national_id=request.POST.get("national_id", ""),
                viewer_id=me(request),
            )
    except (Conflict, Invalid) as exc:
        return _refusal(request, session_id, exc)
    messages.success(request, _("Checked in: %(ref)s.") % {"ref": reference})
    return redirect("skilltests:day_roster", session_id)


@signed_in
@require_POST
def no_show(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        reference = no_show_mark(
            session_id=session_id,
            reference=request.POST.get("reference", ""),
            viewer_id=me(request),
        )
    except (Conflict, Invalid) as exc:
        return _refusal(request, session_id, exc)
    messages.success(request, _("Marked absent: %(ref)s.") % {"ref": reference})
    return redirect("skilltests:day_roster", session_id)


@signed_in
@require_POST
def practical(request: HttpRequest, session_id: int) -> HttpResponse:
    """Open the candidate's practical part and go to its scoring sheet."""
    try:
        practical_id = practical_open(
            session_id=session_id,
            reference=request.POST.get("reference", ""),
            assessor_id=me(request),
        )
    except (Conflict, Invalid) as exc:
        return _refusal(request, session_id, exc)
    return redirect(reverse("assessments:practical_score", args=[practical_id]))


@signed_in
@require_POST
def theory(request: HttpRequest, reference: str) -> HttpResponse:
    """The candidate starts (or resumes) the theory part on the centre's tablet."""
    try:
        attempt_id = theory_start(reference=reference, applicant_id=me(request))
    except (Conflict, Invalid) as exc:
        messages.error(request, exc.message)
        return redirect("skilltests:application", reference)
    return redirect(reverse("assessments:attempt_question", args=[attempt_id, 1]))
