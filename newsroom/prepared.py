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
is an integer, a string, an aware datetime or a list of integers (its length
is then part of the shape) that reaches the SQL as one bound parameter, as
ids, slugs and "now" do. If the stand-ins cannot be found exactly (a value
the ORM transforms, such as a ``LIKE`` pattern, or one folded into the SQL
text), the query is simply built every time, so a wrong use is slow, never
wrong.

``RowLoader`` turns such rows back into model instances with their
``select_related`` objects, for a page that needs the object itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

# Stand-ins far outside any id, slug or date the site will ever hand out.
_FIRST_STAND_IN = -(2**40)
_FIRST_MOMENT = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


def _stand_in(value: Any, number: int) -> Any:
    """A stand-in of ``value``'s kind, unique by ``number`` (None: not supported)."""
    if type(value) is int:
        return _FIRST_STAND_IN - number
    if isinstance(value, str):
        return f"prepared-query-argument-{number}-9d1c"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return _FIRST_MOMENT + timedelta(microseconds=number + 1)
    return None


@dataclass(frozen=True)
class _Compiled:
    compiler: Any  # the SQLCompiler that produced ``sql``: it converts the rows
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, int | None], ...]  # (param index, argument, list index)
    adapt: Callable[[Any], Any]  # a value as the ORM hands it to the database driver


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
            params[index] = compiled.adapt(value if position is None else value[position])
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
        kinds = tuple(
            (name, len(value) if isinstance(value, list | tuple) else type(value).__name__)
            for name, value in sorted(arguments.items())
            if name not in self.shape
        )
        return shape, kinds

    def _compile(self, arguments: dict[str, Any]) -> _Compiled | bool:
        stand_ins: list[tuple[Any, str, int | None]] = []  # (stand-in, argument, list index)
        built: dict[str, Any] = {}
        for name, value in arguments.items():
            if name in self.shape:
                built[name] = value
                continue
            is_list = isinstance(value, list | tuple)
            replacements = []
            for position, item in enumerate(value if is_list else [value]):
                stand_in = _stand_in(item, len(stand_ins))
                if stand_in is None:
                    return False
                stand_ins.append((stand_in, name, position if is_list else None))
                replacements.append(stand_in)
            built[name] = replacements if is_list else replacements[0]
        queryset = self.build(**built)
        compiler = queryset.query.get_compiler(using=queryset.db)
        if compiler.connection is not connections[queryset.db]:
            return False
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return False
        adapt_moment = compiler.connection.ops.adapt_datetimefield_value

        def adapt(value: Any) -> Any:
            return adapt_moment(value) if isinstance(value, datetime) else value

        wanted = {adapt(stand_in): (name, position) for stand_in, name, position in stand_ins}
        slots, seen = [], set()
        for index, param in enumerate(params):
            if type(param) in (int, str, datetime) and param in wanted:
                slots.append((index, *wanted[param]))
                seen.add(param)
        if len(seen) != len(wanted):
            return False
        return _Compiled(compiler, sql, tuple(params), tuple(slots), adapt)


class RowLoader:
    """A model instance and its ``select_related`` objects from one ``values_list`` row.

    ``columns`` are the values to select: every concrete field of ``model``,
    then those of each related object. A related object whose key is empty
    (an article without a picture) is left unset, as ``select_related``
    leaves it.

        ARTICLE = RowLoader(Article, "section", "hero_image")
        row = Article.objects.filter(slug=slug).values_list(*ARTICLE.columns).first()
        article = ARTICLE.load(row)     # article.section needs no query
    """

    def __init__(self, model: type[Model], *related: str) -> None:
        self.model = model
        self.parts: list[tuple[str | None, type[Model], list[str]]] = [
            (None, model, [field.attname for field in model._meta.concrete_fields])
        ]
        for name in related:
            related_model = model._meta.get_field(name).related_model
            self.parts.append(
                (
                    name,
                    related_model,
                    [field.attname for field in related_model._meta.concrete_fields],
                )
            )
        self.columns = [
            name if relation is None else f"{relation}__{name}"
            for relation, _model, names in self.parts
            for name in names
        ]

    def load(self, row: tuple, using: str = "default") -> Model:
        start = 0
        instance = None
        for relation, model, names in self.parts:
            values = row[start : start + len(names)]
            start += len(names)
            if relation is None:
                instance = model.from_db(using, names, values)
            elif values[names.index(model._meta.pk.attname)] is not None:
                setattr(instance, relation, model.from_db(using, names, values))
        return instance
