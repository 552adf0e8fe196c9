"""API authentication for the platform's REST API."""

from __future__ import annotations

from django.db import router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from lms.accounts.roles import remember_roles
from lms.accounts.user_rows import user_rows


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's roles
    in one query whose SQL is built once per process (`user_rows`).

    Nearly every API view checks a role (`user_has_role`): reading the group names
    with the token and the user saves a query on every token-authenticated request.
    The query is the same every time but the key, and building it through the ORM
    (a QuerySet with `select_related` and a join to the groups, compiled to SQL per
    request) was about 40 % of an exam answer save's CPU: the SQL is now kept, and
    the rows made into the same `Token` and `User` instances the ORM would make
    (every field loaded: whatever reads `request.user` later sees a whole user).
    The refusals are DRF's: an unknown or deleted (revoked) key, an inactive user.
    """

    def authenticate_credentials(self, key):
        model = self.get_model()
        using = router.db_for_read(model)
        found = user_rows(using, model).read(using, key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token, user, roles = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(user, roles)
        return user, token
