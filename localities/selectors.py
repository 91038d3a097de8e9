"""Reads of the locality tree that pages and other apps share."""

from __future__ import annotations

import datetime

from .models import Locality, LocalityKind, WardBoundary


def ward_list_with_boundaries(locality: Locality, *, on: datetime.date | None = None) -> list[Locality]:
    """The wards in force on ``on`` (default today) in ``locality``'s subtree (the locality
    itself if it is a ward), by name, each with its boundary loaded: one query. Read a ward's
    outline with ``ward_boundary(ward)``."""
    return list(
        Locality.objects.current(on)
        .subtree(locality)
        .filter(kind=LocalityKind.WARD)
        .select_related("boundary")
        .order_by("name")
    )


def ward_boundary(ward: Locality) -> WardBoundary | None:
    """The ward's outline, or None when it has none (no query once ``boundary`` is loaded)."""
    try:
        return ward.boundary
    except WardBoundary.DoesNotExist:
        return None
