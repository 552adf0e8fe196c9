"""Authentication backends."""

from __future__ import annotations

import threading
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models.signals import m2m_changed, post_delete, post_save

from lms.accounts.roles import remember_roles
from lms.accounts.user_rows import user_rows
from lms.kernel.generations import generation_bump, generation_get

GENERATION = "group-permissions"
_lock = threading.Lock()
_kept: dict[str, Any] = {"version": None, "by_group": {}, "epoch": 0}


class ModelBackend(backends.ModelBackend):
    """Django's model backend, reading the user's roles in the same query as the user.

    Every signed-in request loads its user here (from the session, in one query
    whose SQL is built once per process: `user_rows`); nearly every view then
    checks a role (`user_has_role`), which cost a query of its own, and
    the header asks `has_perm` (Wagtail's admin rule), which cost two: the user's
    own permissions and their groups'. The same query now says whether the user has
    permissions of their own (almost nobody: then none are read), and the groups'
    permissions are kept per process (they change when an administrator edits a
    group: `groups_changed`).
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        pk = user_model._meta.pk
        try:
            key = pk.get_prep_value(pk.to_python(user_id))
        except (TypeError, ValueError, ValidationError):
            return None  # as the ORM's lookup would find no one
        using = router.db_for_read(user_model)
        found = user_rows(using).read(using, key)
        if found is None or not self.user_can_authenticate(found[1]):
            return None
        _token, user, roles = found
        remember_roles(user, roles)
        return user

    def get_user_permissions(self, user_obj, obj=None):
        if obj is None and getattr(user_obj, "has_own_permissions", None) is False:
            return set()  # the user query said so
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        names = getattr(user_obj, "_role_names", None)
        if (
            obj is None
            and names is not None
            and user_obj.is_active
            and not user_obj.is_superuser
        ):
            return group_permissions(sorted(names))
        return super().get_group_permissions(user_obj, obj)

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


def group_permissions(names: list[str]) -> set[str]:
    """The permissions ("app_label.codename") the named groups grant (read once per
    process and change of any group's permissions, and only when one is asked)."""
    version = (generation_get(GENERATION), _kept["epoch"])
    if _kept["version"] != version:
        by_group: dict[str, set[str]] = {}
        rows = Permission.objects.filter(group__isnull=False).values_list(
            "group__name", "content_type__app_label", "codename"
        )
        for group, app_label, codename in rows:
            by_group.setdefault(group, set()).add(f"{app_label}.{codename}")
        with _lock:
            _kept.update(version=version, by_group=by_group)
    by_group = _kept["by_group"]
    return set().union(*(by_group.get(name, set()) for name in names))


def groups_changed(**kwargs: Any) -> None:
    """A group's permissions changed: this process forgets them at once, the others
    after the transaction commits."""
    _kept["epoch"] += 1
    generation_bump(GENERATION)


def connect_invalidation() -> None:
    m2m_changed.connect(
        groups_changed,
        sender=Group.permissions.through,
        dispatch_uid="group_permissions_changed",
    )
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                groups_changed, sender=model, dispatch_uid=f"{model.__name__}_perms"
            )
