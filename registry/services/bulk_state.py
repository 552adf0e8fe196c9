"""The audit side of a bulk write: the batch's stamp on every row it writes, and what
its entry records (the rows' digest set and what it took over from earlier entries).

Kept apart from `bulk` so the import's writer stays readable: `bulk` asks for a
`BatchWrite`, puts `stamp` on the rows it inserts or updates, reports them here and
merges `audit_data()` into the batch's entry (registry/audit_state.py explains why).

Cost at volume: an inserted row's digest is computed here from the record already
in hand (~1 µs); PostgreSQL computes digests only for the few rows an upsert updates
(in SQL, ~8 µs a row, and it had to probe the table again for the old values).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.audit_state import (
    Replaced,
    RowSet,
    batch_state,
    new_stamp,
    state_digest,
    state_digest_of,
    state_digest_sql,
)
from registry.data import PaperRecord
from registry.models import Certificate


@dataclass
class BatchWrite:
    status: str
    stamp: str = field(default_factory=new_stamp)
    rows: RowSet = field(default_factory=RowSet)
    replaced: Replaced = field(default_factory=Replaced)

    def inserted(self, serials: list[str], records: Mapping[str, PaperRecord]) -> None:
        """Rows inserted from `records` (by their serial), in this batch's status."""
        status = str(self.status)
        for serial in serials:
            r = records[serial]
            self.rows.add(
                state_digest_of(
                    (serial, status, r[0], r[1], r[2], r[3], r[6], r[7], r[9])
                )
            )

    def written(self, digests: list[str]) -> None:
        for digest in digests:
            self.rows.add(digest)

    def took_over(self, pairs: list[str]) -> None:
        """`ref:digest` pairs of the rows as they were before this batch."""
        for pair in pairs:
            ref, _sep, digest = pair.partition(":")
            self.replaced.add(ref, digest)

    def written_rows(self, certs: list[Certificate]) -> None:
        self.written([state_digest(c) for c in certs])

    def audit_data(self) -> dict[str, Any]:
        return batch_state(
            stamp=self.stamp, status=self.status, rows=self.rows, replaced=self.replaced
        )


# What an upsert into registry_certificate returns per row: whether it inserted, the
# serial, and for an updated row its digest now and `audit_ref:digest` before (a
# sub-select in RETURNING reads the statement's snapshot: the row as it was).
RETURNING_SQL = f"""(xmax = 0) AS inserted, serial,
    CASE WHEN xmax = 0 THEN NULL
         ELSE {state_digest_sql("registry_certificate")} END AS digest,
    CASE WHEN xmax = 0 THEN NULL
         ELSE (SELECT o.audit_ref || ':' || {state_digest_sql("o")}
               FROM registry_certificate o WHERE o.id = registry_certificate.id)
    END AS before"""
