"""Password rules with messages in our catalogue.

Django 5.2's MinimumLengthValidator changed its error message (``%d`` for
``%(min_length)d``) and the Arabic catalogue Django ships has only the old wording, so
the refusal came out in English on an Arabic page. The rule is Django's; the words are
ours (lms/locale), with Arabic's six plural forms.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, saying so in the page's language."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(min_length)d character.",
            "Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
