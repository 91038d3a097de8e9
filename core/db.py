"""Database helpers with no domain in them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value


class _EqualsAny(Func):
    """``field = ANY(array)``, the array passed as one parameter."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def among(field: str, ids: Sequence[int]) -> Q:
    """Rows whose integer ``field`` (e.g. ``"organisation_id"``) is one of ``ids``.

    ``field__in=ids`` sends one parameter per id; with a few hundred ids repeated across a
    page's queries, quoting and splitting them cost more than the queries (the dashboard: some
    60 ms of 500). On PostgreSQL the ids travel as one array instead; elsewhere as ``IN``.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.fields import ArrayField

        return Q(_EqualsAny(F(field), Value(list(ids), output_field=ArrayField(BigIntegerField()))))
    return Q(**{f"{field}__in": list(ids)})
