"""Import paper-era certificates: CSV (UTF-8, UTF-8 BOM, Windows-1256) or XLSX."""

import contextlib
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.accounts.roles import Role, user_has_role
from registry.importer import ImportFileError, RejectionReport, import_file


class Command(BaseCommand):
    help = (
        "Import paper-era skill certificates (idempotent: re-running changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--actor", help="username of the ministry staff member running the import"
        )
        parser.add_argument(
            "--report", type=Path, help="write the rejection report (CSV) here"
        )
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--quiet-rejections",
            action="store_true",
            help="do not print one line per rejected row",
        )

    def handle(self, *args, file: Path, actor=None, report=None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        actor_id = self._actor_id(actor)
        printed = 0

        report_file = RejectionReport(report) if report else None

        def on_rejection(rejection):
            nonlocal printed
            if report_file:
                report_file.add(rejection)
            if options["quiet_rejections"] or printed >= 1000:
                return
            d = rejection.as_dict()
            self.stderr.write(
                f"row {d['row']}, {d['column']}: {d['reason_en']} / {d['reason_ar']}"
            )
            printed += 1

        started = time.perf_counter()
        try:
            with report_file or contextlib.nullcontext():
                result = import_file(
                    file,
                    actor_id=actor_id,
                    batch_size=options["batch_size"],
                    on_rejection=on_rejection,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{result.total} rows read in {elapsed:.1f} s: {result.inserted} "
            f"written as pending batch #{result.import_batch_id}, "
            f"{result.unchanged} already in the registry, {result.rejected} rejected, "
            f"{result.conflicts} conflicts. Nothing is valid until another staff "
            "member approves the batch."
        )

    def _actor_id(self, username):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user_has_role(user, Role.MINISTRY_STAFF):
            raise CommandError(f"{username} is not a ministry staff account.")
        return user.pk
