"""Scratch folders of background runs: `<root>/<prefix><id>/`, one per job.

A run wipes its job's folder when it claims the job (a killed run's half-written
files go) and removes it when it ends; what a killed run leaves behind is removed by
the sweep with `scratch_sweep`, once the job is no longer running.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def age_s(path: Path) -> float:
    """Seconds since `path` was last modified (infinite when it is gone)."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def scratch_sweep(
    *,
    root: Path,
    prefix: str,
    running: Callable[[set[int]], Iterable[int]],
    older_than_s: float,
    unnumbered: bool = False,
) -> int:
    """Remove the folders `<root>/<prefix><id>` whose job is not running; how many.

    `running(ids)` names those of `ids` whose job is running now. Folders younger
    than `older_than_s` are kept: a run that has just claimed its job may be filling
    one. `unnumbered`: also remove old folders with the prefix but no id (left by an
    older release); off where the prefix could be another program's (system temp).
    """
    try:
        folders = [p for p in root.iterdir() if p.name.startswith(prefix)]
    except FileNotFoundError:
        return 0
    by_folder: dict[Path, int | None] = {}
    for folder in folders:
        suffix = folder.name[len(prefix) :]
        if not folder.is_dir() or not (suffix.isdigit() or unnumbered):
            continue
        by_folder[folder] = int(suffix) if suffix.isdigit() else None
    ids = {i for i in by_folder.values() if i is not None}
    busy = set(running(ids)) if ids else set()
    removed = 0
    for folder, job_id in by_folder.items():
        if job_id in busy or age_s(folder) < older_than_s:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
