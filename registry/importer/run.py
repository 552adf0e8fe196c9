"""One import: read, check, write through the registry services, report rejections."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from django.db import connection

from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden
from registry.data import BulkWriteData, PaperRecord
from registry.importer.reading import ImportFileError, file_errors, open_rows
from registry.importer.rows import REASONS, Rejection, RowValidator
from registry.importer.writers import Batch, WriterPool
from registry.services import (
    certificates_bulk_upsert,
    certificates_planner_refresh,
    import_batch_close,
    import_batch_open,
)

BATCH_SIZE = 10_000
# PostgreSQL connections upserting batches side by side (0: write in the caller).
WRITER_THREADS = 2
MAX_STORED_REJECTIONS = 1000
# An import that wrote this many records refreshes the planner's statistics.
ANALYZE_AFTER_ROWS = 10_000


@dataclass
class ImportResult:
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    conflicts: int = 0
    import_batch_id: int | None = None
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def good(self) -> int:
        return self.inserted + self.updated + self.unchanged


def import_file(
    path: Path,
    *,
    actor_id: int | None = None,
    job_id: int | None = None,
    name: str | None = None,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITER_THREADS,
    on_progress: Callable[[ImportResult, int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> ImportResult:
    """Import one file as a batch of pending certificates awaiting a second staff
    member's review; raise ImportFileError only when the file itself is unusable
    (before any row is read: its header names unknown or lacks required columns)."""
    with file_errors():
        estimated, columns, rows = open_rows(path)
    validate = RowValidator(
        columns, governorates_allowed=_allowed_governorates(actor_id)
    ).validate
    shown = name or path.name  # the upload's own name, not its storage copy's
    label = f"import:{shown}"
    import_batch_id = import_batch_open(
        label=shown, created_by_id=actor_id, job_id=job_id
    ).id
    result = ImportResult(import_batch_id=import_batch_id)
    batch: list[PaperRecord] = []
    batch_rows: list[int] = []
    numbers = itertools.count(1)
    # The first row of each record key: a later row with the same key is refused.
    # Hashes, not keys: a million keys as tuples would take a quarter of a gigabyte.
    first_rows: dict[int, int] = {}

    def write(ready: Batch) -> BulkWriteData:
        return certificates_bulk_upsert(
            records=ready.records,
            actor_id=actor_id,
            label=label,
            batch=ready.number,
            import_batch_id=import_batch_id,
            rows=ready.rows,
        )

    # On PostgreSQL (outside a caller's transaction) writer threads upsert batches
    # while this one parses the next: the database and Python overlap.
    pool = (
        WriterPool(write, writers)
        if connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and writers > 0
        else None
    )

    def add(counts: BulkWriteData) -> None:
        result.inserted += counts.inserted
        result.updated += counts.updated
        result.unchanged += counts.unchanged
        result.conflicts += counts.conflicts

    def flush(*, final: bool = False) -> None:
        if batch:
            ready = Batch(
                number=next(numbers),
                records=list(batch),
                keys={r[0] for r in batch},
                rows=list(batch_rows),
            )
            batch.clear()
            batch_rows.clear()
            if pool is None:
                add(write(ready))
            else:
                pool.submit(ready, add)
        if final and pool is not None:
            pool.drain(add)
        if on_progress:
            on_progress(result, estimated)

    try:
        with file_errors():
            for number, values in rows:
                result.total += 1
                checked = validate(number, values)
                if not isinstance(checked, list):
                    first = first_rows.setdefault(
                        hash((checked[0], checked[6], checked[7], checked[9])), number
                    )
                    if first != number:
                        checked = [_duplicate(number, first)]
                if isinstance(checked, list):
                    result.rejected += 1
                    for rejection in checked:
                        if len(result.rejections) < MAX_STORED_REJECTIONS:
                            result.rejections.append(rejection)
                        if on_rejection:
                            on_rejection(rejection)
                    continue
                batch.append(checked)
                batch_rows.append(number)
                if len(batch) >= batch_size:
                    flush()
        flush(final=True)
    finally:
        if pool is not None:
            pool.close()
    import_batch_close(import_batch_id=import_batch_id)
    if result.inserted + result.updated >= ANALYZE_AFTER_ROWS:
        certificates_planner_refresh()
    return result


def _allowed_governorates(actor_id: int | None) -> frozenset[str] | None:
    """The governorates the uploader's directorate covers (None: all, for the head
    office and for an operator's command run without an actor)."""
    if actor_id is None:
        return None
    try:
        scope = staff_scope(user_id=actor_id)
    except Forbidden as exc:
        raise ImportFileError(str(exc.message)) from None
    return None if scope.head_office else scope.governorate_codes


def _duplicate(number: int, first: int) -> Rejection:
    en, ar = REASONS["duplicate"]
    return Rejection(
        number,
        "national_id",
        "duplicate",
        f"{en} (row {first})",
        f"{ar} (الصف {first})",
    )


REPORT_HEADER = ["row", "column", "reason_en", "reason_ar"]


class RejectionReport:
    """Every rejected row of an import, written as it is found (the result keeps only
    the first MAX_STORED_REJECTIONS): CSV in UTF-8 with a BOM, so Excel shows the
    Arabic reasons. Use as `on_rejection=report.add` inside `with`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0

    def __enter__(self) -> RejectionReport:
        self._fh = self.path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REPORT_HEADER)
        return self

    def add(self, rejection: Rejection) -> None:
        self._writer.writerow(
            [rejection.row, rejection.column, rejection.reason_en, rejection.reason_ar]
        )
        self.rows += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._fh.close()
