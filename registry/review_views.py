"""Staff pages for two people for every change of trust: import batches to review,
pending certificates to approve (with their evidence, after a confirmation) and
revocations to request and confirm. Every page is scoped by the staff member's
directorate (lms.accounts' staff_scope); refusals answer 403 with the reason.

Thin: parse input, call a service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound, ServiceError
from registry import services
from registry.data import CertificateData, ImportBatchData
from registry.forms import BatchRejectForm, RevokeForm
from registry.selectors import (
    certificate_get,
    certificate_pending_scoped,
    import_batch_by_status,
    import_batch_conflicts,
    import_batch_get,
    import_batch_list,
    import_batch_rows,
    revocation_request_get,
    revocation_request_list,
)

SAMPLE_ROWS = 50


def refused(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    """A 403 that says why (a refusal a person can act on)."""
    return render(
        request, "registry/refused.html", {"message": exc.message}, status=403
    )


def _scope(request: HttpRequest) -> StaffScope:
    """The signed-in staff member's scope; Forbidden for anyone else."""
    return staff_scope(
        user_id=request.user.pk if request.user.is_authenticated else None
    )


def scoped(view):
    """Login, then the staff scope as the view's second argument; a Forbidden from
    the scope or the service answers 403 with its message."""

    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, _scope(request), *args, **kwargs)
        except Forbidden as exc:
            return refused(request, exc)
        except NotFound:
            raise Http404 from None

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


# --- import batches ----------------------------------------------------------------


@scoped
def batch_list(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Batches awaiting review (and the latest others) of the directorate."""
    return render(
        request,
        "registry/batch_list.html",
        {
            "in_review": import_batch_list(scope=scope, in_review_only=True),
            "recent": import_batch_list(scope=scope, limit=20),
        },
    )


def _batch_page(
    request: HttpRequest, batch: ImportBatchData, *, status: int = 200, **extra
) -> HttpResponse:
    after = request.GET.get("after", "")
    rows = import_batch_rows(
        batch_id=batch.id,
        after_id=int(after) if after.isdigit() else 0,
        limit=SAMPLE_ROWS,
    )
    context = {
        "batch": batch,
        "counts": import_batch_by_status(batch_id=batch.id),
        "rows": rows,
        "next_after": rows[-1].id if len(rows) == SAMPLE_ROWS else None,
        "conflicts": import_batch_conflicts(batch_id=batch.id),
        "own": batch.created_by_id == request.user.pk,
        "reject_form": BatchRejectForm(),
        **extra,
    }
    return render(request, "registry/batch_detail.html", context, status=status)


@scoped
def batch_detail(request: HttpRequest, scope: StaffScope, pk: int) -> HttpResponse:
    """Counts, sample rows, every conflict; approve, reject whole or by rows."""
    return _batch_page(request, import_batch_get(batch_id=pk, scope=scope))


@require_POST
@scoped
def batch_approve(request: HttpRequest, scope: StaffScope, pk: int) -> HttpResponse:
    batch = import_batch_get(batch_id=pk, scope=scope)
    if request.POST.get("confirm") != "yes":
        return _batch_page(
            request,
            batch,
            status=400,
            error=_("Tick the confirmation to issue the batch's certificates."),
        )
    background = services.approves_in_background(batch)
    try:
        if background:
            services.import_batch_approval_start(
                batch_id=pk, reviewer_id=request.user.pk
            )
        else:
            done = services.import_batch_approve(
                batch_id=pk, reviewer_id=request.user.pk
            )
    except Forbidden:
        raise
    except ServiceError as exc:
        return _batch_page(request, batch, status=409, error=exc.message)
    if background:
        messages.info(
            request,
            _(
                "The approval of %(count)s certificates has started; it takes a few "
                "minutes. This page shows when they are issued."
            )
            % {"count": batch.pending},
        )
    else:
        messages.success(
            request,
            _("Batch approved: %(count)s certificates issued.")
            % {"count": done.issued},
        )
    return redirect("registry:batch_detail", pk=pk)


@require_POST
@scoped
def batch_reject(request: HttpRequest, scope: StaffScope, pk: int) -> HttpResponse:
    batch = import_batch_get(batch_id=pk, scope=scope)
    form = BatchRejectForm(request.POST)
    if not form.is_valid():
        return _batch_page(request, batch, status=400, reject_form=form)
    try:
        services.import_batch_reject(
            batch_id=pk, reviewer_id=request.user.pk, note=form.cleaned_data["note"]
        )
    except Forbidden:
        raise
    except ServiceError as exc:
        return _batch_page(request, batch, status=409, error=exc.message)
    messages.success(request, _("Batch rejected: nothing of it was issued."))
    return redirect("registry:batch_list")


@require_POST
@scoped
def batch_reject_rows(request: HttpRequest, scope: StaffScope, pk: int) -> HttpResponse:
    batch = import_batch_get(batch_id=pk, scope=scope)
    try:
        done = services.import_batch_reject_rows(
            batch_id=pk,
            reviewer_id=request.user.pk,
            certificate_ids=_ids(request, "row"),
            note=request.POST.get("note", ""),
        )
    except Forbidden:
        raise
    except ServiceError as exc:
        return _batch_page(request, batch, status=400, error=exc.message)
    messages.success(
        request,
        _("Rows rejected; %(count)s rows remain for approval.")
        % {"count": done.pending},
    )
    return redirect("registry:batch_detail", pk=pk)


# --- pending certificates, one by one ------------------------------------------------


@scoped
def pending_list(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Certificates awaiting a second person's approval, each with its evidence."""
    return render(
        request,
        "registry/pending_list.html",
        {"certificates": certificate_pending_scoped(scope=scope)},
    )


@scoped
def pending_confirm(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The confirm step: the selected items' evidence, then issue them (POST with
    confirm=yes); the list's selection arrives as POST without it."""
    if request.method != "POST":
        return redirect("registry:pending")
    ids = _ids(request, "certificate")
    chosen = certificate_pending_scoped(scope=scope, ids=ids) if ids else []
    if not chosen:
        messages.error(request, _("Select the certificates to approve."))
        return redirect("registry:pending")
    if request.POST.get("confirm") != "yes":
        return render(
            request, "registry/pending_confirm.html", {"certificates": chosen}
        )
    return _issue(request, chosen)


def _issue(request: HttpRequest, chosen: list[CertificateData]) -> HttpResponse:
    for cert in chosen:
        try:
            services.certificate_approve(
                certificate_id=cert.id, approver_id=request.user.pk
            )
        except ServiceError as exc:
            messages.error(request, f"{cert.serial_display}: {exc.message}")
        else:
            messages.success(
                request,
                _("Certificate %(serial)s issued.") % {"serial": cert.serial_display},
            )
    return redirect("registry:pending")


@scoped
def certificate_approve(
    request: HttpRequest, scope: StaffScope, serial: str
) -> HttpResponse:
    """One certificate: its evidence and a confirmation, then issue (POST)."""
    cert = certificate_get(serial=serial)
    chosen = certificate_pending_scoped(scope=scope, ids=[cert.id])
    if not chosen:
        raise Forbidden(
            _("This certificate is not awaiting your directorate's approval."),
            code="not_yours",
        )
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return _issue(request, chosen)
    return render(request, "registry/pending_confirm.html", {"certificates": chosen})


# --- revocation -----------------------------------------------------------------------


@scoped
def certificate_revoke(
    request: HttpRequest, scope: StaffScope, serial: str
) -> HttpResponse:
    """Ask for a revocation (another staff member confirms), or, head office with
    the emergency path switched on, revoke alone."""
    cert = certificate_get(serial=serial)
    if not scope.covers(cert.governorate_code):
        raise Forbidden(
            _("This belongs to another directorate: its staff act on it."),
            code="other_directorate",
        )
    from django.conf import settings

    emergency_allowed = settings.REGISTRY_EMERGENCY_REVOCATION and scope.head_office
    form = RevokeForm(request.POST or None, emergency_allowed=emergency_allowed)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("emergency"):
                services.certificate_revoke_emergency(
                    certificate_id=cert.id,
                    actor_id=request.user.pk,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("Certificate %(serial)s revoked (emergency).")
                    % {"serial": cert.serial_display},
                )
                return redirect("registry:verify", serial=cert.serial_display)
            services.revocation_request_create(
                certificate_id=cert.id,
                actor_id=request.user.pk,
                reason=form.cleaned_data["reason"],
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Revocation of %(serial)s requested: another staff member must "
                    "confirm it."
                )
                % {"serial": cert.serial_display},
            )
            return redirect("registry:revocations")
    return render(request, "registry/revoke.html", {"form": form, "cert": cert})


@scoped
def revocation_list(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return render(
        request,
        "registry/revocation_list.html",
        {"requests": revocation_request_list(scope=scope)},
    )


@require_POST
@scoped
def revocation_confirm(
    request: HttpRequest, scope: StaffScope, pk: int
) -> HttpResponse:
    found = revocation_request_get(request_id=pk, scope=scope)
    try:
        services.revocation_request_confirm(request_id=pk, actor_id=request.user.pk)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Certificate %(serial)s revoked.") % {"serial": found.serial_display},
        )
    return redirect("registry:revocations")


@require_POST
@scoped
def revocation_cancel(request: HttpRequest, scope: StaffScope, pk: int) -> HttpResponse:
    revocation_request_get(request_id=pk, scope=scope)
    try:
        services.revocation_request_cancel(request_id=pk, actor_id=request.user.pk)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The revocation request was withdrawn."))
    return redirect("registry:revocations")
