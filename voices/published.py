"""What may be published of residents' voices: how many people raised which themes in a place,
never what anyone wrote, and no count that could point at someone (issue 16).

The counts follow ``core.disclosure``: a count from 1 to 4 is withheld, and so is a total that
would give one back by subtraction. Two kinds of total are published:

- within a place's own table, the number of people is the total of its themes' counts;
- across places, a place's count (of people, or for one theme) is the total of its sub-places'
  counts — every ward has a page of its own — and of the voices about the place as a whole.
  An area's count is withheld where, less its wards' published counts, it would give a ward's
  withheld count back.

A person is a voice heard in the period (``voices_heard``). A voice raising two themes counts
once under each and once in the total.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Hashable

from django.db.models import Q, QuerySet

from core.disclosure import THRESHOLD, PublishedCount, publish_count, publish_table
from localities.models import Locality, path_ids
from organisations.models import TaxonomyTerm

from .models import Voice, VoiceStatus

UNSORTED = None  # the key of voices given no theme yet


@dataclasses.dataclass(frozen=True)
class ThemeRow:
    """One row of a place's published table: ``term`` (None: not yet sorted by theme) and the
    ``count`` of people who raised it, as published."""

    term: TaxonomyTerm | None
    count: PublishedCount


@dataclasses.dataclass(frozen=True)
class PublishedVoices:
    """A place's published counts for ``start`` to ``end`` (both included): ``rows``, the themes
    raised there (published counts first, largest first, then withheld ones by name, then voices
    not yet sorted), and ``people``, how many people told the network what matters there."""

    place: Locality
    start: datetime.date
    end: datetime.date
    rows: list[ThemeRow]
    people: PublishedCount
    threshold: int = THRESHOLD

    @property
    def empty(self) -> bool:
        """Nobody raised anything here in the period."""
        return self.people.value == 0


def _withheld(count: PublishedCount) -> PublishedCount:
    return count if count.withheld else PublishedCount(None, count.threshold)


def voices_heard(place: Locality, *, start: datetime.date, end: datetime.date) -> QuerySet[Voice]:
    """The people counted for ``place`` from ``start`` to ``end`` (dates, both included, as
    heard, Europe/London), here, in the voices brief and on the dashboard: counted voices
    (``VoiceQuerySet.counted``: a merged duplicate counts once) about ``place`` or a place
    inside it. A voice erased at the resident's request still counts, as nobody: its words and
    contact details are gone, its place, themes and status stay (ADR 12). Lazy."""
    return (
        Voice.objects.counted()
        .filter(created_at__date__range=(start, end))
        .filter(Q(locality=place) | Q(locality__ancestor_path__startswith=place.descendant_prefix))
    )


def _counted_voices(place: Locality, start: datetime.date, end: datetime.date, *fields: str) -> list[tuple]:
    """``(voice id, locality id, its ancestor path, *fields)`` of ``voices_heard``. One query."""
    return list(
        voices_heard(place, start=start, end=end).values_list("pk", "locality_id", "locality__ancestor_path", *fields)
    )


def _publish(
    place: Locality, voices: list[tuple[int, int, str]], keys_of: dict[int, list[Hashable]]
) -> tuple[dict[Hashable, PublishedCount], PublishedCount]:
    """``({key: people, as published}, people in all, as published)`` for ``voices`` of
    ``place``, each counting once under each of its ``keys_of`` (default ``[UNSORTED]``): both
    suppression rules of the module applied. No query."""
    # Counted for the place, and for each part of it whose own page publishes counts: the
    # sub-place each voice lies in (the first step below ``place`` on its path), or the place
    # itself for a voice about the whole of it.
    depth = len(path_ids(place.descendant_prefix))
    people: Counter[Hashable] = Counter()
    by_part: dict[Hashable, Counter[Hashable]] = {}
    for voice_id, locality_id, ancestor_path in voices:
        below = [*path_ids(ancestor_path), locality_id][depth:]
        part = below[0] if below else "itself"
        people[part] += 1
        counts = by_part.setdefault(part, Counter())
        for key in keys_of.get(voice_id) or [UNSORTED]:
            counts[key] += 1

    key_counts: Counter[Hashable] = Counter()
    for counts in by_part.values():
        key_counts.update(counts)
    table = publish_table(dict(key_counts), sum(people.values()))

    def across_parts(key: Hashable, count: PublishedCount) -> PublishedCount:
        parts = {part: counts[key] for part, counts in by_part.items()}
        return _withheld(count) if publish_table(parts, sum(parts.values())).total.withheld else count

    across_people = publish_table(dict(people), sum(people.values())).total
    total = _withheld(table.total) if across_people.withheld else table.total
    return {key: across_parts(key, count) for key, count in table.parts.items()}, total


def published_voices(place: Locality, *, start: datetime.date, end: datetime.date) -> PublishedVoices:
    """The counts of people who raised each theme in ``place`` (or anywhere inside it) from
    ``start`` to ``end`` (dates, both included, as the voices were heard, Europe/London), as
    they may be published (the module's rules). Three queries, whatever the number of voices."""
    voices = _counted_voices(place, start, end)
    themes_of: dict[int, list[Hashable]] = {}
    for voice_id, term_id in Voice.themes.through.objects.filter(voice_id__in=[pk for pk, *_ in voices]).values_list(
        "voice_id", "taxonomyterm_id"
    ):
        themes_of.setdefault(voice_id, []).append(term_id)
    counts, total = _publish(place, voices, themes_of)

    terms = TaxonomyTerm.objects.in_bulk([key for key in counts if key is not UNSORTED])
    rows = [ThemeRow(terms[key], count) for key, count in counts.items() if key is not UNSORTED]
    rows.sort(key=lambda row: (row.count.withheld, -(row.count.value or 0), row.term.name.lower()))
    if UNSORTED in counts:
        rows.append(ThemeRow(None, counts[UNSORTED]))
    return PublishedVoices(place, start, end, rows, total)


@dataclasses.dataclass(frozen=True)
class StatusRow:
    """How many people's voices stand at ``status`` (a ``VoiceStatus``), as published."""

    status: VoiceStatus
    count: PublishedCount


def published_progress(
    place: Locality, *, start: datetime.date, end: datetime.date
) -> tuple[list[StatusRow], PublishedCount]:
    """What became of what residents said in ``place`` ("you said, we did"): for each
    ``VoiceStatus`` in order (heard, in the plan, acted on, not taken forward), the people heard
    from ``start`` to ``end`` in ``place`` or anywhere inside it whose voice stands there now,
    and the people in all; as they may be published (the module's rules). One query."""
    rows = _counted_voices(place, start, end, "status")
    counts, total = _publish(place, [row[:3] for row in rows], {pk: [status] for pk, *_rest, status in rows})
    return [StatusRow(status, counts.get(status.value, publish_count(0))) for status in VoiceStatus], total
