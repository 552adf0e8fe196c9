"""Registry pages: public verification, the holder's certificates, staff work.

Thin: parse input, call a service or selector, render.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse

from lms.accounts.data import StaffScope
from lms.accounts.selectors import national_id_verified_for, staff_scope
from lms.kernel.errors import Forbidden, NotFound
from lms.kernel.headers import private_answer
from lms.kernel.private_files import private_file_response
from registry import services
from registry.credentials import certificate_credential
from registry.data import CertificateData, ImportJobData
from registry.forms import ImportUploadForm, VerifyForm
from registry.pdf import certificate_pdf
from registry.selectors import (
    certificate_get,
    certificate_get_for_viewer,
    certificate_list_for_user,
    import_job_get,
    import_job_list,
    verification_answer,
    verification_http_status,
    verification_token_state,
)
from registry.serials import serial_display
from registry.throttling import VerifyThrottle
from registry.tokens import certificate_verify_url


@private_answer  # what was typed may be someone's national ID
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a serial (from the paper or a phone call) and go to its answer."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "registry:verify", serial=serial_display(form.cleaned_data["serial"])
        )
    return render(request, "registry/verify_form.html", {"form": form})


@private_answer  # it names the holder: no shared cache keeps a copy
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    """Anyone: status, holder's name, occupation, level, date; never the full ID."""
    throttle = VerifyThrottle()
    if not throttle.allow_request(request, None):
        response = render(request, "registry/verify_throttled.html", status=429)
        response["Retry-After"] = str(int(throttle.wait() or 60))
        return response
    answer = verification_answer(serial=serial)
    token_state = verification_token_state(token=request.GET.get("t"), answer=answer)
    return render(
        request,
        "registry/verify.html",
        {"answer": answer, "typed": serial, "token_state": token_state},
        status=verification_http_status(answer),
    )


def _certificate(serial: str) -> CertificateData:
    try:
        return certificate_get(serial=serial)
    except NotFound:
        raise Http404 from None


def _own_or_staff(request: HttpRequest, serial: str) -> CertificateData:
    try:
        return certificate_get_for_viewer(serial=serial, viewer_id=request.user.pk)
    except NotFound:
        raise Http404 from None


def _staff_scope(request: HttpRequest) -> StaffScope:
    """Import pages: ministry staff placed in a directorate (403 for anyone else)."""
    try:
        return staff_scope(user_id=request.user.pk)
    except Forbidden:
        raise PermissionDenied from None


def _import_job(request: HttpRequest, pk: int) -> ImportJobData:
    try:
        return import_job_get(
            job_id=pk, scope=_staff_scope(request), viewer_id=request.user.pk
        )
    except NotFound:
        raise Http404 from None


@login_required
def holder_certificates(request: HttpRequest) -> HttpResponse:
    """A trainee's certificates: download the PDF, copy the verification link."""
    certs = certificate_list_for_user(user_id=request.user.pk)
    rows = [
        {"cert": c, "verify_url": certificate_verify_url(c)}
        for c in certs
        if c.status != "pending"
    ]
    pending = [c for c in certs if c.status == "pending"]
    return render(
        request,
        "registry/holder_certificates.html",
        {
            "rows": rows,
            "pending": pending,
            "identity_unverified": not national_id_verified_for(
                user_id=request.user.pk
            ),
        },
    )


@login_required
def certificate_pdf_download(request: HttpRequest, serial: str) -> HttpResponse:
    cert = _own_or_staff(request, serial)
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.serial_display}.pdf"'
    )
    return response


@login_required
def certificate_credential_download(request: HttpRequest, serial: str) -> HttpResponse:
    cert = _own_or_staff(request, serial)
    body = json.dumps(certificate_credential(cert), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.serial_display}.json"'
    )
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Ministry staff upload a paper-era file; it is imported in the background as a
    batch of pending certificates that another staff member reviews."""
    scope = _staff_scope(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_job_create(
            file=upload, original_name=upload.name, created_by_id=request.user.pk
        )
        return redirect("registry:import_status", pk=job.id)
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "jobs": import_job_list(limit=10, scope=scope, viewer_id=request.user.pk),
        },
    )


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    return render(
        request,
        "registry/import_status.html",
        {
            "job": job,
            "status_url": reverse("registry:import_status_json", args=[job.id]),
            "rejections": job.rejections[:200],
        },
    )


@login_required
def import_rejections(request: HttpRequest, pk: int) -> HttpResponse:
    """Every rejected row of an upload (the page shows the first 200)."""
    job = _import_job(request, pk)
    if not job.rejection_report:
        raise Http404
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return private_file_response(
        job.rejection_report,
        download_name=f"{stem}-rejections.csv",
        as_attachment=True,
        content_type="text/csv; charset=utf-8",
    )


@login_required
def import_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    job = _import_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "percent": job.percent,
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "inserted": job.inserted,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
        }
    )
