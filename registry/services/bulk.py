"""Paper-era records by the batch: the registry import writes through here.

Every record goes in *pending*, tied to its import's batch (registry.review_models):
nothing an import writes is valid before a second staff member approves the batch
(services.batches). A batch of rows is inserted keyed by national ID + occupation +
level + issue date (a unique constraint) in one transaction with one audit entry (row
count, counts and a SHA-256 of the rows); a record already in the registry is never
overwritten: the same details count as unchanged (so re-running a file changes
nothing), other details are a conflict listed for the reviewer, as is a national ID
the registry or the holder's account knows under another name or birth date. On
PostgreSQL via COPY into a temporary table and one INSERT ... ON CONFLICT DO NOTHING;
elsewhere via bulk_create. Every row carries the batch's audit stamp and the entry
records the digests of the rows it wrote (registry/audit_state.py), so a row changed
behind the services' back no longer matches the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from registry.audit import audit_append
from registry.data import BulkWriteData, PaperRecord
from registry.models import Certificate, CertificateSource, CertificateStatus
from registry.serials import serials_generate
from registry.services.bulk_state import BatchWrite
from registry.services.conflicts import ConflictFound, batch_conflicts, conflicts_save

# A fresh serial may collide with an existing one (1 in ~10^14 per pair): draw again.
_SERIAL_ATTEMPTS = 3
_EVIDENCE = {"paper_era": True}


def certificates_bulk_upsert(
    *,
    records: Sequence[PaperRecord],
    actor_id: int | None,
    label: str,
    batch: int,
    import_batch_id: int,
    rows: Sequence[int] | None = None,
) -> BulkWriteData:
    """Insert one chunk of an import as pending certificates of `import_batch_id`;
    list its conflicts on the batch. `rows` are the records' row numbers in the file.

    `records` must be valid and their keys distinct (the import's row checks,
    registry.importer)."""
    numbers = list(rows) if rows is not None else [0] * len(records)
    for attempt in range(_SERIAL_ATTEMPTS):
        try:
            with transaction.atomic():
                found, known = batch_conflicts(
                    records=records, numbers=numbers, import_batch_id=import_batch_id
                )
                fresh = [r for r in records if r.key() not in known]
                audit = BatchWrite(status=CertificateStatus.PENDING)
                if connection.vendor == "postgresql":
                    inserted = _insert_postgres(fresh, actor_id, import_batch_id, audit)
                else:
                    inserted = _insert_generic(fresh, actor_id, import_batch_id, audit)
                conflicts_save(import_batch_id=import_batch_id, found=found)
                # Last, so the chain's lock is held only for the commit.
                audit_append(
                    action="import.batch",
                    actor_id=actor_id,
                    object_ref=label[:60],
                    data={
                        "import_batch": import_batch_id,
                        "batch": batch,
                        "rows": len(records),
                        "inserted_pending": inserted,
                        "conflicts": len(found),
                        "sha256": _digest(fresh),
                        **audit.audit_data(),
                    },
                )
            break
        except IntegrityError:
            if attempt == _SERIAL_ATTEMPTS - 1:
                raise
    return BulkWriteData(
        inserted=inserted,
        updated=0,
        unchanged=len(records) - inserted - _differing(found),
        conflicts=len(found),
    )


def _differing(found: Sequence[ConflictFound]) -> int:
    """Records not written because the registry holds them with other details."""
    return sum(1 for c in found if c.kind == "record_differs")


# After a bulk load the planner's statistics describe the old table until autovacuum
# gets round to it; meanwhile it guessed ~5,000 rows for "occupation = X" among a
# million new ones and the API's filtered list pages took 300 ms instead of 12 ms.
def certificates_planner_refresh() -> None:
    """Refresh PostgreSQL's statistics of the certificates table (after a bulk load;
    outside a transaction only: elsewhere nothing to do)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Certificate._meta.db_table}")


def _digest(rows: list[PaperRecord]) -> str:
    """SHA-256 of a batch's validated rows (what the audit entry vouches for)."""
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r[0]}|{r[6]}|{r[7]}|{r[9]}|{r[1]}|{r[2]}|{r[8]}|{r[10]}\n".encode())
    return h.hexdigest()


_STAGE_COLUMNS = (
    "serial",
    "national_id",
    "full_name_ar",
    "full_name_en",
    "birth_date",
    "gender",
    "governorate_code",
    "occupation_id",
    "skill_level_id",
    "issuing_directorate",
    "issue_date",
    "legacy_number",
)
_STAGE_TABLE_SQL = (
    "CREATE TEMP TABLE IF NOT EXISTS registry_import_stage ("
    "serial text, national_id text, full_name_ar text, full_name_en text,"
    " birth_date date, gender text, governorate_code text,"
    " occupation_id bigint, skill_level_id bigint,"
    " issuing_directorate text, issue_date date, legacy_number text)"
    " ON COMMIT DELETE ROWS"
)
# One statement per batch; it answers with the serials it inserted (a record already
# in the registry was sorted out before: only a concurrent insert meets it).
_INSERT_SQL = """
WITH inserted AS (
INSERT INTO registry_certificate (
    serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, source, evidence, status, created_by_id, import_batch_id,
    revocation_reason, created_at, updated_at, audit_ref)
SELECT serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, %(source)s, %(evidence)s::jsonb, %(status)s, %(actor)s, %(batch)s,
    '', %(now)s, %(now)s, %(stamp)s
FROM registry_import_stage
ON CONFLICT (national_id, occupation_id, skill_level_id, issue_date) DO NOTHING
RETURNING serial
)
SELECT coalesce(array_agg(serial), '{}') FROM inserted
"""
# COPY's text format: backslash, tab, newline and carriage return are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_lines(rows: list[PaperRecord], serials: list[str]) -> str:
    """The batch as COPY text, its fresh serial first on every line."""
    esc = _COPY_ESCAPES
    return "".join(
        [
            f"{serial}\t{r[0]}\t{r[1].translate(esc)}\t{r[2].translate(esc)}"
            f"\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8].translate(esc)}"
            f"\t{r[9]}\t{r[10].translate(esc)}\n"
            for serial, r in zip(serials, rows, strict=True)
        ]
    )


def _insert_postgres(
    rows: list[PaperRecord],
    actor_id: int | None,
    import_batch_id: int,
    audit: BatchWrite,
) -> int:
    if not rows:
        return 0
    serials = serials_generate(len(rows))
    with connection.cursor() as cursor:
        cursor.execute(_STAGE_TABLE_SQL)
        # Foreign keys checked by the INSERT itself, not at commit: a concurrent
        # writer waits for the audit chain's lock only while this one commits.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raw = cursor.cursor  # psycopg 3 cursor for COPY
        with raw.copy(
            f"COPY registry_import_stage ({', '.join(_STAGE_COLUMNS)}) FROM STDIN"
        ) as copy:
            copy.write(_copy_lines(rows, serials))
        cursor.execute(
            _INSERT_SQL,
            {
                "source": CertificateSource.PAPER_IMPORT,
                "evidence": '{"paper_era": true}',
                "status": CertificateStatus.PENDING,
                "actor": actor_id,
                "batch": import_batch_id,
                "now": timezone.now(),
                "stamp": audit.stamp,
            },
        )
        (inserted,) = cursor.fetchone()
    audit.inserted(list(inserted), dict(zip(serials, rows, strict=True)))
    return len(inserted)


def _insert_generic(
    rows: list[PaperRecord],
    actor_id: int | None,
    import_batch_id: int,
    audit: BatchWrite,
) -> int:
    new = [
        Certificate(
            serial=serial,
            **PaperRecord(*r)._asdict(),
            source=CertificateSource.PAPER_IMPORT,
            evidence=dict(_EVIDENCE),
            status=CertificateStatus.PENDING,
            created_by_id=actor_id,
            import_batch_id=import_batch_id,
            audit_ref=audit.stamp,
        )
        for serial, r in zip(serials_generate(len(rows)), rows, strict=True)
    ]
    Certificate.objects.bulk_create(new, batch_size=2000)
    audit.written_rows(new)
    return len(new)
