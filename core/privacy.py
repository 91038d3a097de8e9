"""Erasing personal data kept in plain fields, and in their audit history: the one mechanism
behind each app's retention job and its answer to a UK GDPR erasure request (article 17).

No domain here: the app says which model, which fields hold the personal data, and which rows.
simple-history copies every field into every history row, so the history rows are blanked too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

if TYPE_CHECKING:
    from .permissions import User


def holds_any(fields: tuple[str, ...]) -> Q:
    """The condition "some of ``fields`` is not blank": rows with something left to erase."""
    return ~Q(**dict.fromkeys(fields, ""))


def erase_fields(
    rows: models.QuerySet,
    history: models.QuerySet,
    *,
    fields: tuple[str, ...],
    user: User | None,
    reason: str,
) -> list[int]:
    """Blank ``fields`` (text fields) on ``rows`` — recording one history row each, by ``user``
    (None: the system) with ``reason`` (at most 100 characters, simple-history's limit) — and
    on the ``history`` rows. Rows already blank are left alone, so erasing twice changes
    nothing. Four queries whatever the number of rows. Returns the ids of the rows changed."""
    blank = dict.fromkeys(fields, "")
    objs = list(rows.filter(holds_any(fields)))
    now = timezone.now()
    for obj in objs:
        for name, value in blank.items():
            setattr(obj, name, value)
        obj.updated_at = now
    if objs:
        bulk_update_with_history(
            objs, rows.model, [*fields, "updated_at"], default_user=user, default_change_reason=reason
        )
    history.filter(holds_any(fields)).update(**blank)
    return [obj.pk for obj in objs]


def plain_values(obj: models.Model) -> dict[str, Any]:
    """``obj``'s stored fields as ``{name: value}`` for a person's copy of their data (UK GDPR
    article 15): a related record as its name (``str``), None when empty; JSON-serialisable
    with ``DjangoJSONEncoder``. Reads each relation, so select the related rows first."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.is_relation:
            related = getattr(obj, field.name)
            values[field.name] = str(related) if related is not None else None
        else:
            values[field.name] = field.value_from_object(obj)
    return values
