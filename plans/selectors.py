"""Reads of plans that span models or depend on who is asking. Each fetches what its page shows
in a fixed number of queries, whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from localities.models import Locality
from organisations.models import Organisation, TaxonomyTerm

from .models import (
    SECTION_LABELS,
    LocalityPlan,
    LocalityPlanQuerySet,
    PlanItem,
    PlanItemKind,
    PlanReference,
)


def _with_item_counts(plans: QuerySet[LocalityPlan]) -> QuerySet[LocalityPlan]:
    """Annotate ``<kind>_count`` for each section (``priority_count`` ...), in the same query."""
    return plans.annotate(
        **{f"{kind}_count": Count("items", filter=Q(items__kind=kind)) for kind in PlanItemKind.values}
    )


def plan_list_public() -> LocalityPlanQuerySet:
    """Published plans, newest first, with their place, owner and how many items each section
    has: one query for a page of plans."""
    return _with_item_counts(LocalityPlan.objects.published().select_related("locality", "owner")).order_by(
        "-published_on", "locality__name", "-pk"
    )


def plan_list_editable(*, user) -> QuerySet[LocalityPlan]:
    """Plans the user may change, by place then newest first, for their "Your plans" page."""
    return _with_item_counts(LocalityPlan.objects.editable_by(user).select_related("locality", "owner")).order_by(
        "locality__name", "-period_start", "-created_at"
    )


def plan_detail(plans: QuerySet[LocalityPlan]) -> QuerySet[LocalityPlan]:
    """``plans`` with everything the plan page shows: items in section order with their themes,
    the published organisations they name, and the references (the plan's and its items').
    Six queries for a plan, however many items it has."""
    items = PlanItem.objects.order_by("kind", "order").prefetch_related(
        Prefetch("themes", queryset=TaxonomyTerm.objects.order_by("name")),
        Prefetch(
            "organisations",
            queryset=Organisation.objects.public().order_by("name"),
            to_attr="public_organisations",
        ),
    )
    return plans.select_related("locality", "owner", "supersedes").prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("references", queryset=PlanReference.objects.order_by("kind", "title")),
    )


def plan_current_for_locality(locality: Locality) -> LocalityPlan | None:
    """The published plan for ``locality`` or, if it has none, for the nearest place it is part
    of (a ward shows its area's plan). One query; ``None`` when there is none."""
    candidates = list(
        LocalityPlan.objects.published()
        .filter(locality_id__in=[locality.pk, *locality.ancestor_ids])
        .select_related("locality", "owner")
    )
    if not candidates:
        return None
    return max(candidates, key=lambda plan: plan.locality.depth)


def plans_covering(locality: Locality) -> QuerySet[LocalityPlan]:
    """Published plans for the places ``locality`` is part of (its area, its district)."""
    return (
        LocalityPlan.objects.published()
        .filter(locality_id__in=locality.ancestor_ids)
        .select_related("locality", "owner")
        .order_by("-locality__ancestor_path")
    )


def plan_history(plan: LocalityPlan, *, visible: QuerySet[LocalityPlan]) -> list[LocalityPlan]:
    """The other plans for the same locality among ``visible`` (what the reader may see),
    newest first: the locality's plans year on year."""
    return list(
        visible.filter(locality_id=plan.locality_id)
        .exclude(pk=plan.pk)
        .order_by("-period_start", "-published_on", "-created_at")
    )


def plan_current_replacement(plan: LocalityPlan) -> LocalityPlan | None:
    """For a superseded plan: the locality's current published plan (the one to read now)."""
    if not plan.is_superseded:
        return None
    return LocalityPlan.objects.published().filter(locality_id=plan.locality_id).first()


@dataclass
class Section:
    """One of the four sections of a plan page: its kind, heading and items in order."""

    kind: str
    heading: str
    items: list = field(default_factory=list)


def plan_sections(plan: LocalityPlan) -> tuple[list[Section], list[PlanReference]]:
    """The plan's items grouped in section order (priorities, concerns, opportunities,
    connections), each item with ``item_references``; and the references for the whole plan.
    Uses what ``plan_detail`` prefetched: no queries."""
    sections = {kind: Section(kind=kind, heading=str(label)) for kind, label in SECTION_LABELS.items()}
    references_by_item: dict[int | None, list[PlanReference]] = {}
    for reference in plan.references.all():
        references_by_item.setdefault(reference.item_id, []).append(reference)
    for item in plan.items.all():
        item.item_references = references_by_item.get(item.pk, [])
        sections[item.kind].items.append(item)
    return list(sections.values()), references_by_item.get(None, [])


@dataclass
class ThemePlace:
    """A place whose plan raises a theme, with the plan's items about it."""

    locality: Locality
    items: list[PlanItem] = field(default_factory=list)


@dataclass
class Theme:
    """A theme across locality plans: the term (None for items given no theme), and the places
    whose plans raise it, each with its items, in place-name order."""

    term: TaxonomyTerm | None
    places: list[ThemePlace] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(place.items) for place in self.places)

    def count_of(self, kind: str) -> int:
        return sum(1 for place in self.places for item in place.items if item.kind == kind)

    @property
    def priority_count(self) -> int:
        return self.count_of(PlanItemKind.PRIORITY)

    @property
    def concern_count(self) -> int:
        return self.count_of(PlanItemKind.CONCERN)

    @property
    def anchor(self) -> str:
        return f"theme-{self.term.slug}" if self.term else "theme-none"


THEMED_KINDS = (PlanItemKind.PRIORITY, PlanItemKind.CONCERN)


def plan_themes_visible_to(*, user) -> list[Theme]:
    """The priorities and concerns of every plan ``user`` may read that is still in force
    (``LocalityPlan.objects.visible_to(user).in_force()``: not superseded, so a place's old
    plan does not count twice), grouped by theme and then by the plan's place. Themes raised in
    the most places come first (then the most items, then by name); items with no theme come
    last. An item with two themes appears under each. Two queries, however many plans."""
    items = (
        PlanItem.objects.filter(plan__in=LocalityPlan.objects.visible_to(user).in_force(), kind__in=THEMED_KINDS)
        .select_related("plan__locality")
        .prefetch_related(Prefetch("themes", queryset=TaxonomyTerm.objects.order_by("name")))
        .order_by("plan__locality__name", "plan__locality_id", "plan_id", "kind", "order")
    )
    themes: dict[int | None, Theme] = {}
    for item in items:
        for term in list(item.themes.all()) or [None]:
            theme = themes.setdefault(term.pk if term else None, Theme(term))
            if not theme.places or theme.places[-1].locality.pk != item.plan.locality_id:
                theme.places.append(ThemePlace(item.plan.locality))
            theme.places[-1].items.append(item)

    def most_places_first(theme: Theme) -> tuple:
        return (theme.term is None, -len(theme.places), -theme.item_count, theme.term.name if theme.term else "")

    return sorted(themes.values(), key=most_places_first)
