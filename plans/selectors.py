"""Reads of plans that span models or depend on who is asking. Each fetches what its page shows
in a fixed number of queries, whatever the number of items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Value, When

from localities.models import Locality
from localities.selectors import councillors_for
from organisations.models import Organisation, TaxonomyTerm

from .models import (
    SECTION_LABELS,
    LocalityPlan,
    LocalityPlanQuerySet,
    PlanComment,
    PlanCommentQuerySet,
    PlanItem,
    PlanItemKind,
    PlanOpening,
    PlanReference,
    PlanShare,
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


# ------------------------------------------------------------------------------
# Sharing with councillors: the list, the plan as shared, and what changed since
# ------------------------------------------------------------------------------
def plan_list_shared_with(*, user) -> QuerySet[LocalityPlan]:
    """Plans shared for the wards ``user`` represents today (``LocalityPlanQuerySet.
    shared_with``), newest share first, each with its place and owner and ``opened`` (True once
    ``user`` has opened it). Three queries for a page of plans (two find the wards)."""
    opened = PlanOpening.objects.filter(plan=OuterRef("pk"), user_id=user.pk)
    return (
        LocalityPlan.objects.shared_with(user)
        .select_related("locality", "owner")
        .annotate(opened=Exists(opened))
        .order_by("-shared_on", "-pk")
    )


# Section order for sorting snapshot rows: priorities, concerns, opportunities, connections.
_SECTION_ORDER = {kind: index for index, kind in enumerate(SECTION_LABELS)}


def plan_items_in_section_order(plan: LocalityPlan) -> QuerySet[PlanItem]:
    """``plan``'s items as the plan page lists them: priorities, concerns, opportunities,
    connections (``SECTION_LABELS``; not the alphabetical order of ``kind``), each section by
    ``order``. A queryset, for a form's item chooser: one query when read."""
    section = Case(*(When(kind=kind, then=Value(index)) for kind, index in _SECTION_ORDER.items()), default=Value(99))
    return plan.items.order_by(section, "order")


def plan_snapshot(plan: LocalityPlan) -> dict[str, Any]:
    """The plan as it stands, as ``PlanShare.snapshot`` keeps it (the shape is in its
    docstring): its title, summary and items in section order, with the names of their themes
    and of the published organisations they name (what the plan page shows), and their "what we
    heard" sentence. Six queries."""
    fresh = plan_detail(LocalityPlan.objects.filter(pk=plan.pk)).get()
    items = sorted(fresh.items.all(), key=lambda item: (_SECTION_ORDER[item.kind], item.order))
    return {
        "title": fresh.title,
        "summary": fresh.summary,
        "items": [
            {
                "id": item.pk,
                "kind": item.kind,
                "order": item.order,
                "title": item.title,
                "detail": item.detail,
                "themes": [theme.name for theme in item.themes.all()],
                "organisations": [organisation.name for organisation in item.public_organisations],
                "evidence": item.evidence_summary,
            }
            for item in items
        ],
    }


@dataclass(frozen=True)
class SharedItem:
    """One item of a plan as it was shared: a row of ``PlanShare.snapshot["items"]``."""

    id: int | None
    kind: str
    order: int
    title: str
    detail: str = ""
    themes: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    evidence: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SharedItem:
        return cls(
            id=row.get("id"),
            kind=row["kind"],
            order=row.get("order", 0),
            title=row.get("title", ""),
            detail=row.get("detail", ""),
            themes=tuple(row.get("themes", ())),
            organisations=tuple(row.get("organisations", ())),
            evidence=row.get("evidence", ""),
        )

    @property
    def kind_label(self) -> str:
        """ "Priority", "Concern" ...: as ``PlanItem.get_kind_display``."""
        return str(PlanItemKind(self.kind).label) if self.kind in PlanItemKind.values else self.kind


def shared_items(share: PlanShare) -> list[SharedItem]:
    """The items of ``share``'s snapshot, in section order."""
    items = [SharedItem.from_row(row) for row in share.snapshot.get("items", [])]
    return sorted(items, key=lambda item: (_SECTION_ORDER.get(item.kind, len(_SECTION_ORDER)), item.order))


def shared_sections(share: PlanShare) -> list[Section]:
    """The snapshot's items grouped in the plan's four sections, in order (empty sections
    included, as the plan page shows them)."""
    sections = {kind: Section(kind=kind, heading=str(label)) for kind, label in SECTION_LABELS.items()}
    for item in shared_items(share):
        if item.kind in sections:
            sections[item.kind].items.append(item)
    return list(sections.values())


@dataclass(frozen=True)
class ItemChange:
    """An item in both versions that reads differently now: ``before`` as shared, ``after``
    as it stands, and ``what`` changed, in words ("title", "detail", "section")."""

    before: SharedItem
    after: PlanItem
    what: tuple[str, ...]


@dataclass
class PlanChanges:
    """What changed in a plan since it was shared, item by item (matched by the item's id, which
    the editor keeps while an item is edited): ``added`` items now in the plan, ``removed``
    items councillors received that are gone, ``changed`` items reworded or moved to another
    section; and whether the title or summary changed."""

    added: list[PlanItem] = field(default_factory=list)
    removed: list[SharedItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    title_changed: bool = False
    summary_changed: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.title_changed or self.summary_changed)


def plan_changes_since_shared(plan: LocalityPlan, share: PlanShare) -> PlanChanges:
    """Compare ``plan`` as it stands (its items, prefetched by ``plan_detail``: no query) with
    ``share``'s snapshot. Renumbering an item within its section is not a change: what it says
    is the same."""
    before = {item.id: item for item in shared_items(share)}
    now = sorted(plan.items.all(), key=lambda item: (_SECTION_ORDER[item.kind], item.order))
    changes = PlanChanges(
        title_changed=share.snapshot.get("title", plan.title) != plan.title,
        summary_changed=share.snapshot.get("summary", plan.summary) != plan.summary,
    )
    for item in now:
        old = before.pop(item.pk, None)
        if old is None:
            changes.added.append(item)
            continue
        what = tuple(
            label
            for label, differs in (
                ("section", old.kind != item.kind),
                ("title", old.title != item.title),
                ("detail", old.detail != item.detail),
            )
            if differs
        )
        if what:
            changes.changed.append(ItemChange(before=old, after=item, what=what))
    changes.removed = list(before.values())
    return changes


def plan_share_for(plan: LocalityPlan) -> PlanShare | None:
    """The record of what ``plan`` was when it was shared, or None (never shared, or shared
    before the portal kept one). One query."""
    return PlanShare.objects.filter(plan=plan).first()


@dataclass(frozen=True)
class CouncillorReader:
    """A councillor a shared plan went to, and when they first opened it (None: not yet)."""

    name: str
    first_opened_at: datetime.datetime | None
    in_office: bool


def plan_councillor_readers(plan: LocalityPlan) -> list[CouncillorReader]:
    """For the plan's editors and officers: the councillors of its wards today, and anyone who
    opened it (a councillor whose term has since ended stays listed, ``in_office`` False), each
    with when they first opened it; those who have not yet opened it first, then by name. Two
    queries."""
    openings = {
        opening.user_id: opening
        for opening in PlanOpening.objects.filter(plan=plan).select_related("user").order_by("first_opened_at")
    }
    readers: dict[int, CouncillorReader] = {}
    for user in councillors_for(plan.locality):
        opening = openings.pop(user.pk, None)
        readers[user.pk] = CouncillorReader(
            name=user.get_full_name() or user.get_username(),
            first_opened_at=opening.first_opened_at if opening else None,
            in_office=True,
        )
    for user_id, opening in openings.items():
        readers[user_id] = CouncillorReader(
            name=opening.user.get_full_name() or opening.user.get_username(),
            first_opened_at=opening.first_opened_at,
            in_office=False,
        )
    return sorted(readers.values(), key=lambda reader: (reader.first_opened_at is not None, reader.name.lower()))


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


# ------------------------------------------------------------------------------
# Questions and comments on shared plans
# ------------------------------------------------------------------------------
def plan_comment_threads(plan: LocalityPlan) -> PlanCommentQuerySet:
    """The threads on ``plan``, newest first, each with its author, its item, ``answered``
    (``PlanCommentQuerySet.with_answered``), ``reply_count`` and ``last_reply_at``: one query
    for a page of threads, however many replies. Whoever asks must be allowed to read them
    (``permissions.can_read_comments``)."""
    return (
        PlanComment.objects.filter(plan=plan)
        .threads()
        .with_answered()
        .select_related("author", "item", "plan__owner")
        .annotate(reply_count=Count("replies"), last_reply_at=Max("replies__created_at"))
        .order_by("-created_at", "-pk")
    )


def plan_comment_thread(plan: LocalityPlan, pk: int) -> PlanComment | None:
    """The thread ``pk`` on ``plan`` (a comment starting one, with ``answered``) and its
    replies in order as ``thread_replies``, or None when ``plan`` has no such thread. Two
    queries."""
    thread = (
        PlanComment.objects.filter(plan=plan, pk=pk)
        .threads()
        .with_answered()
        .select_related("author", "item", "plan__owner")
        .first()
    )
    if thread is not None:
        thread.thread_replies = list(
            thread.replies.select_related("author", "plan__owner").order_by("created_at", "pk")
        )
    return thread


def plan_questions_unanswered_for(*, user) -> PlanCommentQuerySet:
    """Questions no writer has answered yet on the plans ``user`` answers for
    (``LocalityPlanQuerySet.managed_by``: a lead anchor's editors their plans, officers every
    plan), oldest first (the longest waiting at the top), each with its plan, place, owner,
    author and item: one query for a page."""
    return (
        PlanComment.objects.unanswered()
        .filter(plan__in=LocalityPlan.objects.managed_by(user).filter(shared_on__isnull=False))
        .select_related("plan__locality", "plan__owner", "author", "item")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class DiscussionSummary:
    """How many threads a plan has, and how many of its questions wait for an answer."""

    threads: int
    unanswered: int


def plan_discussion_summary(plan: LocalityPlan) -> DiscussionSummary:
    """The counts the plan page shows beside its link to the questions and comments. One query."""
    counts = (
        PlanComment.objects.filter(plan=plan)
        .threads()
        .with_answered()
        .aggregate(threads=Count("pk"), unanswered=Count("pk", filter=Q(is_question=True, answered=False)))
    )
    return DiscussionSummary(threads=counts["threads"], unanswered=counts["unanswered"])


def plan_items_raised_by_residents(locality: Locality) -> QuerySet[PlanItem]:
    """The items of the published plans for ``locality`` or a place inside it that
    residents raised (``residents_raised``, kept by the voices app), most raised first, each
    with its plan and the plan's place. One query."""
    return (
        PlanItem.objects.filter(
            plan__in=LocalityPlan.objects.published().in_area(locality),
            residents_raised__gt=0,
        )
        .select_related("plan__locality")
        .order_by("-residents_raised", "plan__locality__name", "kind", "order", "pk")
    )


def plan_items_visible_to(*, user) -> QuerySet[PlanItem]:
    """The items of every plan ``user`` may read (``LocalityPlan.objects.visible_to``). Lazy."""
    return PlanItem.objects.filter(plan__in=LocalityPlan.objects.visible_to(user))
