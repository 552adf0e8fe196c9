"""Accounts in the workplace: the identity claims ministry staff verify."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import NavEntry


def _claims_waiting(user: Any) -> int:
    from lms.accounts.selectors import national_id_claims_open_count

    return national_id_claims_open_count(staff_id=user.pk)


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@hooks.register("maharat_nav_entries")
def accounts_nav_entries() -> list[NavEntry]:
    return [
        NavEntry(
            key="accounts.claims",
            label=_("Identity claims to verify"),
            description=_("National IDs typed at sign-up: check the card, resolve"),
            url_name="accounts:claims",
            shown_to=any_role(Role.MINISTRY_STAFF),
            section="registry",
            count=_claims_waiting,
            order=40,
        ),
        NavEntry(
            key="accounts.notices",
            label=_("My notices"),
            description=_("Reminders and notices sent to you, and how they reach you"),
            url_name="accounts:notices",
            shown_to=_signed_in,
            section="learning",
            order=90,
        ),
        NavEntry(
            key="accounts.identity",
            label=_("My national ID"),
            description=_("Verify it to see certificates recorded before you joined"),
            url_name="accounts:identity",
            shown_to=any_role(Role.TRAINEE),
            section="learning",
            order=35,
        ),
    ]


@hooks.register("maharat_periodic")
def phone_codes_prune_expired() -> int:
    """One-time codes that expired a day ago are deleted."""
    from lms.accounts.phone_codes import phone_codes_prune

    return phone_codes_prune()
