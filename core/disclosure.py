"""Publishing counts of people without identifying anyone: small-count suppression.

A count of people published for a small place ("2 residents of Almondbury raised debt") can
point at one household. The rule the portal follows is the usual one of UK official statistics
(the ONS's and NHS England's small-number policies for published tables):

- **primary suppression**: a count from 1 to ``threshold - 1`` (1 to 4 by default) is withheld
  and shown as "fewer than 5"; nought and counts of ``threshold`` or more are shown;
- **secondary suppression**: where a total is published beside its parts, the total less the
  shown parts is what the withheld parts come to. The total is withheld too when that sum would
  be a small count itself (fewer than ``threshold``: one part alone withheld is always so), or
  would pin one withheld part down to a single value (two parts withheld coming to 8 can only
  be 4 and 4).

No domain here: the caller says what the parts and the total are. Parts that do not add up to
the total (a resident raising two themes counts once in the total and once in each theme) are
treated as if they did, which withholds a little more than strictly needed and never less.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

THRESHOLD = 5

Key = TypeVar("Key", bound=Hashable)


@dataclasses.dataclass(frozen=True)
class PublishedCount:
    """A count as it may be published: ``value`` is None when it is withheld.

    ``str()`` gives the words a page shows: the number, or "fewer than 5" for a small count
    withheld, or "withheld" for a total that would give a small count away."""

    value: int | None
    threshold: int = THRESHOLD
    small: bool = False

    @property
    def withheld(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        if self.small:
            return _("fewer than %(threshold)d") % {"threshold": self.threshold}
        return _("withheld")


@dataclasses.dataclass(frozen=True)
class PublishedTable(Generic[Key]):
    """``parts`` (``{key: PublishedCount}``, in the order given) and their ``total``."""

    parts: dict[Key, PublishedCount]
    total: PublishedCount

    @property
    def any_withheld(self) -> bool:
        """Whether the table must say that some figures are withheld (and why)."""
        return self.total.withheld or any(count.withheld for count in self.parts.values())


def publish_count(count: int, *, threshold: int = THRESHOLD) -> PublishedCount:
    """``count`` (people, at least 0) as it may be published on its own: withheld when it is
    from 1 to ``threshold - 1``.

    Raises:
        ValueError: ``count`` is negative or ``threshold`` is less than 1.
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, not {threshold}")
    if count < 0:
        raise ValueError(f"a count of people cannot be negative: {count}")
    if 0 < count < threshold:
        return PublishedCount(None, threshold, small=True)
    return PublishedCount(count, threshold)


def publish_table(parts: Mapping[Key, int], total: int, *, threshold: int = THRESHOLD) -> PublishedTable[Key]:
    """``parts`` (``{key: count of people}``) and their ``total`` as they may be published
    together: each small part withheld (``publish_count``), and the total withheld as well when
    it is small itself or would give a withheld part back by subtraction (the module's rule).

    Raises:
        ValueError: a count is negative or ``threshold`` is less than 1.
    """
    published = {key: publish_count(count, threshold=threshold) for key, count in parts.items()}
    withheld = [parts[key] for key, count in published.items() if count.withheld]
    total_count = publish_count(total, threshold=threshold)
    if withheld and not total_count.withheld and _gives_away(len(withheld), sum(withheld), threshold):
        total_count = PublishedCount(None, threshold)
    return PublishedTable(published, total_count)


def _gives_away(parts: int, together: int, threshold: int) -> bool:
    """Whether knowing that ``parts`` withheld counts (each 1 to ``threshold - 1``) come to
    ``together`` reveals a small count: the sum is small itself, or one part can take one value
    only (the others at their largest leave it its least; at their least, its largest)."""
    largest = threshold - 1
    least_left = max(1, together - (parts - 1) * largest)
    most_left = min(largest, together - (parts - 1))
    return together < threshold or least_left == most_left
