"""Create (or update the scopes of) an API client for another government system."""

from django.core.management.base import BaseCommand, CommandError

from registry.models import ApiScope
from registry.services import api_client_create


class Command(BaseCommand):
    help = "Create an API client with a token and scopes; prints the token once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope", action="append", default=[], choices=ApiScope.values
        )

    def handle(self, *args, name, scope, **options):
        if not scope:
            raise CommandError("Give at least one --scope.")
        client, token = api_client_create(name=name, scopes=scope)
        self.stdout.write(f"{client.name}: scopes {', '.join(client.scopes)}")
        self.stdout.write(f"Token (keep it secret): {token}")
