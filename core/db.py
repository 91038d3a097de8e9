"""Database helpers with no domain in them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Expression, F, Func, Q
from django.utils.functional import cached_property
from django.utils.text import slugify


class _EqualsAny(Func):
    """``field = ANY(array)``, the array passed as one parameter."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


class _BigIntArray(Expression):
    """``ids`` as one ``bigint[]`` parameter, written as PostgreSQL's array literal
    (``{1,2,3}``): a ``Value`` with an ``ArrayField`` would run each id through the field's
    preparation and the driver's list adapter, some 30 µs an id."""

    def __init__(self, ids: list[int]):
        super().__init__()
        self.ids = ids

    @cached_property
    def output_field(self):
        from django.contrib.postgres.fields import ArrayField

        return ArrayField(BigIntegerField())

    def as_sql(self, compiler, connection):
        return "%s::bigint[]", ["{" + ",".join(map(str, self.ids)) + "}"]


def among(field: str, ids: Sequence[int]) -> Q:
    """Rows whose integer ``field`` (e.g. ``"organisation_id"``) is one of ``ids``.

    ``field__in=ids`` sends one parameter per id; with a few hundred ids repeated across a
    page's queries, quoting and splitting them cost more than the queries (the dashboard: some
    60 ms of 500). On PostgreSQL the ids travel as one array instead; elsewhere as ``IN``.
    """
    if connection.vendor == "postgresql":
        return Q(_EqualsAny(F(field), _BigIntArray([int(pk) for pk in ids])))
    return Q(**{f"{field}__in": list(ids)})


def free_slug(queryset, name: str, *, max_length: int, fallback: str) -> str:
    """A slug for ``name`` that no row of ``queryset`` has yet: ``slugify(name)`` (cut to
    ``max_length``; ``fallback`` for a name with no letters), with ``-2``, ``-3``... added on a
    clash, the base cut shorter so that the whole stays within ``max_length`` (the column's
    limit: PostgreSQL refuses a longer value). One query."""
    base = (slugify(name) or fallback)[:max_length]
    # Every candidate starts with this much of the base (room left for "-" and ten digits).
    stem = base[: max(max_length - 11, 1)]
    taken = set(queryset.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
    return slug
