"""Paper-era records by the batch: the registry import writes through here.

A batch is upserted keyed by national ID + occupation + level + issue date (a unique
constraint), in one transaction with one audit entry (row count, counts and a SHA-256
of the batch's rows), so re-running a file changes nothing. On PostgreSQL via COPY
into a temporary table and one INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT
FROM; elsewhere via bulk_create / bulk_update. Only paper-era records are ever updated.
Imported records are `issued` (the ministry issued them on paper).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from registry.audit import audit_append
from registry.audit_state import STATE_FIELDS, state_digest
from registry.cache import verification_cache_clear_many
from registry.data import BulkWriteData, PaperRecord
from registry.models import Certificate, CertificateSource, CertificateStatus
from registry.serials import serials_generate
from registry.services.bulk_state import RETURNING_SQL, BatchWrite

# A fresh serial may collide with an existing one (1 in ~10^14 per pair): draw again.
_SERIAL_ATTEMPTS = 3
_EVIDENCE = {"paper_era": True}
_TEXT_FIELDS = ("full_name_ar", "full_name_en", "issuing_directorate", "legacy_number")


def certificates_bulk_upsert(
    *,
    records: Sequence[PaperRecord],
    actor_id: int | None,
    label: str,
    batch: int,
) -> BulkWriteData:
    """Insert the new records of one batch and update the paper-era ones whose texts
    changed; a record given twice counts once, the later one winning.

    `records` must be valid (the import's row checks: registry.importer.rows)."""
    unique = list({(r[0], r[6], r[7], r[9]): r for r in records}.values())
    for attempt in range(_SERIAL_ATTEMPTS):
        try:
            with transaction.atomic():
                audit = BatchWrite(status=CertificateStatus.ISSUED)
                if connection.vendor == "postgresql":
                    inserted, updated = _upsert_postgres(unique, actor_id, audit)
                else:
                    inserted, updated = _upsert_generic(unique, actor_id, audit)
                # Last, so the chain's lock is held only for the commit.
                audit_append(
                    action="import.batch",
                    actor_id=actor_id,
                    object_ref=label[:60],
                    data={
                        "batch": batch,
                        "rows": len(unique),
                        "inserted": inserted,
                        "updated": len(updated),
                        "sha256": _digest(unique),
                        **audit.audit_data(),
                    },
                )
            break
        except IntegrityError:
            if attempt == _SERIAL_ATTEMPTS - 1:
                raise
    verification_cache_clear_many(serials=updated)
    return BulkWriteData(
        inserted=inserted,
        updated=len(updated),
        unchanged=len(records) - inserted - len(updated),
    )


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
# One statement per batch; it answers with one row: (inserted, [updated serials],
# [inserted serials], [updated rows' digests], [their audit_ref:digest before]).
_UPSERT_SQL = f"""
WITH upserted AS (
INSERT INTO registry_certificate (
    serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, source, evidence, status, created_by_id, approved_by_id,
    approved_at, revocation_reason, created_at, updated_at, audit_ref)
SELECT serial, national_id, full_name_ar, full_name_en, birth_date, gender,
    governorate_code, occupation_id, skill_level_id, issuing_directorate, issue_date,
    legacy_number, %(source)s, %(evidence)s::jsonb, %(status)s, %(actor)s, %(actor)s,
    %(now)s, '', %(now)s, %(now)s, %(stamp)s
FROM registry_import_stage
ON CONFLICT (national_id, occupation_id, skill_level_id, issue_date) DO UPDATE SET
    full_name_ar = EXCLUDED.full_name_ar,
    full_name_en = EXCLUDED.full_name_en,
    issuing_directorate = EXCLUDED.issuing_directorate,
    legacy_number = EXCLUDED.legacy_number,
    updated_at = EXCLUDED.updated_at,
    audit_ref = EXCLUDED.audit_ref
WHERE registry_certificate.source = %(source)s
  AND (registry_certificate.full_name_ar, registry_certificate.full_name_en,
       registry_certificate.issuing_directorate, registry_certificate.legacy_number)
      IS DISTINCT FROM
      (EXCLUDED.full_name_ar, EXCLUDED.full_name_en, EXCLUDED.issuing_directorate,
       EXCLUDED.legacy_number)
RETURNING {RETURNING_SQL}
)
SELECT count(*) FILTER (WHERE inserted),
       coalesce(array_agg(serial) FILTER (WHERE NOT inserted), '{{}}'),
       coalesce(array_agg(serial) FILTER (WHERE inserted), '{{}}'),
       coalesce(array_agg(digest) FILTER (WHERE NOT inserted), '{{}}'),
       coalesce(array_agg(before) FILTER (WHERE NOT inserted), '{{}}')
FROM upserted
"""
# COPY's text format: backslash, tab, newline and carriage return are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_lines(rows: list[PaperRecord], serials: list[str]) -> str:
    """The batch as COPY text, a fresh serial first on every line."""
    esc = _COPY_ESCAPES
    return "".join(
        [
            f"{serial}\t{r[0]}\t{r[1].translate(esc)}\t{r[2].translate(esc)}"
            f"\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8].translate(esc)}"
            f"\t{r[9]}\t{r[10].translate(esc)}\n"
            for serial, r in zip(serials, rows, strict=True)
        ]
    )


def _upsert_postgres(
    rows: list[PaperRecord], actor_id: int | None, audit: BatchWrite
) -> tuple[int, list[str]]:
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
            _UPSERT_SQL,
            {
                "source": CertificateSource.PAPER_IMPORT,
                "evidence": '{"paper_era": true}',
                "status": CertificateStatus.ISSUED,
                "actor": actor_id,
                "now": timezone.now(),
                "stamp": audit.stamp,
            },
        )
        inserted, updated, fresh, digests, before = cursor.fetchone()
    audit.inserted(fresh, dict(zip(serials, rows, strict=True)))
    audit.written(digests)
    audit.took_over(before)
    return inserted, list(updated)


def _upsert_generic(
    rows: list[PaperRecord], actor_id: int | None, audit: BatchWrite
) -> tuple[int, list[str]]:
    existing = {
        (c.national_id, c.occupation_id, c.skill_level_id, c.issue_date): c
        for c in Certificate.objects.filter(national_id__in={r[0] for r in rows}).only(
            "id",
            "serial",
            "national_id",
            "occupation_id",
            "skill_level_id",
            "issue_date",
            "source",
            "audit_ref",
            *STATE_FIELDS,
            *_TEXT_FIELDS,
        )
    }
    now = timezone.now()
    fresh_rows = [r for r in rows if (r[0], r[6], r[7], r[9]) not in existing]
    new = [
        Certificate(
            serial=serial,
            **PaperRecord(*r)._asdict(),
            source=CertificateSource.PAPER_IMPORT,
            evidence=dict(_EVIDENCE),
            status=CertificateStatus.ISSUED,
            created_by_id=actor_id,
            approved_by_id=actor_id,
            approved_at=now,
            audit_ref=audit.stamp,
        )
        for serial, r in zip(serials_generate(len(fresh_rows)), fresh_rows, strict=True)
    ]
    changed = []
    for r in rows:
        current = existing.get((r[0], r[6], r[7], r[9]))
        if current is None or current.source != CertificateSource.PAPER_IMPORT:
            continue
        fresh = (r[1], r[2], r[8], r[10])
        if fresh != tuple(getattr(current, f) for f in _TEXT_FIELDS):
            audit.took_over([f"{current.audit_ref}:{state_digest(current)}"])
            current.audit_ref = audit.stamp
            for name, value in zip(_TEXT_FIELDS, fresh, strict=True):
                setattr(current, name, value)
            current.updated_at = now
            changed.append(current)
    Certificate.objects.bulk_create(new, batch_size=2000)
    Certificate.objects.bulk_update(
        changed, [*_TEXT_FIELDS, "updated_at", "audit_ref"], batch_size=2000
    )
    audit.written_rows([*new, *changed])
    return len(new), [c.serial for c in changed]
