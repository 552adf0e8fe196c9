"""Start signing with a new key; every key used before stays published.

    1. manage.py rotate_signing_key --generate > new-key.pem   (prints a new key)
    2. put it in REGISTRY_SIGNING_KEY and restart the site and the workers
    3. manage.py rotate_signing_key                           (records the change)

Step 3 records the key REGISTRY_SIGNING_KEY now holds as current and retires the
others: their public keys stay in /.well-known/did.json, so credentials and QR
codes they signed keep verifying. Keep the old private key with the backups only
if you must restore to a date before the rotation.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from registry.keyring import signing_key_rotate
from registry.signing import key_source


class Command(BaseCommand):
    help = "Record REGISTRY_SIGNING_KEY as the current signing key (or --generate one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Print a new Ed25519 private key (PEM) for REGISTRY_SIGNING_KEY.",
        )

    def handle(self, *args, generate=False, verbosity=1, **options):
        if generate:
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            self.stdout.write(pem.decode("ascii"), ending="")
            return
        kid, retired = signing_key_rotate()
        if verbosity:
            self.stdout.write(f"Current signing key: {kid} ({key_source()}).")
            for old in retired:
                self.stdout.write(f"Retired (still published): {old}")
