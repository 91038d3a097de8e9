"""A helper for the tests of personal-data erasure (retention, UK GDPR requests)."""

from __future__ import annotations

from django.db import models


def contact_left(record: models.Model) -> list[tuple[str, ...]]:
    """Every copy of ``record``'s personal data (its model's ``PRIVATE_FIELDS``) still held, in
    its row and its history rows (django-simple-history): the rows with any of them not blank."""
    model = type(record)
    fields = model.PRIVATE_FIELDS
    rows = [model.objects.values_list(*fields).get(pk=record.pk)]
    rows += list(model.history.filter(id=record.pk).values_list(*fields))
    return [row for row in rows if any(row)]
