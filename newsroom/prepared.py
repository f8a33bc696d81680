"""Querysets turned into SQL once per process, then run with new ids.

Building a queryset and compiling it to SQL costs Django 0.5 to 2 ms of
Python per query (measured on the article page's comment queries, about a
fifth of a page built from scratch), and the SQL only depends on the
query's *shape*, not on the ids it is asked about. ``PreparedQuery`` builds
and compiles a ``values_list()`` queryset once per shape, with stand-in ids,
finds where those ids went among the SQL parameters, and afterwards runs
that SQL with the real ids: the same SQL, parameters and result conversion
as the queryset would produce, without building it again. (PostgreSQL's
prepared statements then spare the server the parsing and planning too.)

    THREADS = PreparedQuery(
        lambda article_id, sort: Comment.objects.filter(article_id=article_id)
        .sorted_by(sort)
        .values_list("pk", "body"),
        shape=("sort",),
    )
    rows = THREADS(article_id=42, sort="newest")    # a list of tuples

Arguments named in ``shape`` change the SQL itself (an order, a slice, a
filter that is there or not) and are part of the key; every other argument
must be an integer, or a list of integers (its length is then part of the
shape), that reaches the SQL as bound parameters unchanged, as ids do. If
the stand-ins cannot be found exactly (a value the ORM transforms, or one
folded into the SQL text), the query is simply built every time, so a
wrong use is slow, never wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Stand-ins far outside any id the site will ever hand out.
_FIRST_STAND_IN = -(2**40)


@dataclass(frozen=True)
class _Compiled:
    compiler: Any  # the SQLCompiler that produced ``sql``: it converts the rows
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, int | None], ...]  # (param index, argument, list index)


class PreparedQuery:
    """A ``values_list()`` queryset compiled once per shape; see the module docstring."""

    def __init__(self, build: Callable[..., QuerySet], *, shape: tuple[str, ...] = ()) -> None:
        self.build = build
        self.shape = shape
        self._local = threading.local()  # compilers hold their thread's connection

    def __call__(self, **arguments: Any) -> list[tuple]:
        key = self._key(arguments)
        compiled = self._compiled().get(key)
        if compiled is None:
            compiled = self._compiled()[key] = self._compile(arguments)
        if compiled is False:
            return list(self.build(**arguments))
        params = list(compiled.params)
        for index, name, position in compiled.slots:
            value = arguments[name]
            params[index] = int(value if position is None else value[position])
        connection = compiled.compiler.connection
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.compiler.has_extra_select:
            rows = [row[: compiled.compiler.col_count] for row in rows]
        return list(compiled.compiler.results_iter(results=[rows], tuple_expected=True))

    def _compiled(self) -> dict[Hashable, _Compiled | bool]:
        if not hasattr(self._local, "compiled"):
            self._local.compiled = {}
        return self._local.compiled

    def _key(self, arguments: dict[str, Any]) -> Hashable:
        shape = tuple(arguments[name] for name in self.shape)
        lengths = tuple(
            (name, len(value))
            for name, value in sorted(arguments.items())
            if name not in self.shape and isinstance(value, list | tuple)
        )
        return shape, lengths

    def _compile(self, arguments: dict[str, Any]) -> _Compiled | bool:
        stand_ins: dict[int, tuple[str, int | None]] = {}
        built: dict[str, Any] = {}
        next_value = _FIRST_STAND_IN
        for name, value in arguments.items():
            if name in self.shape:
                built[name] = value
            elif isinstance(value, list | tuple):
                built[name] = []
                for position in range(len(value)):
                    stand_ins[next_value] = (name, position)
                    built[name].append(next_value)
                    next_value -= 1
            else:
                stand_ins[next_value] = (name, None)
                built[name] = next_value
                next_value -= 1
        queryset = self.build(**built)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return False
        slots = []
        seen: set[int] = set()
        for index, param in enumerate(params):
            if type(param) is int and param in stand_ins:
                slots.append((index, *stand_ins[param]))
                seen.add(param)
        if seen != set(stand_ins) or compiler.connection is not connections[queryset.db]:
            return False
        return _Compiled(compiler, sql, tuple(params), tuple(slots))
