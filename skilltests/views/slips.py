"""The appointment slip (a page for the phone and for printing, and a PDF) and what
the centre's staff and the session's assessors see when they scan its QR."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skilltests import selectors
from skilltests.selectors.roster import day_sessions_for
from skilltests.slip_pdf import qr_svg, slip_pdf
from skilltests.views.access import me, signed_in


@signed_in
def slip(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.slip_get(reference=reference, applicant_id=me(request))
    return render(
        request,
        "skilltests/slip.html",
        {"slip": found, "qr": qr_svg(found.check_url)},
    )


@signed_in
def slip_download(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.slip_get(reference=reference, applicant_id=me(request))
    response = HttpResponse(slip_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="skill-test-{found.reference}.pdf"'
    )
    return response


@signed_in
def slip_check(request: HttpRequest, token: str) -> HttpResponse:
    """The booking a slip names, for those who run its session (else 404)."""
    found = selectors.slip_check(token=token, viewer_id=me(request))
    today, _coming = day_sessions_for(viewer_id=me(request))
    return render(
        request,
        "skilltests/slip_check.html",
        {"check": found, "token": token, "sessions_today": today},
    )
