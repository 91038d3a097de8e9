"""Reads of the tree of places that other apps and the dashboard ask for."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Locality, LocalityKind, LocalityQuerySet


def localities_in_force_during(
    root: Locality, *, kind: str, start: datetime.date, end: datetime.date
) -> LocalityQuerySet:
    """The places of ``kind`` (a ``LocalityKind`` value) in ``root``'s subtree that were in
    force on at least one day from ``start`` to ``end`` (both included), in tree order. A ward
    abolished in May still counts for the quarter April–June: it had groups in April. One
    query when read."""
    return (
        Locality.objects.subtree(root)
        .filter(kind=kind)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .in_tree_order()
    )


def wards_in_force_during(root: Locality, *, start: datetime.date, end: datetime.date) -> LocalityQuerySet:
    """``localities_in_force_during`` for wards (a ward is itself when ``root`` is one)."""
    return localities_in_force_during(root, kind=LocalityKind.WARD, start=start, end=end)
