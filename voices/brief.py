"""The voices brief for the "top table" (issue 16): each quarter, for the network's board and each
ward councillor, the themes residents raised most in a place, up to three things residents said
that they agreed may be quoted, and what was done.

Not public: it is read by officers, the network's coordinators and anchors, and councillors for
their wards (the dashboard's scope), so it gives exact counts; the public page of the same
counts suppresses small ones (``voices.published``). People are counted as there
(``voices_heard``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter

from django.db.models import Count, QuerySet

from localities.models import Locality
from organisations.models import TaxonomyTerm
from plans.models import PlanItem

from .models import Voice, VoiceStatus
from .published import voices_heard

TOP_THEMES = 5
QUOTES_PER_THEME = 3


@dataclasses.dataclass
class BriefTheme:
    """One theme of the brief (``term`` None: voices not yet given a theme): ``people`` who
    raised it, ``by_status`` (``{VoiceStatus: people}``, every status), up to
    ``QUOTES_PER_THEME`` ``quotes`` (newest first, from residents who agreed to be quoted) and
    the plan ``items`` that cite its voices."""

    term: TaxonomyTerm | None
    people: int = 0
    by_status: dict[VoiceStatus, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(VoiceStatus, 0))
    quotes: list[str] = dataclasses.field(default_factory=list)
    items: list[PlanItem] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class VoicesBrief:
    """``people`` heard in ``place`` (or inside it) from ``start`` to ``end``, ``by_status`` for
    them all, and the ``themes`` raised most (at most ``TOP_THEMES``, most people first; voices
    without a theme last, as one more row)."""

    place: Locality
    start: datetime.date
    end: datetime.date
    people: int
    by_status: dict[VoiceStatus, int]
    themes: list[BriefTheme]


def voices_by_status(place: Locality, *, start: datetime.date, end: datetime.date) -> dict[VoiceStatus, int]:
    """``{VoiceStatus: people}`` for every status, of the people ``voices_heard`` counts: the
    dashboard's figures, equal to the brief's ``by_status``. One query."""
    counts = dict(
        voices_heard(place, start=start, end=end).order_by().values_list("status").annotate(people=Count("pk"))
    )
    return {status: counts.get(status.value, 0) for status in VoiceStatus}


def voices_brief(
    place: Locality, *, start: datetime.date, end: datetime.date, items: QuerySet[PlanItem]
) -> VoicesBrief:
    """The brief for ``place`` over ``start`` to ``end``; a theme's ``items`` are those of
    ``items`` (the plan items its reader may open) citing one of its voices. Five queries,
    whatever the number of voices."""
    voices = list(
        voices_heard(place, start=start, end=end)
        .order_by("-created_at", "-pk")
        .values_list("pk", "status", "may_quote", "what_matters")
    )
    ids = [pk for pk, *_rest in voices]
    themes_of: dict[int, list[int | None]] = {}
    for voice_id, term_id in Voice.themes.through.objects.filter(voice_id__in=ids).values_list(
        "voice_id", "taxonomyterm_id"
    ):
        themes_of.setdefault(voice_id, []).append(term_id)
    cited: dict[int, set[int]] = {}
    for voice_id, item_id in Voice.cited_on.through.objects.filter(
        voice_id__in=ids, planitem_id__in=items.values("pk")
    ).values_list("voice_id", "planitem_id"):
        cited.setdefault(voice_id, set()).add(item_id)

    by_status = Counter(VoiceStatus(status) for _pk, status, *_rest in voices)
    rows: dict[int | None, BriefTheme] = {}
    item_ids: dict[int | None, set[int]] = {}
    for pk, status, may_quote, what_matters in voices:
        for key in themes_of.get(pk) or [None]:
            row = rows.setdefault(key, BriefTheme(None))
            row.people += 1
            row.by_status[VoiceStatus(status)] += 1
            if may_quote and what_matters.strip() and len(row.quotes) < QUOTES_PER_THEME:
                row.quotes.append(what_matters.strip())
            item_ids.setdefault(key, set()).update(cited.get(pk, ()))

    terms = TaxonomyTerm.objects.in_bulk([key for key in rows if key is not None])
    ranked = sorted((key for key in rows if key is not None), key=lambda key: (-rows[key].people, terms[key].name))
    chosen = ranked[:TOP_THEMES] + ([None] if None in rows else [])
    wanted = set().union(*(item_ids[key] for key in chosen)) if chosen else set()
    found = PlanItem.objects.select_related("plan__locality").in_bulk(wanted)
    themes = []
    for key in chosen:
        row = rows[key]
        row.term = terms.get(key) if key is not None else None
        row.items = sorted((found[pk] for pk in item_ids[key] if pk in found), key=lambda item: item.title.lower())
        themes.append(row)
    return VoicesBrief(
        place, start, end, len(voices), {status: by_status.get(status, 0) for status in VoiceStatus}, themes
    )
