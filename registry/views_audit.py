"""The audit log for ministry staff (the chain's state, filtered pages, the CSV of
exactly the filtered query) and the public list of signed checkpoints.

Scoped by lms.accounts' `staff_scope`: a directorate sees entries about its
governorate's certificates, the head office all; anyone else is refused."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope, user_display_names
from lms.kernel.errors import Forbidden
from lms.kernel.headers import private_answer
from registry.audit_data import AuditFilters
from registry.forms import AuditFilterForm
from registry.selectors.audit import (
    audit_actions,
    audit_chain_state,
    audit_checkpoints_published,
    audit_entries_export,
    audit_entry_page,
)
from registry.signing import public_jwk


def _scope(request: HttpRequest) -> StaffScope:
    try:
        return staff_scope(user_id=request.user.pk)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


def _filters(form: AuditFilterForm) -> AuditFilters:
    data = form.cleaned_data
    return AuditFilters(
        actor_id=data["actor"],
        action=data["action"].strip(),
        serial=data["serial"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@login_required
@private_answer
def audit_log(request: HttpRequest) -> HttpResponse:
    """Ministry staff: the chain's state and the log, filtered, newest first."""
    scope = _scope(request)
    form = AuditFilterForm(request.GET or None)
    context = {
        "form": form,
        "state": audit_chain_state(),
        "actions": audit_actions(),
        "query": request.GET.urlencode(),
    }
    if request.GET and not form.is_valid():
        return render(request, "registry/audit_log.html", context, status=400)
    filters = _filters(form) if form.is_bound else AuditFilters()
    before = form.cleaned_data.get("before") if form.is_bound else None
    page = audit_entry_page(filters=filters, scope=scope, before=before)
    names = user_display_names(user_ids=[e.actor_id for e in page.entries])
    next_query = request.GET.copy()
    if page.next_before:
        next_query["before"] = str(page.next_before)
    context.update(
        {
            "rows": [(e, names.get(e.actor_id or 0, "")) for e in page.entries],
            "page": page,
            "next_query": next_query.urlencode(),
            "export_query": _without_before(request),
        }
    )
    return render(request, "registry/audit_log.html", context)


def _without_before(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("before", None)
    return query.urlencode()


class _Echo:
    def write(self, value: str) -> str:
        return value


_CSV_HEADER = ["seq", "created_at", "actor_id", "actor", "action", "object_ref"]


def _csv_rows(filters: AuditFilters, scope: StaffScope) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([*_CSV_HEADER, "summary", "entry_hash"])
    batch: list = []
    for entry in audit_entries_export(filters=filters, scope=scope):
        batch.append(entry)
        if len(batch) == 2000:
            yield from _csv_batch(writer, batch)
            batch = []
    yield from _csv_batch(writer, batch)


def _csv_batch(writer, batch) -> Iterator[str]:
    names = user_display_names(user_ids=[e.actor_id for e in batch])
    for e in batch:
        yield writer.writerow(
            [
                e.seq,
                e.created_at.isoformat(),
                e.actor_id or "",
                names.get(e.actor_id or 0, ""),
                e.action,
                e.serial_display or e.object_ref,
                e.summary,
                e.entry_hash,
            ]
        )


@login_required
@private_answer
def audit_export(request: HttpRequest) -> HttpResponse:
    """The CSV of exactly the page's filtered query; a bad filter is a 400."""
    scope = _scope(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        message = _("The filters are not valid: %(errors)s") % {
            "errors": form.errors_text()
        }
        return HttpResponse(
            message, status=400, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(
        _csv_rows(_filters(form), scope), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def audit_checkpoints_json(request: HttpRequest) -> JsonResponse:
    """Public: the newest signed checkpoints and the key they verify against, so
    anyone can keep copies the registry could not rewrite."""
    return JsonResponse(
        {
            "key": public_jwk(),
            "signed": "Ed25519 over the canonical JSON (sorted keys, no spaces) of "
            "seq, head_hash, count, created_at, key_id",
            "checkpoints": [
                {
                    "seq": c.seq,
                    "head_hash": c.head_hash,
                    "count": c.count,
                    "created_at": c.created_at,
                    "key_id": c.key_id,
                    "signature": c.signature,
                }
                for c in audit_checkpoints_published()
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
