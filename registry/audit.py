"""The append-only, hash-chained audit log: append and verify."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from registry.cache import registry_changed
from registry.models import AuditEntry

GENESIS_HASH = "0" * 64
_LOCK_ID = 7_001_007  # pg_advisory_xact_lock key that serialises appends


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes on every machine."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def entry_body(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "object_ref": entry.object_ref,
        "data": entry.data,
    }


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(
        prev_hash.encode("ascii") + canonical_json(entry_body(entry))
    ).hexdigest()


def audit_append(
    *, action: str, actor_id: int | None, object_ref: str = "", data: dict | None = None
) -> AuditEntry:
    """Append one entry; call inside the transaction of the change it records.

    Every change to the registry passes here, so this also marks cached statistics
    stale: now (a reader during the transaction may cache the old counts under the
    new version...) and after commit (...which the second bump leaves behind)."""
    registry_changed()
    transaction.on_commit(registry_changed)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        last = AuditEntry.objects.order_by("-seq").only("seq", "entry_hash").first()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            action=action,
            object_ref=object_ref,
            data=json.loads(canonical_json(data or {})),
            prev_hash=last.entry_hash if last else GENESIS_HASH,
        )
        entry.entry_hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        return entry


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    reason: str


def audit_verify(*, chunk_size: int = 5000) -> tuple[int, AuditProblem | None]:
    """Walk the chain in order; return (entries checked, first problem or None)."""
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in _iterate(chunk_size):
        if entry.seq != expected_seq:
            return checked, AuditProblem(
                expected_seq, "missing entry (gap in sequence)"
            )
        if entry.prev_hash != prev:
            return checked, AuditProblem(entry.seq, "previous-hash link does not match")
        if entry_hash(prev, entry) != entry.entry_hash:
            return checked, AuditProblem(entry.seq, "content does not match its hash")
        prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    return checked, None


def _iterate(chunk_size: int) -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size)
