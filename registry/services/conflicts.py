"""Conflicts an import's rows meet: the same national ID under another name or birth
date in the registry, on the holder's account or earlier in the file, and a record
already in the registry with other details. Found when a chunk is written and again
when its batch is approved; listed on the batch for the reviewer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from lms.accounts.selectors import account_identities
from registry.data import PaperRecord
from registry.models import Certificate, CertificateStatus, ImportConflict

_MARKS = re.compile("[\u0640\u064b-\u065f\u200e\u200f\ufeff]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
CHECK_CHUNK = 10_000


def same_name(a: str, b: str) -> bool:
    """Names equal but for spacing, tatweel, marks and alef/yaa/taa variants."""
    return a == b or _name_key(a) == _name_key(b)


def _name_key(name: str) -> str:
    text = _MARKS.sub("", name or "").translate(_LETTERS).lower()
    return " ".join(text.split())


@dataclass(frozen=True)
class ConflictFound:
    kind: str
    row: int
    national_id: str
    key: tuple | None  # the record's key, to find its pending certificate
    imported: str
    known: str
    known_ref: str = ""


_EXISTING = (
    "id",
    "serial",
    "national_id",
    "occupation_id",
    "skill_level_id",
    "issue_date",
    "full_name_ar",
    "full_name_en",
    "birth_date",
    "import_batch_id",
    "issuing_directorate",
    "legacy_number",
)


def _existing(nids: list[str]) -> list[tuple]:
    """The registry's certificates of these national IDs (the _EXISTING columns).

    On PostgreSQL one array parameter: ten thousand IN placeholders cost the client
    more time to build than the server to answer."""
    if connection.vendor != "postgresql":
        return list(
            Certificate.objects.filter(national_id__in=nids).values_list(*_EXISTING)
        )
    table = Certificate._meta.db_table
    columns = ", ".join(_EXISTING)  # the column names themselves
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE national_id = ANY(%s)", [nids]
        )
        return cursor.fetchall()


def batch_conflicts(
    *, records: Sequence[PaperRecord], numbers: Sequence[int], import_batch_id: int
) -> tuple[list[ConflictFound], set[tuple]]:
    """(the conflicts of a chunk about to be written, the keys already in the
    registry: those rows are not written again)."""
    nids = {r[0] for r in records}
    by_key: dict[tuple, tuple] = {}
    by_nid: dict[str, list[tuple]] = {}
    for row in _existing(list(nids)):
        by_key[(row[2], row[3], row[4], row[5])] = row
        by_nid.setdefault(row[2], []).append(row)
    accounts = account_identities(national_ids=nids)
    found: list[ConflictFound] = []
    first: dict[str, tuple[str, int]] = {}
    # Per row, the common case (a holder the registry and the accounts do not know)
    # costs a few dictionary look-ups: this runs for every row of a million.
    for record, number in zip(records, numbers, strict=True):
        nid, name = record[0], record[1]
        key = (nid, record[6], record[7], record[9])
        existing = by_key.get(key) if by_key else None
        if existing is not None:
            same = (existing[6], existing[7], existing[10], existing[11]) == (
                record[1],
                record[2],
                record[8],
                record[10],
            )
            if not same and existing[9] != import_batch_id:
                found.append(
                    ConflictFound(
                        "record_differs",
                        number,
                        nid,
                        None,
                        name,
                        existing[6],
                        existing[1],
                    )
                )
            continue
        if nid in by_nid or nid in accounts:
            found.extend(_against_known(record, number, by_nid.get(nid, ()), accounts))
        seen = first.setdefault(nid, (name, number))
        if seen[0] != name and not same_name(seen[0], name):
            found.append(
                ConflictFound(
                    "file_name", number, nid, key, name, seen[0], f"#{seen[1]}"
                )
            )
    return found, set(by_key)


def _against_known(
    record: PaperRecord, number: int, others: Iterable[tuple], accounts: dict
) -> list[ConflictFound]:
    nid, name, born, key = record[0], record[1], record[3], record.key()
    found = []
    for other in others:
        if not same_name(other[6], name):
            found.append(
                ConflictFound(
                    "registry_name", number, nid, key, name, other[6], other[1]
                )
            )
            break
    for other in others:
        if other[8] != born:
            found.append(
                ConflictFound(
                    "registry_birth",
                    number,
                    nid,
                    key,
                    str(born),
                    str(other[8]),
                    other[1],
                )
            )
            break
    account = accounts.get(nid)
    if account is not None:
        if account.full_name_ar and not same_name(account.full_name_ar, name):
            found.append(
                ConflictFound(
                    "account_name", number, nid, key, name, account.full_name_ar
                )
            )
        if account.birth_date and account.birth_date != born:
            found.append(
                ConflictFound(
                    "account_birth",
                    number,
                    nid,
                    key,
                    str(born),
                    str(account.birth_date),
                )
            )
    return found


def conflicts_save(*, import_batch_id: int, found: Sequence[ConflictFound]) -> None:
    """Record a chunk's conflicts (after its certificates were inserted)."""
    if not found:
        return
    keyed = {c.national_id for c in found if c.key is not None}
    ids = {
        (row[1], row[2], row[3], row[4]): row[0]
        for row in Certificate.objects.filter(
            import_batch_id=import_batch_id, national_id__in=keyed
        ).values_list(
            "id", "national_id", "occupation_id", "skill_level_id", "issue_date"
        )
    }
    ImportConflict.objects.bulk_create(
        [
            ImportConflict(
                batch_id=import_batch_id,
                certificate_id=ids.get(c.key) if c.key is not None else None,
                row=c.row or None,
                kind=c.kind,
                imported=c.imported[:150],
                known=c.known[:150],
                known_ref=c.known_ref[:20],
            )
            for c in found
        ]
    )


def batch_conflicts_recheck(*, import_batch_id: int) -> int:
    """At approval: look again at the batch's pending certificates against the
    registry and the accounts as they are now; record and count the new conflicts."""
    recorded = set(
        ImportConflict.objects.filter(
            batch_id=import_batch_id, certificate__isnull=False
        ).values_list("certificate_id", "kind")
    )
    pending = (
        Certificate.objects.filter(
            import_batch_id=import_batch_id, status=CertificateStatus.PENDING
        )
        .values_list("id", "national_id", "full_name_ar", "birth_date")
        .iterator(chunk_size=CHECK_CHUNK)
    )
    new: list[ImportConflict] = []
    chunk: list[tuple] = []
    for row in pending:  # one pass (a query per chunk would re-read the batch)
        chunk.append(row)
        if len(chunk) == CHECK_CHUNK:
            new.extend(_recheck_chunk(import_batch_id, chunk, recorded))
            chunk = []
    if chunk:
        new.extend(_recheck_chunk(import_batch_id, chunk, recorded))
    ImportConflict.objects.bulk_create(new)
    return len(new)


def _recheck_chunk(
    import_batch_id: int, chunk: list[tuple], recorded: set[tuple]
) -> list[ImportConflict]:
    nids = {row[1] for row in chunk}
    others: dict[str, list[tuple[str, dt.date, str]]] = {}
    for row in _existing(list(nids)):
        if row[9] != import_batch_id:
            others.setdefault(row[2], []).append((row[6], row[8], row[1]))
    accounts = account_identities(national_ids=nids)
    new = []

    def add(cert_id: int, kind: str, imported: str, known: str, ref: str = "") -> None:
        if (cert_id, kind) not in recorded:
            recorded.add((cert_id, kind))
            new.append(
                ImportConflict(
                    batch_id=import_batch_id,
                    certificate_id=cert_id,
                    kind=kind,
                    imported=imported[:150],
                    known=known[:150],
                    known_ref=ref[:20],
                )
            )

    for cert_id, nid, name, born in chunk:
        for other_name, other_born, serial in others.get(nid, ()):
            if not same_name(other_name, name):
                add(cert_id, "registry_name", name, other_name, serial)
            if other_born != born:
                add(cert_id, "registry_birth", str(born), str(other_born), serial)
        account = accounts.get(nid)
        if account is not None:
            if account.full_name_ar and not same_name(account.full_name_ar, name):
                add(cert_id, "account_name", name, account.full_name_ar)
            if account.birth_date and account.birth_date != born:
                add(cert_id, "account_birth", str(born), str(account.birth_date))
    return new
