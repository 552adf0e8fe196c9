"""Prove a restored platform still verifies a certificate issued before the backup.

Run it against the restored database with REGISTRY_SIGNING_KEY set from the restored
key file (and a cache of its own: a shared one would answer from the live platform).
It uses the registry's own verification: the public answer for the serial, and the
QR token the holder was given, checked against the key as the /verify/ page does.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.backup.errors import BackupError
from lms.backup.restore import backup_verify, probe_read
from registry.selectors import (
    signing_keys_export,
    verification_answer,
    verification_token_state,
)


class Command(BaseCommand):
    help = "Check that the certificate kept in a backup verifies on this platform."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup folder restored")

    def handle(self, *args, **options):
        folder = options["path"].resolve()
        try:
            manifest = backup_verify(folder)
            probe = probe_read(folder, settings.BACKUP_ENCRYPTION_KEY)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if probe is None:
            raise CommandError(
                "The backup holds no issued certificate: nothing to verify."
            )
        expected = {key["key_id"] for key in manifest.get("signing_keys", [])}
        current = {key.key_id for key in signing_keys_export()}
        if not current & expected:
            raise CommandError(
                f"This platform signs with key {', '.join(sorted(current))}, not the "
                f"backed-up {', '.join(sorted(expected))}: set REGISTRY_SIGNING_KEY "
                "from the restored key file."
            )
        answer = verification_answer(serial=probe["serial"])
        if answer["status"] != "issued" or not answer.get("valid"):
            raise CommandError(
                f"Certificate {answer['serial']} is {answer['status']} in this "
                "database; the backup had it issued."
            )
        if verification_token_state(token=probe["token"], answer=answer) != "good":
            raise CommandError(
                f"The QR token of certificate {answer['serial']} does not verify "
                "against this platform's key."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Certificate {answer['serial']} verifies: issued, QR token genuine "
                f"under key {', '.join(sorted(current & expected))}."
            )
        )
