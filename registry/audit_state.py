"""Certificates bound to the audit chain: every row names the entry that last changed
it, and that entry records the state it set, so a change made behind the services'
back (a direct SQL `pending → issued`) no longer matches the chain.

A row's state digest is SHA-256 over its trust-relevant fields (`STATE_FIELDS`). An
entry commits to the set of rows it wrote as a count and the sum of their digests
(mod 2**256): one row for a single change, a whole batch for the import. The row
carries the entry's `entry_hash` (single changes), or the random `stamp` its batch
entry records: a batch's rows are written before the chain's lock is taken (so two
writers overlap), and rewriting them afterwards with the entry's hash cost ~47 s a
million rows, measured. When a later entry changes a row it records what it
replaces (the row's previous reference and digest), so each entry's books balance:
rows still pointing at it + rows that left it = what it recorded.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from registry.models import AuditEntry, Certificate

MOD = 2**256
_SEP = "\x1f"
# What verification and the PDF vouch for; the order is part of the digest.
STATE_FIELDS = (
    "serial",
    "status",
    "national_id",
    "full_name_ar",
    "full_name_en",
    "birth_date",
    "occupation_id",
    "skill_level_id",
    "issue_date",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def state_digest_of(values: Iterable[Any]) -> str:
    """SHA-256 of one row's STATE_FIELDS values, in that order (the reference)."""
    text = _SEP.join(_text(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def state_digest(cert: Certificate) -> str:
    return state_digest_of(getattr(cert, name) for name in STATE_FIELDS)


def state_digest_sql(alias: str) -> str:
    """The same digest computed by PostgreSQL for the row named `alias`."""
    c = alias
    return (
        f"encode(sha256(convert_to(concat_ws(E'\\x1f', {c}.serial, {c}.status,"
        f" {c}.national_id, {c}.full_name_ar, {c}.full_name_en,"
        f" to_char({c}.birth_date, 'YYYY-MM-DD'), {c}.occupation_id::text,"
        f" {c}.skill_level_id::text,"
        f" coalesce(to_char({c}.issue_date, 'YYYY-MM-DD'), '')), 'UTF8')), 'hex')"
    )


@dataclass
class RowSet:
    """A multiset of row digests: a count and the digests' sum mod 2**256."""

    count: int = 0
    total: int = 0

    def add(self, digest: str) -> None:
        self.count += 1
        self.total = (self.total + int(digest, 16)) % MOD

    def merge(self, other: RowSet) -> None:
        self.count += other.count
        self.total = (self.total + other.total) % MOD

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "sum": f"{self.total:064x}"}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> RowSet:
        return cls(count=int(value["count"]), total=int(value["sum"], 16))


@dataclass
class Replaced:
    """What a write takes over from earlier entries: previous reference → rows."""

    by_ref: dict[str, RowSet] = field(default_factory=dict)

    def add(self, ref: str, digest: str) -> None:
        if ref:  # a row from before the binding existed has nothing to give back
            self.by_ref.setdefault(ref, RowSet()).add(digest)

    def as_json(self) -> dict[str, Any]:
        return {ref: rows.as_json() for ref, rows in sorted(self.by_ref.items())}


def new_stamp() -> str:
    """A batch's reference, drawn before its rows are written."""
    return secrets.token_hex(32)


def single_state(cert: Certificate, *, previous_ref: str, previous_digest: str) -> dict:
    """The audit data a change to one certificate records (merged into its data)."""
    rows = RowSet()
    rows.add(state_digest(cert))
    replaced = Replaced()
    replaced.add(previous_ref, previous_digest)
    return {
        "state": {"serial": cert.serial, "status": cert.status, **rows.as_json()},
        "replaces": replaced.as_json(),
    }


def batch_state(*, stamp: str, status: str, rows: RowSet, replaced: Replaced) -> dict:
    """The audit data of a batch write (merged into the batch entry's data)."""
    return {
        "state": {"stamp": stamp, "status": status, **rows.as_json()},
        "replaces": replaced.as_json(),
    }


def certificate_audit_bind(*, certificate_id: int, entry: AuditEntry) -> None:
    """Point one certificate at the single-change entry that recorded its state."""
    Certificate.objects.filter(pk=certificate_id).update(audit_ref=entry.entry_hash)


# --- verification -----------------------------------------------------------------


@dataclass(frozen=True)
class StateProblem:
    seq: int | None
    reason: str


@dataclass
class _Commitment:
    seq: int
    recorded: RowSet
    serial: str = ""
    status: str = ""
    current: RowSet = field(default_factory=RowSet)
    left: RowSet = field(default_factory=RowSet)


def _commitments() -> tuple[dict[str, _Commitment], list[tuple[int, dict]]]:
    by_ref: dict[str, _Commitment] = {}
    replaces: list[tuple[int, dict]] = []
    entries = (
        AuditEntry.objects.filter(data__has_key="state")
        .order_by("seq")
        .values_list("seq", "entry_hash", "data")
    )
    for seq, entry_hash_, data in entries.iterator(chunk_size=2000):
        state = data["state"]
        ref = state.get("stamp") or entry_hash_
        by_ref[ref] = _Commitment(
            seq=seq,
            recorded=RowSet.from_json(state),
            serial=state.get("serial", ""),
            # A batch may also rewrite names of rows revoked since: its digest sum
            # covers their status; only a single change names the status it set.
            status="" if state.get("stamp") else state.get("status", ""),
        )
        if data.get("replaces"):
            replaces.append((seq, data["replaces"]))
    return by_ref, replaces


def certificate_rows(chunk_size: int = 5000) -> Iterator[tuple[str, str, str, str]]:
    """(serial, status, audit_ref, state digest) of every certificate, by id."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.serial, c.status, c.audit_ref, "
                f"{state_digest_sql('c')} FROM registry_certificate c ORDER BY c.id"
            )
            while rows := cursor.fetchmany(chunk_size):
                yield from rows
        return
    query = Certificate.objects.order_by("pk").values_list("audit_ref", *STATE_FIELDS)
    for ref, *values in query.iterator(chunk_size=chunk_size):
        yield values[0], values[1], ref, state_digest_of(values)


def certificates_verify() -> tuple[int, list[StateProblem]]:
    """Check every certificate row against the entry it names; (rows, problems)."""
    by_ref, replaces = _commitments()
    problems: list[StateProblem] = []
    checked = 0
    for serial, status, ref, digest in certificate_rows():
        checked += 1
        commitment = by_ref.get(ref) if ref else None
        if commitment is None:
            problems.append(
                StateProblem(
                    None,
                    f"certificate {serial} ({status}) names no audit entry"
                    + (" (its reference is unknown)" if ref else ""),
                )
            )
            continue
        if commitment.serial and commitment.serial != serial:
            problems.append(
                StateProblem(
                    commitment.seq,
                    f"certificate {serial} points at the entry of {commitment.serial}",
                )
            )
        elif commitment.status and commitment.status != status:
            problems.append(
                StateProblem(
                    commitment.seq,
                    f"certificate {serial} is {status} but its audit entry recorded "
                    f"{commitment.status}",
                )
            )
        commitment.current.add(digest)
    for seq, replaced in replaces:
        for ref, rows in replaced.items():
            earlier = by_ref.get(ref)
            if earlier is None:
                problems.append(
                    StateProblem(seq, "replaces rows of an unknown audit entry")
                )
                continue
            earlier.left.merge(RowSet.from_json(rows))
    for commitment in by_ref.values():
        balance = RowSet()
        balance.merge(commitment.current)
        balance.merge(commitment.left)
        if (balance.count, balance.total) != (
            commitment.recorded.count,
            commitment.recorded.total,
        ):
            what = commitment.serial or f"{commitment.recorded.count} rows"
            problems.append(
                StateProblem(
                    commitment.seq,
                    f"certificates written by this entry ({what}) do not match the "
                    f"state it recorded: {balance.count} rows found for "
                    f"{commitment.recorded.count} recorded, or their fields changed",
                )
            )
    return checked, problems
