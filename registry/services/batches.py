"""An import's batch: opened by the upload's run, closed for review when the file is
read, then approved (its pending certificates issued) or rejected, whole or by rows,
by a staff member who is not the uploader and whose directorate covers the batch.

Every change is in the audit log: a batch of up to PER_CERTIFICATE_AUDIT rows has one
entry per certificate issued besides the batch's entry; a larger one has the batch's
entry only, carrying the count and a SHA-256 of its serials in order. The batch's
entries also bind the rows to the chain (registry/audit_state.py): an approval stamps
every row it issues and records their new digests and the pending ones they replace;
a rejection records the rows it removed, so the chain's books still balance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from lms.kernel.generations import generation_bump
from lms.kernel.personal_pages import personal_pages_all_changed
from lms.kernel.report_rows import report_facts_changed
from registry.audit import audit_append
from registry.audit_state import STATE_FIELDS, state_digest, state_digest_sql
from registry.cache import GENERATION, verification_cache_clear_many
from registry.converters import import_batch_data
from registry.data import ImportBatchData
from registry.models import (
    Certificate,
    CertificateStatus,
    ImportBatch,
    ImportBatchStatus,
    ImportConflict,
)
from registry.services.bulk_state import BatchWrite
from registry.services.conflicts import batch_conflicts_recheck
from registry.services.scope import scope_check, scope_governorate

PER_CERTIFICATE_AUDIT = 500
# Above this many serials, every cached verification answer is abandoned at once (a
# generation bump) rather than each one marked changed.
CACHE_CLEAR_MANY_MAX = 10_000


def import_batch_open(
    *, label: str, created_by_id: int | None, job_id: int | None = None
) -> ImportBatchData:
    """A batch for an import about to be read; bound to the uploader's directorate
    (no uploader: an operator's command, the head office). A job's run started again
    after a crash carries on with the job's batch."""
    if job_id is not None:
        existing = ImportBatch.objects.filter(job_id=job_id).first()
        if existing is not None:
            return import_batch_data(existing)
    governorate = ""
    if created_by_id is not None:
        governorate = scope_governorate(staff_scope(user_id=created_by_id))
    batch = ImportBatch.objects.create(
        label=label[:255],
        created_by_id=created_by_id,
        job_id=job_id,
        governorate_code=governorate,
    )
    return import_batch_data(batch)


def import_batch_close(*, import_batch_id: int) -> ImportBatchData:
    """The file is read: count what the batch holds and put it up for review."""
    batch = ImportBatch.objects.get(pk=import_batch_id)
    batch.rows = Certificate.objects.filter(import_batch_id=batch.pk).count()
    batch.conflicts_count = ImportConflict.objects.filter(batch_id=batch.pk).count()
    batch.status = ImportBatchStatus.REVIEW
    batch.save(update_fields=["rows", "conflicts_count", "status"])
    return import_batch_data(batch)


def _reviewable(batch_id: int, reviewer_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such import batch."), code="not_found")
    scope_check(actor_id=reviewer_id, governorate_code=batch.governorate_code)
    if batch.created_by_id is not None and batch.created_by_id == reviewer_id:
        raise Forbidden(
            _(
                "You uploaded this batch; another staff member must review and "
                "approve it."
            ),
            code="own_batch",
        )
    if batch.status != ImportBatchStatus.REVIEW:
        raise Conflict(
            _("This batch is not awaiting review; it is %(status)s.")
            % {"status": batch.get_status_display()},
            code="not_in_review",
        )
    return batch


def _pending(batch: ImportBatch) -> QuerySet[Certificate]:
    return Certificate.objects.filter(
        import_batch_id=batch.pk, status=CertificateStatus.PENDING
    )


def _serials_digest(serials: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(serials).encode("ascii")).hexdigest()


def _clear_answers(serials: list[str]) -> None:
    if len(serials) > CACHE_CLEAR_MANY_MAX:
        generation_bump(GENERATION)
    else:
        verification_cache_clear_many(serials=serials)


def import_batch_approve(*, batch_id: int, reviewer_id: int) -> ImportBatchData:
    """Issue every pending certificate of the batch (approved_by = the reviewer).

    Refused while a pending row has a conflict (those found at import, and those the
    registry and the accounts show now, which stay listed): reject those rows first."""
    with transaction.atomic():  # committed even when the approval is refused
        batch = _reviewable(batch_id, reviewer_id)
        batch_conflicts_recheck(import_batch_id=batch.pk)
        batch.conflicts_count = ImportConflict.objects.filter(batch_id=batch.pk).count()
        batch.save(update_fields=["conflicts_count"])
    with transaction.atomic():
        batch = _reviewable(batch_id, reviewer_id)
        blocking = _blocking(batch)
        if blocking:
            raise Conflict(
                _(
                    "%(count)s row(s) of this batch have conflicts: reject them (or "
                    "have the registry corrected) before approving."
                )
                % {"count": blocking},
                code="conflicts",
            )
        return _issue(batch, reviewer_id)


def _blocking(batch: ImportBatch) -> int:
    """How many of the batch's pending rows have a conflict listed."""
    return (
        ImportConflict.objects.filter(
            batch_id=batch.pk, certificate__status=CertificateStatus.PENDING
        )
        .values("certificate_id")
        .distinct()
        .count()
    )


_ISSUE_SQL = f"""
UPDATE registry_certificate c SET status = %(issued)s, approved_by_id = %(reviewer)s,
    approved_at = %(now)s, updated_at = %(now)s, audit_ref = %(stamp)s
WHERE c.import_batch_id = %(batch)s AND c.status = %(pending)s
RETURNING c.serial, {state_digest_sql("c")},
    (SELECT o.audit_ref || ':' || {state_digest_sql("o")}
     FROM registry_certificate o WHERE o.id = c.id)
"""


def _issue_rows(batch: ImportBatch, reviewer_id: int, audit: BatchWrite) -> list[str]:
    """Issue the batch's pending rows under the approval's stamp; their serials."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _ISSUE_SQL,
                {
                    "issued": CertificateStatus.ISSUED,
                    "pending": CertificateStatus.PENDING,
                    "reviewer": reviewer_id,
                    "now": now,
                    "stamp": audit.stamp,
                    "batch": batch.pk,
                },
            )
            rows = cursor.fetchall()
        audit.written([digest for _serial, digest, _before in rows])
        audit.took_over([before for _serial, _digest, before in rows])
        return sorted(serial for serial, _digest, _before in rows)
    certs = list(_pending(batch))
    for cert in certs:
        audit.took_over([f"{cert.audit_ref}:{state_digest(cert)}"])
        cert.status = CertificateStatus.ISSUED
        cert.approved_by_id = reviewer_id
        cert.approved_at = cert.updated_at = now
        cert.audit_ref = audit.stamp
    Certificate.objects.bulk_update(
        certs,
        ["status", "approved_by_id", "approved_at", "updated_at", "audit_ref"],
        batch_size=2000,
    )
    audit.written_rows(certs)
    return sorted(cert.serial for cert in certs)


def _issue(batch: ImportBatch, reviewer_id: int) -> ImportBatchData:
    now = timezone.now()
    audit = BatchWrite(status=CertificateStatus.ISSUED)
    serials = _issue_rows(batch, reviewer_id, audit)
    issued = len(serials)
    if issued <= PER_CERTIFICATE_AUDIT:
        for serial in serials:
            audit_append(
                action="certificate.approve",
                actor_id=reviewer_id,
                object_ref=serial,
                data={"serial": serial, "status": "issued", "import_batch": batch.pk},
            )
    audit_append(
        action="import.batch_approve",
        actor_id=reviewer_id,
        object_ref=f"batch:{batch.pk}",
        data={
            "import_batch": batch.pk,
            "uploaded_by": batch.created_by_id,
            "issued": issued,
            "serials_sha256": _serials_digest(serials),
            **audit.audit_data(),
        },
    )
    batch.status = ImportBatchStatus.APPROVED
    batch.reviewed_by_id = reviewer_id
    batch.reviewed_at = now
    batch.issued = issued
    batch.save()
    _clear_answers(serials)
    transaction.on_commit(lambda: _clear_answers(serials))
    _facts_changed(batch, issued)
    # issued in one statement (no post_save): whose dashboards list them is every
    # holder of a verified claim to one of the batch's IDs
    personal_pages_all_changed()
    return import_batch_data(batch, pending=0)


def _facts_changed(batch: ImportBatch, count: int) -> None:
    """The reports count the batch's certificates by their (paper-era) issue date."""
    if count:
        oldest = (
            Certificate.objects.filter(import_batch_id=batch.pk)
            .order_by("issue_date")
            .values_list("issue_date", flat=True)
            .first()
        )
        report_facts_changed(count=count, month=oldest)


@transaction.atomic
def import_batch_reject(
    *, batch_id: int, reviewer_id: int, note: str
) -> ImportBatchData:
    """Refuse the whole batch: its pending certificates are removed (never valid)."""
    note = (note or "").strip()
    if not note:
        raise Invalid(
            _("Say why the batch is rejected."),
            code="note",
            fields={"note": [_("Say why the batch is rejected.")]},
        )
    batch = _reviewable(batch_id, reviewer_id)
    removed = _remove(batch, _pending(batch), reviewer_id, "import.batch_reject", note)
    batch.status = ImportBatchStatus.REJECTED
    batch.reviewed_by_id = reviewer_id
    batch.reviewed_at = timezone.now()
    batch.rows_rejected += removed
    batch.review_note = note
    batch.save()
    return import_batch_data(batch, pending=0)


@transaction.atomic
def import_batch_reject_rows(
    *, batch_id: int, reviewer_id: int, certificate_ids: Sequence[int], note: str = ""
) -> ImportBatchData:
    """Refuse the selected rows of a batch; the rest stays for approval."""
    if not certificate_ids:
        raise Invalid(_("Select the rows to reject."), code="no_rows")
    batch = _reviewable(batch_id, reviewer_id)
    rows = _pending(batch).filter(pk__in=list(certificate_ids))
    removed = _remove(batch, rows, reviewer_id, "import.rows_reject", note)
    batch.rows_rejected += removed
    batch.conflicts_count = ImportConflict.objects.filter(batch_id=batch.pk).count()
    batch.save(update_fields=["rows_rejected", "conflicts_count"])
    return import_batch_data(batch)


def _remove(
    batch: ImportBatch,
    rows: QuerySet[Certificate],
    reviewer_id: int,
    action: str,
    note: str,
) -> int:
    gone = BatchWrite(status="removed")  # records no rows: only what left the chain
    removed = list(rows.order_by("serial").only("audit_ref", *STATE_FIELDS))
    serials = [cert.serial for cert in removed]
    gone.took_over([f"{cert.audit_ref}:{state_digest(cert)}" for cert in removed])
    rows.delete()  # their conflicts go with them (cascade)
    audit_append(
        action=action,
        actor_id=reviewer_id,
        object_ref=f"batch:{batch.pk}",
        data={
            "import_batch": batch.pk,
            "rows": len(serials),
            "serials_sha256": _serials_digest(serials),
            "note": note[:500],
            **gone.audit_data(),
        },
    )
    _clear_answers(serials)
    return len(serials)
