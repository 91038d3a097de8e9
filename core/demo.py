"""What every app's part of the demo data shares: idempotent writes that count what changed.

``manage.py load_demo_data`` (in ``portal``) asks each app's ``demo.py`` for its part, in layer
order, passing one ``DemoLoader``; each part looks its records up by natural key, saves only
what differs, and validates before saving, so a second run changes nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class DemoLoader:
    """Writes demo records, counting those created and updated and the links (re)set."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.links: Counter[str] = Counter()  # many-to-many fields (re)set

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Create the record matching ``lookup``, or update the fields of ``values`` that
        differ; validated before every save, no save when nothing differs."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            validate(obj)
            obj.save()
            self.created[model.__name__] += 1
            return obj
        changed = [name for name, value in values.items() if not same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            validate(obj)
            obj.save()
            self.updated[model.__name__] += 1
        return obj

    def set_related(self, obj: models.Model, field: str, items: list[models.Model]) -> None:
        """Make a many-to-many field hold exactly ``items``, touching nothing if it already does."""
        manager = getattr(obj, field)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in items}:
            manager.set(items)
            self.links[f"{type(obj).__name__}.{field}"] += 1


def validate(obj: models.Model) -> None:
    """Run the field validators (postcode, phone, GSS code formats) and the model's ``clean()``.

    Uniqueness and check constraints are left to the database, which enforces them anyway (an
    error rolls the whole load back): checking them here would cost a query each and double
    the time the load takes.
    """
    obj.full_clean(validate_unique=False, validate_constraints=False)


def same(obj: models.Model, name: str, value: Any) -> bool:
    """True when ``obj.name`` already equals ``value`` (foreign keys compared by id)."""
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value
