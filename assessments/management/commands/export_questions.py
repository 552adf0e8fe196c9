"""Export a question bank to a Moodle XML file.

    python manage.py export_questions --bank SLUG [--output FILE]

Writes the bank's active questions by category (Moodle's `$course$/top/...` paths),
with feedback, hints and pictures; without --output the XML goes to standard output.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import selectors
from assessments.exporters.moodle_xml import bank_to_moodle_xml
from lms.kernel.errors import NotFound


class Command(BaseCommand):
    help = "Export a question bank to a Moodle XML file."

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="slug of the question bank")
        parser.add_argument("--output", "-o", help="file to write (default: stdout)")

    def handle(self, *args, **options):
        try:
            bank = selectors.bank_get(slug=options["bank"])
        except NotFound:
            slugs = ", ".join(b.slug for b in selectors.banks_list())
            raise CommandError(
                f"No question bank “{options['bank']}”. Existing banks: {slugs or '—'}"
            ) from None
        content = bank_to_moodle_xml(bank_id=bank.id)
        if not options.get("output"):
            self.stdout.write(content.decode(), ending="")
            return
        path = Path(options["output"])
        path.write_bytes(content)
        count = content.count(b"<question ") - content.count(b'type="category"')
        self.stderr.write(
            self.style.SUCCESS(f"{bank.slug} → {path}: {count} questions")
        )
