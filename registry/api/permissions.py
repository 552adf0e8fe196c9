"""Token scopes for other government systems; ministry staff (session) hold them all."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from lms.accounts.roles import Role, user_has_role


def user_has_scope(user, scope: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    client = getattr(user, "api_client", None)
    if client is not None:
        return client.has_scope(scope)
    return user_has_role(user, Role.MINISTRY_STAFF)


class HasRegistryScope(BasePermission):
    """The view names its scope per method in `required_scopes`."""

    message = "Your token does not carry the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        if not hasattr(view, request.method.lower()):
            return True  # a method the endpoint does not have: DRF answers 405
        scope = view.required_scopes.get(request.method)
        return bool(scope) and user_has_scope(request.user, scope)
