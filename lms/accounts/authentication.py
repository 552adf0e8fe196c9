"""API authentication for the platform's REST API."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from lms.accounts.roles import remember_roles


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the user's roles in the same query.

    Nearly every API view checks a role (`user_has_role`); reading the group names
    with the token and the user saves a query on every token-authenticated request.
    """

    def authenticate_credentials(self, key):
        rows = list(
            self.get_model()
            .objects.select_related("user")
            .filter(key=key)
            .annotate(role_name=F("user__groups__name"))
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = rows[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(token.user, (row.role_name for row in rows if row.role_name))
        return token.user, token
