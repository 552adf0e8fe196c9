"""Import a question file (Moodle XML or GIFT) into a bank.

    python manage.py import_questions FILE --bank SLUG [--format moodle-xml|gift]

Every question that cannot be imported is listed with its position and reason; the
rest still import. Re-importing the same file changes nothing.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments import selectors, services
from assessments.importers import FORMATS, parse_file
from lms.kernel.errors import NotFound


class Command(BaseCommand):
    help = "Import questions from a Moodle XML or GIFT file into a question bank."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xml or .gift file")
        parser.add_argument("--bank", required=True, help="slug of the question bank")
        parser.add_argument(
            "--format", choices=FORMATS, help="guessed from the file when not given"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            bank = selectors.bank_get(slug=options["bank"])
        except NotFound:
            slugs = ", ".join(b.slug for b in selectors.banks_list())
            raise CommandError(
                f"No question bank “{options['bank']}”. Existing banks: {slugs or '—'}"
            ) from None
        try:
            parsed = parse_file(
                name=path.name, content=path.read_bytes(), fmt=options["format"]
            )
        except ValidationError as exc:
            raise CommandError(f"{path.name}: " + " ".join(exc.messages)) from None
        report = services.questions_import(bank_id=bank.id, parsed=parsed)
        for position, reason in report.skipped:
            self.stdout.write(f"  skipped  position {position}: {reason}")
        for position, reason in report.errors:
            self.stderr.write(f"  ERROR    position {position}: {reason}")
        summary = (
            f"{path.name} → {bank.slug}: {report.created} imported, "
            f"{report.unchanged} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.errors)} refused"
        )
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(summary))
