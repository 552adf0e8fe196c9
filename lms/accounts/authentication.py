"""API authentication for the platform's REST API."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from lms.accounts.roles import remember_roles


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's roles
    in one query whose SQL is built once per process.

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
        query = _token_query(model, using)
        with connections[using].cursor() as cursor:
            cursor.execute(query.sql, [key])
            rows = cursor.fetchall()
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token, user = query.load(rows[0], using, connections[using])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_roles(user, (row[-1] for row in rows if row[-1]))
        return user, token


class _TokenQuery:
    """SELECT token columns, user columns, group name FROM token JOIN user LEFT
    JOIN the user's groups WHERE key = %s: one row per role (or one with NULL)."""

    def __init__(self, token_model: Any, using: str) -> None:
        connection = connections[using]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        user_fk = token_model._meta.get_field("user")
        if user_fk.related_model is not user_model:
            raise ValueError("the token's user is not AUTH_USER_MODEL")
        groups = user_model._meta.get_field("groups")
        through = groups.remote_field.through._meta
        group_model = groups.related_model
        self.token_model, self.user_model = token_model, user_model
        self.user_fk = user_fk
        self.token_fields = list(token_model._meta.concrete_fields)
        self.user_fields = list(user_model._meta.concrete_fields)
        columns = [f"t.{quote(f.column)}" for f in self.token_fields]
        columns += [f"u.{quote(f.column)}" for f in self.user_fields]
        columns.append(f"g.{quote(group_model._meta.get_field('name').column)}")
        user_pk = quote(user_model._meta.pk.column)
        group_pk = quote(group_model._meta.pk.column)
        member = quote(groups.m2m_column_name())
        member_group = quote(groups.m2m_reverse_name())
        key = quote(token_model._meta.get_field("key").column)
        self.sql = (
            f"SELECT {', '.join(columns)} "
            f"FROM {quote(token_model._meta.db_table)} t "
            f"INNER JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{user_pk} = t.{quote(user_fk.column)} "
            f"LEFT OUTER JOIN {quote(through.db_table)} ug "
            f"ON ug.{member} = u.{user_pk} "
            f"LEFT OUTER JOIN {quote(group_model._meta.db_table)} g "
            f"ON g.{group_pk} = ug.{member_group} "
            f"WHERE t.{key} = %s"
        )
        self.token_names = [f.attname for f in self.token_fields]
        self.user_names = [f.attname for f in self.user_fields]
        # what the ORM applies to each column it reads (none on PostgreSQL today)
        self.converters = []
        for i, field in enumerate(self.token_fields + self.user_fields):
            col = field.get_col("t" if i < len(self.token_fields) else "u")
            converters = connection.ops.get_db_converters(
                col
            ) + field.get_db_converters(connection)
            if converters:
                self.converters.append((i, col, converters))

    def load(self, row: tuple, using: str, connection: Any) -> tuple[Any, Any]:
        values = list(row[:-1])
        for i, col, converters in self.converters:
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        n = len(self.token_fields)
        token = self.token_model.from_db(using, self.token_names, values[:n])
        user = self.user_model.from_db(using, self.user_names, values[n:])
        self.user_fk.set_cached_value(token, user)
        return token, user


@cache
def _token_query(token_model: Any, using: str) -> _TokenQuery:
    return _TokenQuery(token_model, using)
