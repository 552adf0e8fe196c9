"""Restore a backup into a fresh database and fresh store folders."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lms.backup import stores
from lms.backup.database import database_from_url
from lms.backup.errors import BackupError
from lms.backup.restore import RestoreTargets, backup_restore


def _default_root(name: str) -> Path:
    root = stores.store_root(stores.STORES[name])
    if root is None:
        return Path(settings.BASE_DIR) / "var" / "restored" / name
    return root


class Command(BaseCommand):
    help = (
        "Restore a backup folder: verify its checksums, rebuild the database with "
        "pg_restore (or SQLite's backup API), extract the stores, write the signing "
        "key(s) to --keys-out, then compare row counts with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a backup folder (maharat-…)")
        parser.add_argument(
            "--database-url", default="", help="target database (default: this one)"
        )
        parser.add_argument("--media-root", type=Path, default=None)
        parser.add_argument("--private-root", type=Path, default=None)
        parser.add_argument(
            "--keys-out",
            type=Path,
            default=None,
            help="file for the signing key(s), mode 0600 "
            "(default: var/restored/signing-keys.pem)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a non-empty database, store or key file",
        )

    def handle(self, *args, **options):
        if options["database_url"]:
            db = database_from_url(options["database_url"])
        else:
            db = dict(connection.settings_dict)
        keys_out = options["keys_out"] or (
            Path(settings.BASE_DIR) / "var" / "restored" / "signing-keys.pem"
        )
        targets = RestoreTargets(
            database=db,
            roots={
                "media": (options["media_root"] or _default_root("media")).resolve(),
                "private": (
                    options["private_root"] or _default_root("private")
                ).resolve(),
            },
            keys_out=keys_out.resolve(),
        )
        try:
            report = backup_restore(
                folder=options["path"].resolve(),
                targets=targets,
                passphrase=settings.BACKUP_ENCRYPTION_KEY,
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = report.manifest
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Database {db['NAME']}: restored from the backup of "
            f"{manifest['created_at']} (revision {manifest['git_revision'] or '?'})."
        )
        for note in report.notes:
            self.stdout.write(note)
        self._keys(manifest, targets.keys_out)
        if not report.ok:
            for table, (expected, actual) in report.mismatches.items():
                self.stderr.write(
                    f"Row count differs: {table}: backup {expected}, restored {actual}"
                )
            raise CommandError(
                f"{len(report.mismatches)} table(s) differ from the manifest."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Row counts match the manifest: {len(tables)} tables, "
                f"{sum(tables.values())} rows."
            )
        )

    def _keys(self, manifest: dict, keys_out: Path) -> None:
        keys = manifest.get("signing_keys", [])
        ids = ", ".join(key["key_id"] for key in keys)
        self.stdout.write(f"Signing key(s) {ids} written to {keys_out} (mode 0600).")
        self.stdout.write(
            f'Set it for the platform: export REGISTRY_SIGNING_KEY="$(cat {keys_out})"'
        )
        if any(key["source"] != "REGISTRY_SIGNING_KEY" for key in keys):
            self.stdout.write(
                "Note: the backed-up key was derived from SECRET_KEY (development); "
                "setting REGISTRY_SIGNING_KEY as above keeps it without SECRET_KEY."
            )
