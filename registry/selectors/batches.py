"""Import batches and revocation requests for their reviewers, scoped by directorate
(lms.accounts' StaffScope: the head office sees all, a directorate its own)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.kernel.errors import NotFound
from registry.cache import STATS_TTL_S, statistics_cache_key
from registry.converters import (
    certificate_data,
    import_batch_data,
    import_conflict_data,
    revocation_request_data,
)
from registry.data import (
    CertificateData,
    ImportBatchData,
    ImportConflictData,
    RevocationRequestData,
)
from registry.models import (
    Certificate,
    CertificateStatus,
    ImportBatch,
    ImportBatchStatus,
    ImportConflict,
    RevocationRequest,
    RevocationStatus,
)


def _batches(scope: StaffScope) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.all()
    if not scope.head_office:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    return qs


def import_batch_list(
    *, scope: StaffScope, in_review_only: bool = False, limit: int = 50
) -> list[ImportBatchData]:
    """The newest first; those awaiting review only when asked."""
    qs = _batches(scope)
    if in_review_only:
        qs = qs.filter(status=ImportBatchStatus.REVIEW)
    return [import_batch_data(b) for b in qs[:limit]]


def import_batch_review_count(*, scope: StaffScope, exclude_user_id: int | None) -> int:
    """Batches this person may review now (not their own uploads): the menu badge."""
    qs = _batches(scope).filter(status=ImportBatchStatus.REVIEW)
    if exclude_user_id is not None:
        qs = qs.exclude(created_by_id=exclude_user_id)
    return qs.count()


def import_batch_get(*, batch_id: int, scope: StaffScope) -> ImportBatchData:
    """NotFound also for a batch of another directorate (as for an unknown one)."""
    batch = _batches(scope).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such import batch."), code="not_found")
    pending = Certificate.objects.filter(
        import_batch_id=batch.pk, status=CertificateStatus.PENDING
    ).count()
    return import_batch_data(batch, pending=pending)


def import_batch_rows(
    *, batch_id: int, after_id: int = 0, limit: int = 50
) -> list[CertificateData]:
    """Rows of a batch (its pending certificates first by id): the review's sample."""
    qs = (
        Certificate.objects.select_related("occupation", "skill_level")
        .filter(import_batch_id=batch_id, id__gt=after_id)
        .order_by("id")
    )
    return [certificate_data(c) for c in qs[:limit]]


def import_batch_conflicts(
    *, batch_id: int, limit: int = 5000
) -> list[ImportConflictData]:
    """Every conflict of the batch (up to `limit`, in the order found)."""
    qs = ImportConflict.objects.select_related("certificate").filter(batch_id=batch_id)
    return [import_conflict_data(c) for c in qs[:limit]]


def import_batch_by_status(*, batch_id: int) -> dict[str, int]:
    """The batch's certificates counted by status."""
    rows = (
        Certificate.objects.filter(import_batch_id=batch_id)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {r["status"]: r["n"] for r in rows}


def _requests(scope: StaffScope) -> QuerySet[RevocationRequest]:
    qs = RevocationRequest.objects.select_related("certificate")
    if not scope.head_office:
        qs = qs.filter(certificate__governorate_code__in=scope.governorate_codes)
    return qs


def revocation_request_list(
    *, scope: StaffScope, open_only: bool = True, limit: int = 200
) -> list[RevocationRequestData]:
    """Revocations awaiting a second person (oldest first)."""
    qs = _requests(scope)
    if open_only:
        qs = qs.filter(status=RevocationStatus.REQUESTED)
    return [revocation_request_data(r) for r in qs.order_by("requested_at")[:limit]]


def revocation_request_count(*, scope: StaffScope, exclude_user_id: int | None) -> int:
    """Requests this person may confirm (not their own): the menu badge."""
    qs = _requests(scope).filter(status=RevocationStatus.REQUESTED)
    if exclude_user_id is not None:
        qs = qs.exclude(requested_by_id=exclude_user_id)
    return qs.count()


def revocation_request_get(
    *, request_id: int, scope: StaffScope
) -> RevocationRequestData:
    found = _requests(scope).filter(pk=request_id).first()
    if found is None:
        raise NotFound(_("No such revocation request."), code="not_found")
    return revocation_request_data(found)


def certificate_pending_scoped(
    *, scope: StaffScope, limit: int = 200, ids: list[int] | None = None
) -> list[CertificateData]:
    """Certificates awaiting approval one by one (not in an import batch), of the
    scope's directorate, oldest first; only `ids` when given."""
    qs = Certificate.objects.select_related("occupation", "skill_level").filter(
        status=CertificateStatus.PENDING, import_batch__isnull=True
    )
    if not scope.head_office:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return [certificate_data(c) for c in qs.order_by("created_at")[:limit]]


def certificate_pending_scoped_count(*, scope: StaffScope) -> int:
    """The workplace badge, on every staff page: counted once per directorate, then
    cached until the registry changes (every change appends to the audit log, which
    moves the statistics' version)."""
    codes = None if scope.head_office else sorted(scope.governorate_codes)
    key = statistics_cache_key({"badge": "pending", "governorates": codes})
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    qs = Certificate.objects.filter(
        Q(status=CertificateStatus.PENDING) & Q(import_batch__isnull=True)
    )
    if codes is not None:
        qs = qs.filter(governorate_code__in=codes)
    count = qs.count()
    cache.set(key, count, STATS_TTL_S)
    return count
