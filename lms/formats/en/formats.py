"""English formats: Django's (they already write "1,234.5")."""

from django.conf.locale.en.formats import *  # noqa: F403
