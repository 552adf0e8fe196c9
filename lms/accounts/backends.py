"""Authentication backends."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import backends, get_user_model
from django.db.models import F

from lms.accounts.roles import remember_roles


class ModelBackend(backends.ModelBackend):
    """Django's model backend, reading the user's roles in the same query as the user.

    Every signed-in request loads its user here (from the session); nearly every
    view then checks a role (`user_has_role`), which cost a query of its own.
    """

    def get_user(self, user_id):
        rows = list(
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .annotate(role_name=F("groups__name"))
        )
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        remember_roles(user, (row.role_name for row in rows if row.role_name))
        return user

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
