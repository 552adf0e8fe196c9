"""Mark a retired signing key compromised after a time.

    manage.py mark_signing_key_compromised KEY_ID --after 2026-12-01T08:00:00Z

What the key signed after that time is refused by our verifier, and the DID
document gives its method `revoked` (standard verifiers then refuse every proof by
it at or after that time). Holders re-download: credentials are signed anew by the
current key. Rotate first: the current key cannot be marked.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lms.kernel.errors import ServiceError
from registry.keyring import signing_key_mark_compromised


class Command(BaseCommand):
    help = "Refuse what a signing key signed after a given time."

    def add_arguments(self, parser):
        parser.add_argument("key_id")
        parser.add_argument(
            "--after", required=True, help="ISO 8601 time with a time zone."
        )

    def handle(self, *args, key_id, after, verbosity=1, **options):
        try:
            moment = dt.datetime.fromisoformat(after.replace("Z", "+00:00"))
        except ValueError:
            raise CommandError(f"--after is not an ISO 8601 time: {after}") from None
        if moment.tzinfo is None:
            raise CommandError("--after needs a time zone (e.g. Z or +02:00).")
        try:
            signing_key_mark_compromised(kid=key_id, after=moment)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        if verbosity:
            self.stdout.write(
                f"Key {key_id}: refused for what it signed after {after}."
            )
