"""The audit log for staff: filtered pages, the same query for the export, the
chain's state, and the published checkpoints. Scoped: a directorate sees the
entries about its governorate's certificates; the head office sees all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from lms.accounts.data import StaffScope
from registry.audit_data import (
    AuditChainStateData,
    AuditCheckpointData,
    AuditEntryData,
    AuditFilters,
    AuditPageData,
)
from registry.checkpoints import Checkpoint, checkpoint_list, status_read
from registry.models import AuditEntry, Certificate
from registry.serials import serial_display

AUDIT_PAGE_SIZE = 50
_SUMMARY_KEYS = ("status", "reason", "rows", "inserted", "updated", "batch")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries_filtered(
    *, filters: AuditFilters, scope: StaffScope
) -> QuerySet[AuditEntry]:
    """Newest first; every filter and the scope in the query itself."""
    qs = AuditEntry.objects.order_by("-seq")
    if not scope.head_office:
        serials = Certificate.objects.filter(
            governorate_code__in=sorted(scope.governorate_codes)
        ).values("serial")
        qs = qs.filter(object_ref__in=serials)
    if filters.actor_id is not None:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.serial:
        qs = qs.filter(object_ref=filters.serial)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(1)))
    return qs


def _summary(data: dict) -> str:
    parts = [f"{k}={data[k]}" for k in _SUMMARY_KEYS if k in data]
    return ", ".join(parts)


def _entry_data(entry: AuditEntry) -> AuditEntryData:
    state = entry.data.get("state") or {}
    is_certificate = bool(state.get("serial")) or entry.action.startswith(
        "certificate."
    )
    return AuditEntryData(
        seq=entry.seq,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        action=entry.action,
        object_ref=entry.object_ref,
        serial_display=serial_display(entry.object_ref)
        if is_certificate and len(entry.object_ref) == 11
        else "",
        summary=_summary(entry.data),
        entry_hash=entry.entry_hash,
    )


def audit_entry_page(
    *,
    filters: AuditFilters,
    scope: StaffScope,
    before: int | None = None,
    size: int = AUDIT_PAGE_SIZE,
) -> AuditPageData:
    """One page, newest first, by keyset on seq (`before`: the seq to go below)."""
    qs = audit_entries_filtered(filters=filters, scope=scope)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: size + 1])
    entries = tuple(_entry_data(e) for e in rows[:size])
    return AuditPageData(
        entries=entries,
        next_before=entries[-1].seq if len(rows) > size else None,
    )


def audit_entries_export(
    *, filters: AuditFilters, scope: StaffScope
) -> Iterator[AuditEntryData]:
    """Every entry of exactly the page's query (no page limit), newest first."""
    qs = audit_entries_filtered(filters=filters, scope=scope)
    for entry in qs.iterator(chunk_size=2000):
        yield _entry_data(entry)


def audit_actions() -> list[str]:
    """The actions the log holds (the filter's choices)."""
    return sorted(set(AuditEntry.objects.values_list("action", flat=True).distinct()))


def _checkpoint_data(cp: Checkpoint) -> AuditCheckpointData:
    return AuditCheckpointData(
        seq=cp.seq,
        head_hash=cp.head_hash,
        count=cp.count,
        created_at=cp.created_at,
        key_id=cp.key_id,
        signature=cp.signature,
    )


def audit_checkpoints_published(*, limit: int = 100) -> list[AuditCheckpointData]:
    """The newest checkpoints, newest first (the public list)."""
    return [_checkpoint_data(cp) for cp in reversed(checkpoint_list(newest=limit))]


def audit_chain_state() -> AuditChainStateData:
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    status = status_read() or {}
    checkpoints = checkpoint_list(newest=1)
    return AuditChainStateData(
        head_seq=head or 0,
        verified_seq=status.get("verified_seq"),
        verified_at=status.get("at", ""),
        problem=status.get("problem", ""),
        last_checkpoint=_checkpoint_data(checkpoints[-1]) if checkpoints else None,
    )
