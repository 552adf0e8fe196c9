"""Back up everything the platform needs to come back; optionally on a schedule."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.backup.errors import BackupError
from lms.backup.services import backup_run, backup_schedule

logger = logging.getLogger("lms.backup")


class Command(BaseCommand):
    help = (
        "Write one backup (database, media and private stores, signing keys, "
        "manifest) under --dir and keep the newest --keep; --every HOURS repeats."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="BACKUP_DIR")
        parser.add_argument("--keep", type=int, default=None, help="BACKUP_KEEP")
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            metavar="HOURS",
            help="run for ever, one backup every HOURS (a failed run is logged)",
        )

    def handle(self, *args, **options):
        directory = Path(options["dir"] or settings.BACKUP_DIR).resolve()
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        if keep < 1:
            raise CommandError("--keep must be 1 or more.")

        def run():
            return backup_run(directory=directory, keep=keep)

        if options["every"] is not None:
            if options["every"] <= 0:
                raise CommandError("--every must be a positive number of hours.")
            logger.info(
                "backing up to %s every %s h, keeping %d",
                directory,
                options["every"],
                keep,
            )
            # `docker stop` sends SIGTERM: exit through Python so a backup being
            # written removes its unfinished folder.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            backup_schedule(run, every_s=options["every"] * 3600)
            return
        try:
            result = run()
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["database"]["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({len(tables)} tables, "
                f"{sum(tables.values())} rows, {result.size_bytes} bytes, "
                f"{result.seconds:.1f} s)"
            )
        )
        for name, entry in result.manifest["stores"].items():
            if not entry["local"]:
                self.stdout.write(f"Store {name} skipped: {entry['note']}")
