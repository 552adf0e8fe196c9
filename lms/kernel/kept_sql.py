"""An ORM query's SQL built once per process and run again with other values
(issue 19).

Building a QuerySet with subqueries and compiling it to SQL can cost more than
running it: the heartbeat's trainee row (four subqueries) spent half its CPU there.
`KeptQuery` builds the query once, with a sentinel for each value that changes
between calls, remembers the SQL and where each sentinel landed among its
parameters, and from then on only swaps the values in (in the parameter type the
ORM chose there, e.g. psycopg's Int4). The rows come back as the ORM's `values()`
gives them: the same names, each column through the same converters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# within a (positive) 32-bit integer field's range: a value out of a field's range
# makes the ORM compile its condition away (then `_compile` says so); no constant
# of a query is ever this
_SENTINEL_INT = 2_013_265_000


class KeptQuery:
    """``KeptQuery(build, user_id=int, event_id=str)``: `build(**values)` returns a
    `values()` QuerySet; `.rows(**values)` runs its kept SQL with these values."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        using: str = "default",
        **kinds: type,
    ) -> None:
        self.build, self.using, self.kinds = build, using, kinds
        self._lock = threading.Lock()
        self._kept: _Kept | None = None

    def _sentinels(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for n, (name, kind) in enumerate(sorted(self.kinds.items())):
            if kind is int:
                out[name] = _SENTINEL_INT + n
            elif kind is str:
                out[name] = f"\x00kept-sql:{name}\x00"
            else:
                raise TypeError(f"{name}: only int and str values can be kept")
        return out

    def _compile(self) -> _Kept:
        sentinels = self._sentinels()
        queryset = self.build(**sentinels)
        query = queryset.query
        compiler = query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        selected = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = [
            (index, functions, expression)
            for index, (functions, expression) in compiler.get_converters(
                selected
            ).items()
        ]
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        by_sentinel = {value: name for name, value in sentinels.items()}
        template: list[Any] = []
        for param in params:
            name = by_sentinel.get(param) if isinstance(param, int | str) else None
            template.append(_Literal(param) if name is None else (name, type(param)))
        if set(sentinels) - {t[0] for t in template if isinstance(t, tuple)}:
            raise ValueError("a value the query was built with is not a parameter")
        return _Kept(sql, template, names, converters)

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        if set(values) != set(self.kinds):
            raise TypeError(f"expected the values {sorted(self.kinds)}")
        if self._kept is None:
            with self._lock:
                if self._kept is None:
                    self._kept = self._compile()
        kept = self._kept
        params = [
            p.value if isinstance(p, _Literal) else p[1](values[p[0]])
            for p in kept.template
        ]
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(kept.sql, params)
            found = cursor.fetchall()
        out = []
        for row in found:
            columns = list(row)
            for index, functions, expression in kept.converters:
                for convert in functions:
                    columns[index] = convert(columns[index], expression, connection)
            out.append(dict(zip(kept.names, columns, strict=True)))
        return out


@dataclass(frozen=True)
class _Kept:
    sql: str
    template: list[Any]  # _Literal, or (value's name, the parameter's type)
    names: list[str]
    converters: list[tuple[int, list[Callable[..., Any]], Any]]


class _Literal:
    """A parameter that is the same in every call (a status, a constant)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value
