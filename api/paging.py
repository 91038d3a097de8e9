"""The paged envelope of every list (HSDS 3.0 API): ``total_items``, ``total_pages``,
``page_number`` (1-based), ``size`` (items on this page), ``first_page``, ``last_page``,
``empty`` and ``contents``, over one or more sources read one after another."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class Source:
    """Rows to list: ``count()`` how many, ``rows(start, stop)`` those in that slice (0-based,
    stop excluded) and ``serialise(row)`` each as JSON."""

    count: Callable[[], int]
    rows: Callable[[int, int], Sequence[Any]]
    serialise: Callable[[Any], dict]


def from_queryset(queryset: QuerySet, serialise: Callable[[Any], dict]) -> Source:
    """A source over ``queryset`` (ordered): one query to count, one (plus its prefetches) per page."""
    return Source(queryset.count, lambda start, stop: list(queryset[start:stop]), serialise)


def from_sequence(items: Sequence[Any], serialise: Callable[[Any], dict]) -> Source:
    return Source(lambda: len(items), lambda start, stop: items[start:stop], serialise)


def paginate(sources: Sequence[Source], page: int, per_page: int) -> tuple[dict, list[Any]]:
    """The envelope of page ``page`` of ``per_page`` items over ``sources`` in turn, and the rows
    on it. A page past the last is answered with no contents (``empty`` true), not an error."""
    counts = [source.count() for source in sources]
    total = sum(counts)
    start, stop = (page - 1) * per_page, page * per_page
    rows: list[Any] = []
    contents: list[dict] = []
    offset = 0
    for source, count in zip(sources, counts, strict=True):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if low < high:
            found = source.rows(low, high)
            rows += found
            contents += [source.serialise(row) for row in found]
        offset += count
    total_pages = max(1, math.ceil(total / per_page))
    envelope = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
    return envelope, rows
