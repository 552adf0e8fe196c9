"""Compile every .po catalogue of the project to .mo with Babel (no GNU gettext)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SKIP = {".venv", "node_modules", "var", ".git"}


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po → .mo)."

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        count = 0
        for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
            if SKIP.intersection(po_path.relative_to(root).parts):
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            try:
                with po_path.open("rb") as fh:
                    catalog = read_po(fh, abort_invalid=True)
            except Exception as exc:  # noqa: BLE001 - name the broken file, not a traceback
                raise CommandError(f"{po_path.relative_to(root)}: {exc}") from exc
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
