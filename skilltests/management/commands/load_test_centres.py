"""`manage.py load_test_centres [--centres FILE] [--workshops FILE]`: the ministry's
update of the test centres (reference/ files by default). Upserts by code; nothing
is written when a row is wrong, and every wrong row is named."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skilltests.reference_data import CENTRES_CSV, WORKSHOPS_CSV, ReferenceDataError
from skilltests.services import centres_load


class Command(BaseCommand):
    help = "Load or update the skill-test centres and their workshops from CSV."

    def add_arguments(self, parser):
        parser.add_argument("--centres", type=Path, default=CENTRES_CSV)
        parser.add_argument("--workshops", type=Path, default=WORKSHOPS_CSV)

    def handle(self, *args, **options):
        for path in (options["centres"], options["workshops"]):
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
        try:
            report = centres_load(
                centres_path=options["centres"], workshops_path=options["workshops"]
            )
        except ReferenceDataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was written"
            ) from None
        self.stdout.write(
            f"centres: {report.centres_created} new, {report.centres_updated} updated; "
            f"workshops: {report.workshops_created} new, "
            f"{report.workshops_updated} updated; {report.unchanged} unchanged"
        )
