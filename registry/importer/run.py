"""One import: read, check, write through the registry services, report rejections."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from django.db import connection

from registry.data import BulkWriteData, PaperRecord
from registry.importer.reading import file_errors, open_rows
from registry.importer.rows import Rejection, RowValidator
from registry.importer.writers import Batch, WriterPool
from registry.services import certificates_bulk_upsert, certificates_planner_refresh

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
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def good(self) -> int:
        return self.inserted + self.updated + self.unchanged


def import_file(
    path: Path,
    *,
    actor_id: int | None = None,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITER_THREADS,
    on_progress: Callable[[ImportResult, int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> ImportResult:
    """Import one file; raise ImportFileError only when the file itself is unusable."""
    with file_errors():
        estimated, columns, rows = open_rows(path)
    validate = RowValidator(columns).validate
    label = f"import:{path.name}"
    result = ImportResult()
    batch: list[PaperRecord] = []
    numbers = itertools.count(1)

    def write(ready: Batch) -> BulkWriteData:
        return certificates_bulk_upsert(
            records=ready.records, actor_id=actor_id, label=label, batch=ready.number
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

    def flush(*, final: bool = False) -> None:
        if batch:
            ready = Batch(
                number=next(numbers),
                records=list(batch),
                keys={(r[0], r[6], r[7], r[9]) for r in batch},
            )
            batch.clear()
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
                if isinstance(checked, list):
                    result.rejected += 1
                    for rejection in checked:
                        if len(result.rejections) < MAX_STORED_REJECTIONS:
                            result.rejections.append(rejection)
                        if on_rejection:
                            on_rejection(rejection)
                    continue
                batch.append(checked)
                if len(batch) >= batch_size:
                    flush()
        flush(final=True)
    finally:
        if pool is not None:
            pool.close()
    if result.inserted + result.updated >= ANALYZE_AFTER_ROWS:
        certificates_planner_refresh()
    return result


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
