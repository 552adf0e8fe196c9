"""What the registry's audit pages read: the log's filters and entries, the chain's
state and its signed checkpoints (frozen; built by registry.selectors.audit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditFilters:
    """The audit log's validated filters (each optional)."""

    actor_id: int | None = None
    action: str = ""
    serial: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class AuditEntryData:
    seq: int
    created_at: dt.datetime
    actor_id: int | None
    action: str
    object_ref: str
    serial_display: str  # the certificate's serial when the entry is about one
    summary: str  # the entry's data, short (never a national ID: only its hash)
    entry_hash: str


@dataclass(frozen=True)
class AuditPageData:
    entries: tuple[AuditEntryData, ...]
    next_before: int | None  # seq to pass as `before` for the next (older) page


@dataclass(frozen=True)
class AuditCheckpointData:
    seq: int
    head_hash: str
    count: int
    created_at: str
    key_id: str
    signature: str


@dataclass(frozen=True)
class AuditChainStateData:
    """What staff see of the chain: the head, the last verification, checkpoints."""

    head_seq: int
    verified_seq: int | None
    verified_at: str
    problem: str
    last_checkpoint: AuditCheckpointData | None
