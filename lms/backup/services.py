"""Write a backup, prune old ones, run them on a schedule.

One backup is one folder ``maharat-<UTC time>`` holding the database dump, a tar of
each local store, the signing key(s), a verification probe and the manifest. It is
written under a hidden ``.partial`` name and renamed when complete, so a failed or
killed run never leaves something that looks like a backup.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from lms.backup import database, stores
from lms.backup.crypto import SCHEME
from lms.backup.errors import BackupError
from lms.backup.manifest import (
    FORMAT,
    MANIFEST,
    NAME_PATTERN,
    git_revision,
    manifest_write,
)
from lms.backup.parts import DIR_MODE, PartWriter
from registry.selectors import signing_keys_export, verification_probe_get

logger = logging.getLogger("lms.backup")

STALE_PARTIAL_S = 6 * 3600


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float

    @property
    def size_bytes(self) -> int:
        return sum(p["size_bytes"] for p in self.manifest["parts"].values())


def _new_folder(directory: Path, now: dt.datetime) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    stamp = f"maharat-{now:%Y%m%dT%H%M%SZ}"
    name, n = stamp, 1
    while (directory / name).exists() or (directory / f".{name}.partial").exists():
        n += 1
        name = f"{stamp}-{n}"
    partial = directory / f".{name}.partial"
    partial.mkdir(mode=DIR_MODE)
    return partial, directory / name


def _dump_database(folder: Path, passphrase: str) -> tuple[dict, dict]:
    db = connection.settings_dict
    vendor = database.vendor_of(db)
    if vendor == "postgresql":
        writer = PartWriter(folder, "database.dump", passphrase)
        counts = database.postgres_dump(db, writer)
    else:
        writer = PartWriter(folder, "database.sqlite3", passphrase)
        connection.ensure_connection()
        counts = database.sqlite_dump(connection.connection, writer, folder)
    described = {"vendor": vendor, "name": str(db["NAME"]), "tables": counts}
    return described, writer.finish().as_manifest()


def _archive_stores(folder: Path, passphrase: str, manifest: dict) -> None:
    for name, alias in stores.STORES.items():
        root = stores.store_root(alias)
        if root is None:
            manifest["stores"][name] = stores.store_entry_skipped(alias)
            logger.warning("store %s skipped: not on local disk", name)
            continue
        writer = PartWriter(folder, f"{name}.tar", passphrase)
        totals = stores.store_archive(root, writer)
        manifest["parts"][name] = writer.finish().as_manifest()
        manifest["stores"][name] = {"local": True, "root": str(root), **totals}


def _write_keys(folder: Path, passphrase: str, manifest: dict) -> None:
    keys = signing_keys_export()
    writer = PartWriter(folder, "signing-keys.pem", passphrase)
    writer.write("".join(key.pem for key in keys).encode("ascii"))
    manifest["parts"]["signing_keys"] = writer.finish().as_manifest()
    manifest["signing_keys"] = [{"key_id": k.key_id, "source": k.source} for k in keys]
    probe = verification_probe_get()
    if probe is None:
        manifest["probe"] = None
        return
    writer = PartWriter(folder, "probe.json", passphrase)
    writer.write(json.dumps({"serial": probe.serial, "token": probe.token}).encode())
    manifest["parts"]["probe"] = writer.finish().as_manifest()
    manifest["probe"] = {"serial": probe.serial}


def backup_create(*, directory: Path, passphrase: str = "") -> BackupResult:
    """Write one complete backup under ``directory``; nothing is left if it fails."""
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    partial, final = _new_folder(directory, now)
    try:
        described, dump_part = _dump_database(partial, passphrase)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "git_revision": git_revision(),
            "encryption": SCHEME if passphrase else None,
            "database": described,
            "parts": {"database": dump_part},
            "stores": {},
        }
        _archive_stores(partial, passphrase, manifest)
        _write_keys(partial, passphrase, manifest)
        manifest_write(partial, manifest)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(final, manifest, time.monotonic() - started)


def backup_list(directory: Path) -> list[Path]:
    """Complete backups in ``directory``, newest first."""
    if not directory.is_dir():
        return []
    found = [
        p
        for p in directory.iterdir()
        if p.is_dir() and NAME_PATTERN.match(p.name) and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` backups; remove older ones and stale leftovers."""
    if keep < 1:
        raise BackupError("Keep at least one backup (--keep 1 or more).")
    removed = backup_list(directory)[keep:]
    for path in removed:
        shutil.rmtree(path)
    cutoff = time.time() - STALE_PARTIAL_S
    for leftover in directory.glob(".maharat-*.partial"):
        if leftover.stat().st_mtime < cutoff:
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def backup_run(*, directory: Path, keep: int) -> BackupResult:
    """One scheduled run: back up with the configured key, then prune."""
    result = backup_create(
        directory=directory, passphrase=settings.BACKUP_ENCRYPTION_KEY
    )
    backup_prune(directory=directory, keep=keep)
    return result


def backup_schedule(
    run: Callable[[], BackupResult],
    *,
    every_s: float,
    sleep: Callable[[float], None] = time.sleep,
    max_runs: int | None = None,
) -> None:
    """Run ``run`` every ``every_s`` seconds for ever (or ``max_runs`` times).

    A failed run is logged with its traceback and the loop goes on: one full disk
    or one database restart must not stop every later backup."""
    runs = 0
    while max_runs is None or runs < max_runs:
        started = time.monotonic()
        try:
            result = run()
        except Exception:  # noqa: BLE001 - the schedule must outlive any one failure
            logger.exception("backup failed; next attempt in %.0f s", every_s)
        else:
            logger.info(
                "backup written: %s (%d bytes in %.1f s)",
                result.path,
                result.size_bytes,
                result.seconds,
            )
        runs += 1
        if max_runs is None or runs < max_runs:
            sleep(max(0.0, every_s - (time.monotonic() - started)))
