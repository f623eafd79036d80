"""Compile once, run many: the SQL of a list read often without filters (a partner system polling the
newest initiatives), kept per page window instead of built and compiled by Django on every request.

Building and compiling a query costs more than running it (for a key's merged list, about twice as
much). A prepared list compiles its query once, with a stand-in for the one value that differs between
callers (the id of a key's organisation), and afterwards runs that SQL with the caller's own value.
Only SQL is kept, never rows: every request reads the database. A query holding a moment (``now()``
read in Python) is refused, as its SQL would go stale."""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# An id no row has; it stands for the caller's value while the SQL is compiled.
STAND_IN = -(2**62) - 17

# Makes the rows of one page window: ``(bound, window) -> values queryset``, sliced.
Build = Callable[[int, slice], QuerySet]


@dataclass(frozen=True)
class PreparedQuery:
    sql: str
    params: tuple[Any, ...]
    slots: frozenset[int]  # the positions in ``params`` that take the caller's value
    columns: tuple[str, ...]
    converters: tuple[tuple[int, Sequence[Callable[..., Any]], Any], ...]  # (column, converters, expression)
    using: str

    @classmethod
    def of(cls, queryset: QuerySet, stand_in: int | str = STAND_IN) -> "PreparedQuery":
        """``queryset``, a ``values()`` queryset built with ``stand_in`` for the caller's value."""
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        if str(stand_in) in sql:
            raise ValueError("The stand-in must reach the SQL as a parameter.")
        if any(isinstance(param, datetime.date | datetime.time) for param in params):
            raise ValueError("A query holding a moment would go stale: prepare it without one.")
        converters = compiler.get_converters([selected[0] for selected in compiler.select])
        return cls(
            sql=sql,
            params=tuple(params),
            slots=frozenset(position for position, param in enumerate(params) if param == stand_in),
            columns=(*query.extra_select, *query.values_select, *query.annotation_select),
            converters=tuple(
                (position, functions, expression) for position, (functions, expression) in converters.items()
            ),
            using=queryset.db,
        )

    def rows(self, bound: int | str | None) -> list[dict[str, Any]]:
        """The rows for the caller whose value is ``bound``, as ``values()`` gives them."""
        params = [bound if position in self.slots else param for position, param in enumerate(self.params)]
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        rows = []
        for values in fetched:
            row = list(values)
            for position, functions, expression in self.converters:
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
            rows.append(dict(zip(self.columns, row, strict=True)))
        return rows


@functools.lru_cache(maxsize=256)
def prepared(build: Build, start: int, stop: int) -> PreparedQuery:
    return PreparedQuery.of(build(STAND_IN, slice(start, stop)))


class PreparedRows:
    """Sliceable like a queryset (``rows[start:stop]``), which is all the paginator asks of it."""

    def __init__(self, build: Build, bound: int | None = None) -> None:
        """``build``: a module-level function (the cache's key); ``bound``: the caller's value."""
        self.build, self.bound = build, bound

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return prepared(self.build, window.start or 0, window.stop).rows(self.bound)
