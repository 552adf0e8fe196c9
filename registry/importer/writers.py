"""Writer threads: PostgreSQL upserts batches while the calling thread parses the next
ones (the database and Python overlap)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from django.db import connection

from registry.data import BulkWriteData, PaperRecord


@dataclass
class Batch:
    number: int
    records: list[PaperRecord]  # valid, each record key once in the file
    # The records' national IDs: two batches sharing one are written one after the
    # other (the conflict checks see the earlier one; no two writers deadlock).
    keys: set[str]
    rows: list[int]  # each record's row number in the file


Write = Callable[[Batch], BulkWriteData]
Done = Callable[[BulkWriteData], None]


class WriterPool:
    """Writes batches from `count` threads, each on its own database connection.

    A batch sharing a national ID with a batch still in flight waits for it; at most
    `count` batches are in flight.
    """

    def __init__(self, write: Write, count: int) -> None:
        self._write = write
        self._count = count
        self._jobs: queue.Queue[tuple[Future[BulkWriteData], Batch] | None] = (
            queue.Queue()
        )
        self._in_flight: list[tuple[Batch, Future[BulkWriteData]]] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"registry-import-{n}")
            for n in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, batch: Batch, done: Done) -> None:
        """Queue a batch; `done` receives the counts of every batch that finished."""
        still = []
        for other, future in self._in_flight:
            if future.done() or not batch.keys.isdisjoint(other.keys):
                done(future.result())  # waits when the two share a record
            else:
                still.append((other, future))
        while len(still) >= self._count:
            done(still.pop(0)[1].result())
        submitted: Future[BulkWriteData] = Future()
        self._jobs.put((submitted, batch))
        self._in_flight = [*still, (batch, submitted)]

    def drain(self, done: Done) -> None:
        while self._in_flight:
            done(self._in_flight.pop(0)[1].result())

    def close(self) -> None:
        for _batch, future in self._in_flight:
            future.cancel()
        for _thread in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                future, batch = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(self._write(batch))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    future.set_exception(exc)
        finally:
            connection.close()
