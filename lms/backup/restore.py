"""Rebuild a database and fresh stores from one backup, and prove it worked.

Order matters: every checksum is verified before anything is touched, every target
is checked for emptiness before anything is written, and the restored database's
row counts are compared with the manifest at the end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms.backup import database, stores
from lms.backup.errors import BackupError
from lms.backup.manifest import manifest_read
from lms.backup.parts import part_open, part_verify, write_private_file


@dataclass(frozen=True)
class RestoreTargets:
    database: dict[str, Any]
    roots: dict[str, Path]
    keys_out: Path


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    mismatches: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def backup_verify(folder: Path) -> dict[str, Any]:
    """The manifest, once every part it lists matches its size and checksum."""
    manifest = manifest_read(folder)
    for name, entry in manifest["parts"].items():
        part_verify(folder, name, entry)
    if "database" not in manifest["parts"]:
        raise BackupError("The manifest lists no database dump.")
    return manifest


def _prepare(manifest: dict, targets: RestoreTargets, *, force: bool) -> None:
    """Refuse any non-empty target (before changing anything) unless ``force``."""
    vendor = database.vendor_of(targets.database)
    if vendor != manifest["database"]["vendor"]:
        raise BackupError(
            f"This backup holds a {manifest['database']['vendor']} database; the "
            f"target is {vendor}."
        )
    if targets.keys_out.exists() and not force:
        raise BackupError(
            f"{targets.keys_out} exists: refusing to overwrite a key file without "
            "--force."
        )
    restored = [name for name in manifest["stores"] if name in manifest["parts"]]
    for name in restored:
        if not force and not stores.store_is_empty(targets.roots[name]):
            stores.store_prepare(targets.roots[name], force=False, label=name)
    if vendor == "postgresql":
        database.postgres_prepare(targets.database, force=force)
    else:
        database.sqlite_prepare(targets.database, force=force)
    for name in restored:
        stores.store_prepare(targets.roots[name], force=force, label=name)


def _restore_database(folder: Path, manifest: dict, db: dict, key: str) -> None:
    source = part_open(folder, manifest["parts"]["database"], key)
    try:
        if database.vendor_of(db) == "postgresql":
            database.postgres_restore(db, source)
        else:
            database.sqlite_restore(db, source)
    finally:
        source.close()


def _restore_stores(folder: Path, manifest: dict, targets: RestoreTargets, key: str):
    notes = []
    for name, entry in manifest["stores"].items():
        if name not in manifest["parts"]:
            notes.append(f"{name} store not restored: {entry.get('note', '')}")
            continue
        source = part_open(folder, manifest["parts"][name], key)
        try:
            files = stores.store_extract(targets.roots[name], source)
        finally:
            source.close()
        if files != entry["files"]:
            raise BackupError(
                f"The {name} store held {entry['files']} files; {files} restored."
            )
        notes.append(f"{name} store: {files} files into {targets.roots[name]}")
    return notes


def _read_keys(folder: Path, manifest: dict, key: str) -> bytes:
    """The signing key(s); read before anything is changed, so a wrong
    BACKUP_ENCRYPTION_KEY is refused while every target is still intact."""
    source = part_open(folder, manifest["parts"]["signing_keys"], key)
    try:
        return source.read()
    finally:
        source.close()


def _write_keys(keys_out: Path, pem: bytes) -> None:
    keys_out.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(keys_out, pem)


def counts_compare(
    expected: dict[str, int], actual: dict[str, int]
) -> dict[str, tuple[int | None, int | None]]:
    """Tables whose row count differs (or that exist on one side only)."""
    return {
        table: (expected.get(table), actual.get(table))
        for table in sorted(set(expected) | set(actual))
        if expected.get(table) != actual.get(table)
    }


def database_counts(db: dict[str, Any]) -> dict[str, int]:
    if database.vendor_of(db) == "postgresql":
        return database.postgres_counts(db)
    return database.sqlite_counts(db)


def backup_restore(
    *, folder: Path, targets: RestoreTargets, passphrase: str, force: bool = False
) -> RestoreReport:
    """Verify, restore the database, the stores and the keys, then compare counts."""
    manifest = backup_verify(folder)
    if manifest.get("encryption") and not passphrase:
        raise BackupError(
            "This backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was "
            "written with."
        )
    pem = _read_keys(folder, manifest, passphrase)
    _prepare(manifest, targets, force=force)
    _restore_database(folder, manifest, targets.database, passphrase)
    report = RestoreReport(manifest)
    report.notes += _restore_stores(folder, manifest, targets, passphrase)
    _write_keys(targets.keys_out, pem)
    report.mismatches = counts_compare(
        manifest["database"]["tables"], database_counts(targets.database)
    )
    return report


def probe_read(folder: Path, passphrase: str) -> dict[str, str] | None:
    """The serial and QR token the backup kept, or None if it had no certificate."""
    manifest = backup_verify(folder)
    entry = manifest["parts"].get("probe")
    if entry is None:
        return None
    source = part_open(folder, entry, passphrase)
    try:
        return json.loads(source.read())
    finally:
        source.close()
