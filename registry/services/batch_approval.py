"""A large batch is approved in the background: issuing a million rows (one UPDATE,
their digests for the audit chain, the conflict checks) takes longer than a request
may. The reviewer's request checks who they are and marks the batch *approving*; the
task re-checks the conflicts and issues, or puts the batch back in review saying why.

Jobs survive a killed worker: the run holds the batch's row lock for its whole
transaction, so a batch still *approving* whose lock is free after
REGISTRY_IMPORT_STALE_AFTER_S lost its run, and the sweep asks for another (a run
that finds the batch no longer approving does nothing).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.audit import audit_append
from registry.converters import import_batch_data
from registry.data import ImportBatchData
from registry.jobs import batch_approval_request
from registry.models import ImportBatch, ImportBatchStatus, ImportConflict
from registry.services.batches import _blocking, _issue, _pending, _reviewable
from registry.services.conflicts import batch_conflicts_recheck

logger = logging.getLogger(__name__)


def approves_in_background(batch: ImportBatchData) -> bool:
    return batch.pending > settings.REGISTRY_BATCH_APPROVE_INLINE_MAX


@transaction.atomic
def import_batch_approval_start(*, batch_id: int, reviewer_id: int) -> ImportBatchData:
    """Mark the batch approving by this reviewer (the same refusals as an approval
    at once: not the uploader, in their directorate, in review) and ask for the run."""
    batch = _reviewable(batch_id, reviewer_id)
    batch.status = ImportBatchStatus.APPROVING
    batch.reviewed_by_id = reviewer_id
    batch.reviewed_at = timezone.now()
    batch.review_note = ""
    batch.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit_append(
        action="import.batch_approve_start",
        actor_id=reviewer_id,
        object_ref=f"batch:{batch.pk}",
        data={"import_batch": batch.pk, "pending": _pending(batch).count()},
    )
    batch_approval_request(batch_id=batch.pk)
    return import_batch_data(batch)


def import_batch_approval_run(*, batch_id: int) -> str:
    """The background half: 'issued', 'refused' (conflicts: back in review) or
    'skipped' (the batch is not approving: another run finished it)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatchStatus.APPROVING:
            return "skipped"
        batch_conflicts_recheck(import_batch_id=batch.pk)
        batch.conflicts_count = ImportConflict.objects.filter(batch_id=batch.pk).count()
        blocking = _blocking(batch)
        reviewer_id = batch.reviewed_by_id
        if reviewer_id is None:  # the reviewer's account was removed meanwhile
            batch.status = ImportBatchStatus.REVIEW
            batch.review_note = _("The approval stopped: its reviewer has no account.")
            batch.save(update_fields=["status", "conflicts_count", "review_note"])
            return "refused"
        if blocking:
            batch.status = ImportBatchStatus.REVIEW
            batch.review_note = _(
                "The approval stopped: %(count)s row(s) have conflicts. Reject them "
                "(or have the registry corrected) and approve again."
            ) % {"count": blocking}
            batch.save(update_fields=["status", "conflicts_count", "review_note"])
            return "refused"
        _issue(batch, reviewer_id)
    return "issued"


def import_batch_approvals_requeue(*, now: dt.datetime | None = None) -> list[int]:
    """Ask again for the runs of batches left approving by a killed worker (their
    row lock is free) or by a lost enqueue."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.REGISTRY_IMPORT_STALE_AFTER_S)
    requeued = []
    with transaction.atomic():
        stale = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(status=ImportBatchStatus.APPROVING, reviewed_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        for batch_id in list(stale):
            batch_approval_request(batch_id=batch_id)
            requeued.append(batch_id)
    if requeued:
        logger.warning("batch approvals asked again: %s", requeued)
    return requeued
