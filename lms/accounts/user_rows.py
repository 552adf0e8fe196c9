"""A user, the user's roles and whether they hold permissions of their own, read
in one query whose SQL is built once per process (issue 19).

Every signed-in request loads its user: from the session (`backends.ModelBackend`)
or from an API token (`authentication.TokenAuthentication`). Building that query
through the ORM (a QuerySet with joins and an EXISTS, compiled to SQL every time)
cost more than running it: the SQL is kept, and each row made into the instances
the ORM would make, every field loaded, so whatever reads `request.user` later sees
a whole user. One row per role (or one with NULL).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections


class UserRows:
    """SELECT [token columns,] user columns, group name, EXISTS(own permission)
    FROM [token JOIN] user LEFT JOIN the user's groups WHERE <key> = %s."""

    def __init__(self, using: str, token_model: Any = None) -> None:
        connection = connections[using]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        groups = user_model._meta.get_field("groups")
        through = groups.remote_field.through._meta
        group_model = groups.related_model
        own = user_model._meta.get_field("user_permissions")
        self.user_model, self.token_model = user_model, token_model
        self.token_fields = (
            list(token_model._meta.concrete_fields) if token_model else []
        )
        self.user_fields = list(user_model._meta.concrete_fields)
        user_pk = quote(user_model._meta.pk.column)
        columns = [f"t.{quote(f.column)}" for f in self.token_fields]
        columns += [f"u.{quote(f.column)}" for f in self.user_fields]
        columns.append(f"g.{quote(group_model._meta.get_field('name').column)}")
        columns.append(
            f"EXISTS(SELECT 1 FROM {quote(own.remote_field.through._meta.db_table)} "
            f"p WHERE p.{quote(own.m2m_column_name())} = u.{user_pk})"
        )
        if token_model is None:
            source = f"{quote(user_model._meta.db_table)} u"
            where = f"u.{user_pk} = %s"
        else:
            self.user_fk = token_model._meta.get_field("user")
            if self.user_fk.related_model is not user_model:
                raise ValueError("the token's user is not AUTH_USER_MODEL")
            source = (
                f"{quote(token_model._meta.db_table)} t "
                f"INNER JOIN {quote(user_model._meta.db_table)} u "
                f"ON u.{user_pk} = t.{quote(self.user_fk.column)}"
            )
            where = f"t.{quote(token_model._meta.get_field('key').column)} = %s"
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {source} "
            f"LEFT OUTER JOIN {quote(through.db_table)} ug "
            f"ON ug.{quote(groups.m2m_column_name())} = u.{user_pk} "
            f"LEFT OUTER JOIN {quote(group_model._meta.db_table)} g "
            f"ON g.{quote(group_model._meta.pk.column)} = "
            f"ug.{quote(groups.m2m_reverse_name())} "
            f"WHERE {where}"
        )
        self.token_names = [f.attname for f in self.token_fields]
        self.user_names = [f.attname for f in self.user_fields]
        # what the ORM applies to each column it reads (none on PostgreSQL today)
        self.converters = []
        n = len(self.token_fields)
        for i, field in enumerate(self.token_fields + self.user_fields):
            col = field.get_col("t" if i < n else "u")
            found = connection.ops.get_db_converters(col) + field.get_db_converters(
                connection
            )
            if found:
                self.converters.append((i, col, found))

    def read(self, using: str, key: Any) -> tuple[Any, Any, list[str]] | None:
        """(token or None, user, role names) for the key, None when no row."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [key])
            rows = cursor.fetchall()
        if not rows:
            return None
        values = list(rows[0][:-2])
        for i, col, converters in self.converters:
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        n = len(self.token_fields)
        user = self.user_model.from_db(using, self.user_names, values[n:])
        user.has_own_permissions = bool(rows[0][-1])
        token = None
        if self.token_model is not None:
            token = self.token_model.from_db(using, self.token_names, values[:n])
            self.user_fk.set_cached_value(token, user)
        return token, user, [row[-2] for row in rows if row[-2]]


@cache
def user_rows(using: str, token_model: Any = None) -> UserRows:
    return UserRows(using, token_model)
