"""Load the unified occupation classification: CSV code,title_en,title_ar[,trade]."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.kernel.errors import ServiceError
from registry.services import occupations_load_csv


class Command(BaseCommand):
    help = "Insert or update occupations from a CSV like registry/data/occupations.csv."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            counts = occupations_load_csv(path=file)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Occupations: {counts['created']} created, {counts['updated']} updated."
        )
