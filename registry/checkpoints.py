"""Signed checkpoints of the audit chain's head, kept outside the database.

A hash chain alone cannot show that its last entries were deleted, that the table
was truncated, or that someone rewrote an entry and recomputed every hash after it.
A checkpoint (seq, head hash, entry count, time) signed with the registry's Ed25519
key and written to the `audit_checkpoints` storage (AUDIT_CHECKPOINT_DIR; another
disk or bucket than the database's) and published at /registry/audit/checkpoints.json
can: the chain must still reach every checkpoint's seq with the same hash.

Written by the periodic sweep (hook `maharat_periodic`) when the chain moved and the
newest checkpoint is AUDIT_CHECKPOINT_EVERY_S old, after checking the entries since
that checkpoint link onto it (a chain already broken is never vouched for).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

from registry.audit import GENESIS_HASH, canonical_json, entry_hash
from registry.models import AuditEntry
from registry.signing import key_id, private_key, public_key

STORAGE_ALIAS = "audit_checkpoints"
STATUS_NAME = "status.json"
_PREFIX = "checkpoint-"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str
    count: int
    created_at: str
    key_id: str
    signature: str
    name: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "head_hash": self.head_hash,
            "count": self.count,
            "created_at": self.created_at,
            "key_id": self.key_id,
        }

    def as_json(self) -> dict[str, Any]:
        return {**self.payload(), "signature": self.signature}

    def signature_ok(self) -> bool:
        try:
            public_key().verify(
                base64.urlsafe_b64decode(self.signature + "=="),
                canonical_json(self.payload()),
            )
        except (InvalidSignature, ValueError):
            return False
        return True


def storage() -> Storage:
    """The `audit_checkpoints` storage alias when STORAGES names one (a bucket),
    else a folder: AUDIT_CHECKPOINT_DIR."""
    if STORAGE_ALIAS in settings.STORAGES:
        return storages[STORAGE_ALIAS]
    return FileSystemStorage(location=settings.AUDIT_CHECKPOINT_DIR)


def _name(seq: int) -> str:
    return f"{_PREFIX}{seq:012d}.json"


def checkpoint_list(*, newest: int | None = None) -> list[Checkpoint]:
    """The checkpoints in the storage, oldest first (only the `newest` few when
    given: the page and the public list need no more); unreadable files are named."""
    store = storage()
    try:
        _dirs, files = store.listdir("")
    except FileNotFoundError:
        return []
    names = sorted(f for f in files if f.startswith(_PREFIX))
    found = []
    for name in names[-newest:] if newest else names:
        with store.open(name) as fh:
            raw = fh.read()
        try:
            body = json.loads(raw)
            found.append(Checkpoint(**body, name=name))
        except (ValueError, TypeError):
            found.append(Checkpoint(0, "", 0, "", "", "", name=name))
    return found


def _sign(payload: dict[str, Any]) -> str:
    raw = private_key().sign(canonical_json(payload))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _links_onto(last: Checkpoint | None, head: AuditEntry) -> str:
    """Empty when the entries after `last` up to `head` link onto it; else why not."""
    prev = last.head_hash if last else GENESIS_HASH
    after = last.seq if last else 0
    if last is not None:
        anchor = AuditEntry.objects.filter(seq=last.seq).first()
        if anchor is None or anchor.entry_hash != last.head_hash:
            return f"entry #{last.seq} no longer matches the last checkpoint"
    expected = after + 1
    query = AuditEntry.objects.filter(seq__gt=after, seq__lte=head.seq).order_by("seq")
    for entry in query.iterator(chunk_size=2000):
        if entry.seq != expected or entry.prev_hash != prev:
            return f"entry #{entry.seq} does not link onto the chain"
        if entry_hash(prev, entry) != entry.entry_hash:
            return f"entry #{entry.seq} does not match its hash"
        prev = entry.entry_hash
        expected += 1
    return ""


def audit_checkpoint_write(*, force: bool = False) -> Checkpoint | None:
    """Checkpoint the chain's head if it moved and the newest checkpoint is old
    enough (or `force`); None when nothing was due or the chain is broken."""
    head = AuditEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    existing = checkpoint_list(newest=1)
    last = existing[-1] if existing else None
    if last is not None and last.seq >= head.seq:
        return None
    if not force and last is not None:
        age = timezone.now() - dt.datetime.fromisoformat(last.created_at)
        if age.total_seconds() < settings.AUDIT_CHECKPOINT_EVERY_S:
            return None
    problem = _links_onto(last, head)
    now = timezone.now().astimezone(dt.UTC).isoformat()
    if problem:
        status_record(verified_seq=last.seq if last else 0, at=now, problem=problem)
        return None
    payload = {
        "seq": head.seq,
        "head_hash": head.entry_hash,
        "count": AuditEntry.objects.filter(seq__lte=head.seq).count(),
        "created_at": now,
        "key_id": key_id(),
    }
    checkpoint = Checkpoint(**payload, signature=_sign(payload), name=_name(head.seq))
    body = json.dumps(checkpoint.as_json(), indent=1).encode()
    storage().save(checkpoint.name, ContentFile(body))
    status_record(verified_seq=head.seq, at=now, problem="")
    return checkpoint


def status_record(*, verified_seq: int, at: str, problem: str) -> None:
    """The chain's last known state, for the staff page (written by the checkpoint
    job and by verify_audit_log)."""
    store = storage()
    body = json.dumps({"verified_seq": verified_seq, "at": at, "problem": problem})
    if store.exists(STATUS_NAME):
        store.delete(STATUS_NAME)
    store.save(STATUS_NAME, ContentFile(body.encode()))


def status_read() -> dict[str, Any] | None:
    store = storage()
    if not store.exists(STATUS_NAME):
        return None
    with store.open(STATUS_NAME) as fh:
        return json.loads(fh.read())


@dataclass(frozen=True)
class CheckpointProblem:
    seq: int
    reason: str


def checkpoints_verify() -> tuple[int, list[CheckpointProblem]]:
    """Every checkpoint against the chain as it is now: (checkpoints, problems)."""
    checkpoints = checkpoint_list()
    problems = []
    if not checkpoints:
        return 0, []
    hashes = dict(
        AuditEntry.objects.filter(seq__in=[c.seq for c in checkpoints]).values_list(
            "seq", "entry_hash"
        )
    )
    top = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    for cp in checkpoints:
        if not cp.signature_ok():
            problems.append(
                CheckpointProblem(cp.seq, f"checkpoint {cp.name} has a bad signature")
            )
            continue
        found = hashes.get(cp.seq)
        if found is None:
            problems.append(
                CheckpointProblem(
                    cp.seq,
                    f"the chain is shorter than the checkpoint of {cp.created_at}: "
                    f"it ends at #{top or 0} but entry #{cp.seq} was checkpointed "
                    "(entries deleted or the table truncated)",
                )
            )
        elif found != cp.head_hash:
            problems.append(
                CheckpointProblem(
                    cp.seq,
                    f"entry #{cp.seq} differs from the checkpoint of {cp.created_at}: "
                    "the chain was rewritten and its hashes recomputed",
                )
            )
        elif (
            cp is checkpoints[-1]  # one count: earlier ones follow from the links
            and AuditEntry.objects.filter(seq__lte=cp.seq).count() != cp.count
        ):
            problems.append(
                CheckpointProblem(
                    cp.seq,
                    f"the chain up to #{cp.seq} holds another number of entries than "
                    f"the checkpoint of {cp.created_at} ({cp.count})",
                )
            )
    return len(checkpoints), problems
