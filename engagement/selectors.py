"""Reads of the network's activity, above all an organisation's **outreach status**.

Outreach status is derived, never typed: on a given day (today unless given) an organisation is

- **supported** when a support relationship with it as the group is active that day;
- otherwise **engaged** when an engagement other than a first contact involved it within the
  lapse period (``ENGAGEMENT_LAPSE_DAYS``, 365 unless configured) up to that day;
- otherwise **contacted** when any engagement (so only first contacts) involved it within
  the lapse period;
- otherwise **not contacted**: never, or not since the lapse period began, so an engagement
  older than the period lapses.

An organisation is **quiet** when nothing in the log has involved it for ``QUIET_AFTER_DAYS``
(180 unless configured) up to that day, counting from when its record was made if it never
was; the anchor records why in a ``QuietNote`` (the reasons the Kirklees scrutiny panel asked
for). Each is one annotation, so a list of any length costs the same queries.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import among
from core.models import PublishableQuerySet
from core.permissions import is_officer
from core.workingdays import add_working_days
from localities.models import Locality, LocalityKind, LocalityQuerySet, path_ids
from organisations.models import AnchorRole, Organisation, OrganisationQuerySet

from .models import (
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
    ExchangeEntryQuerySet,
    QuietNote,
    SupportRelationship,
    SupportRelationshipQuerySet,
    SupportRequest,
    SupportRequestQuerySet,
    acknowledge_within_days,
)
from .permissions import exchange_organisations_for

if TYPE_CHECKING:
    from core.permissions import User


class OutreachStatus(models.TextChoices):
    NOT_CONTACTED = "not_contacted", _("Not contacted")
    CONTACTED = "contacted", _("Contacted")
    ENGAGED = "engaged", _("Engaged")
    SUPPORTED = "supported", _("Supported")


EngagementOrganisation = Engagement.organisations.through


def lapse_days() -> int:
    return settings.ENGAGEMENT_LAPSE_DAYS


def quiet_after_days() -> int:
    return settings.QUIET_AFTER_DAYS


def with_outreach(organisations: OrganisationQuerySet, on: datetime.date | None = None) -> OrganisationQuerySet:
    """``organisations`` annotated, as on ``on``, with ``outreach_status`` (an ``OutreachStatus``
    value), ``last_contact_on`` (a date or None), ``is_quiet`` (bool) and ``quiet_reason`` (the
    latest ``QuietReason`` value recorded, or None). No extra query per row."""
    on = on or timezone.localdate()
    window_start = on - datetime.timedelta(days=lapse_days())
    quiet_since = on - datetime.timedelta(days=quiet_after_days())
    logged = Engagement.objects.filter(organisations=OuterRef("pk"), occurred_on__lte=on)
    in_window = logged.filter(occurred_on__gt=window_start)
    return organisations.annotate(
        last_contact_on=_last_engagement_on(on),
        quiet_reason=Subquery(
            QuietNote.objects.filter(organisation=OuterRef("pk")).order_by("-created_at", "-pk").values("reason")[:1]
        ),
        outreach_status=Case(
            When(
                Exists(SupportRelationship.objects.active(on).filter(group=OuterRef("pk"))),
                then=Value(OutreachStatus.SUPPORTED.value),
            ),
            When(
                Exists(in_window.exclude(kind=EngagementKind.FIRST_CONTACT)), then=Value(OutreachStatus.ENGAGED.value)
            ),
            When(Exists(in_window), then=Value(OutreachStatus.CONTACTED.value)),
            default=Value(OutreachStatus.NOT_CONTACTED.value),
            output_field=models.CharField(),
        ),
        is_quiet=Case(
            When(last_contact_on__gt=quiet_since, then=Value(False)),
            When(Q(last_contact_on__isnull=True, created_at__date__gt=quiet_since), then=Value(False)),
            default=Value(True),
            output_field=models.BooleanField(),
        ),
    )


def outreach_status_from(*, supported: bool, engaged_in_window: bool, contacted_in_window: bool) -> str:
    """The outreach status rule of ``with_outreach``, for facts already counted (the dashboard
    reads them for hundreds of groups at once, ``group_activity``): the same order, the same
    answers — a test holds the two equal."""
    if supported:
        return OutreachStatus.SUPPORTED.value
    if engaged_in_window:
        return OutreachStatus.ENGAGED.value
    if contacted_in_window:
        return OutreachStatus.CONTACTED.value
    return OutreachStatus.NOT_CONTACTED.value


def is_quiet_from(*, last_contact_on: datetime.date | None, created_on: datetime.date, on: datetime.date) -> bool:
    """``with_outreach``'s ``is_quiet`` for known facts: nothing logged for ``QUIET_AFTER_DAYS``
    up to ``on``, counting from the day the record was made (``created_on``, a UK date) if
    nothing ever was."""
    quiet_since = on - datetime.timedelta(days=quiet_after_days())
    return (last_contact_on or created_on) <= quiet_since


def _last_engagement_on(on: datetime.date) -> Subquery:
    """The date of the latest engagement involving the outer organisation up to ``on``, or None.

    A MAX over the organisation's links rather than ``ORDER BY occurred_on DESC LIMIT 1``: with
    the latter PostgreSQL walks every engagement by date, testing each for the organisation,
    and that cost 2.6 ms a group (3 s for 500 on the dashboard)."""
    links = EngagementOrganisation.objects.filter(organisation=OuterRef("pk"), engagement__occurred_on__lte=on)
    latest = links.order_by().annotate(
        _date=Func(F("engagement__occurred_on"), function="MAX", output_field=DateField())
    )
    return Subquery(latest.values("_date")[:1], output_field=DateField())


def outreach_of(organisation: Organisation, on: datetime.date | None = None) -> Organisation:
    """``organisation`` again, with the annotations of ``with_outreach`` (one query)."""
    return with_outreach(Organisation.objects.filter(pk=organisation.pk), on).get()


def support_for_page(organisation: Organisation, user: User | None) -> tuple[list, list]:
    """The active support relationships an organisation's page shows, as
    ``(given, received)``: the groups it supports and the anchors that support it, each only
    where ``user`` may see it (``SupportRelationship.objects.visible_to``). One query."""
    relationships = list(
        SupportRelationship.objects.visible_to(user)
        .active()
        .filter(Q(anchor=organisation) | Q(group=organisation))
        .select_related("anchor", "group")
        .order_by("kind", "started_on", "pk")
    )
    given = [relationship for relationship in relationships if relationship.anchor_id == organisation.pk]
    received = [relationship for relationship in relationships if relationship.group_id == organisation.pk]
    return given, received


# ------------------------------------------------------------------------------------------
# Outreach: the community groups of a patch, by outreach status
# ------------------------------------------------------------------------------------------
def outreach_patch(user: User | None) -> LocalityQuerySet | None:
    """The places whose groups ``user`` follows up on the outreach list: every place inside
    one where an organisation they edit holds a current anchor role, or inside the district of
    a network one coordinates. None for an officer (everywhere); empty for anyone else. Two
    queries (the places, then the lazy queryset when it is read)."""
    if is_officer(user):
        return None
    editing = Organisation.objects.with_member(user, editors_only=True).values("pk")
    roots = Locality.objects.filter(
        Q(anchor_roles__organisation__in=editing, anchor_roles__left_on__isnull=True)
        | Q(networks__coordinator__in=editing)
    ).distinct()
    inside = Q(pk__in=[])
    for root in roots:
        inside |= Q(pk=root.pk) | Q(ancestor_path__startswith=root.descendant_prefix)
    return Locality.objects.filter(inside)


def groups_in_use() -> OrganisationQuerySet:
    """The community groups outreach follows: no current anchor role, coordinating no network,
    and not archived (out of use, docs/adr/0007)."""
    return Organisation.objects.community_groups().exclude(PublishableQuerySet.archived_condition())


def outreach_list(*, user: User | None, on: datetime.date | None = None) -> OrganisationQuerySet:
    """The outreach list: the community groups (no anchor role, coordinating nothing; archived
    ones left out) serving a place in ``user``'s patch (``outreach_patch``; officers: all),
    with ``with_outreach``'s annotations as on ``on``. Quiet groups first, then those contacted
    longest ago (never contacted first), then by name; a fixed number of queries."""
    return with_outreach(outreach_groups(user=user), on).order_by(
        "-is_quiet", models.F("last_contact_on").asc(nulls_first=True), "name", "pk"
    )


def outreach_groups(*, user: User | None) -> OrganisationQuerySet:
    """The community groups ``user`` works with: those with no anchor role and coordinating
    nothing, published or draft (not archived), serving a place in ``outreach_patch(user)``
    (officers: every one). The groups of the outreach list, and those an engagement or a quiet
    note may be recorded against. A lazy queryset, unordered; one query to find the patch."""
    groups = groups_in_use()
    patch = outreach_patch(user)
    if patch is not None:
        served = Organisation.localities.through.objects.filter(organisation=OuterRef("pk"), locality__in=patch)
        groups = groups.filter(Exists(served))
    return groups


# ------------------------------------------------------------------------------------------
# The skills and assets exchange
# ------------------------------------------------------------------------------------------
def exchange_near_localities(organisations: OrganisationQuerySet) -> LocalityQuerySet:
    """The places "near" ``organisations``, for ordering and matching the exchange's entries.

    For each place one of them serves or anchors (a current anchor role), its *patch*: the
    place just below the district on its path — the area a Kirklees ward lies in, or the ward
    itself in Leeds, whose wards sit straight under the district — and everything inside it.
    A district is too wide to be anyone's neighbourhood and adds nothing. One query to find the
    places; the result is a lazy queryset (empty when nothing is near).
    """
    places = (
        Locality.objects.filter(
            Q(organisations__in=organisations.values("pk"))
            | Q(anchor_roles__organisation__in=organisations.values("pk"), anchor_roles__left_on__isnull=True)
        )
        .exclude(kind=LocalityKind.DISTRICT)
        .values_list("pk", "ancestor_path")
        .distinct()
    )
    near = Q()
    roots: set[tuple[int, int]] = set()
    for pk, path in places:
        ancestors = path_ids(path)
        if not ancestors:
            continue  # a place with no district above it: no patch to speak of
        district = ancestors[0]
        root = ancestors[1] if len(ancestors) > 1 else pk
        roots.add((district, root))
    if not roots:
        return Locality.objects.none()
    for district, root in sorted(roots):
        near |= Q(pk=root) | Q(ancestor_path__startswith=f"/{district}/{root}/")
    return Locality.objects.filter(near)


def exchange_list(*, user: User | None) -> ExchangeEntryQuerySet:
    """The current offers and needs ``user`` may see (``ExchangeEntry.objects.visible_to``),
    those near the organisations they belong to first (``is_near``), then the most recently
    changed. Organisation and term come with each entry: a page costs the same queries
    whatever its length."""
    near = exchange_near_localities(Organisation.objects.with_member(user))
    return (
        ExchangeEntry.objects.visible_to(user)
        .current()
        .with_nearness(near)
        .select_related("organisation", "term")
        .order_by("-is_near", "-updated_at", "-pk")
    )


def exchange_matches(*, user: User | None) -> ExchangeEntryQuerySet:
    """ "Needs in my area that I could meet": the current needs ``user`` may see, of
    organisations they do not speak for, whose skill or asset is offered (currently) by an
    organisation they do (``exchange_organisations_for``), and — except for officers, who see
    every match in every network — needs near those organisations (``exchange_near_localities``).

    Each need is annotated with ``offered_by``: the name of the first of the user's
    organisations, by name, that offers it. Newest first; a fixed number of queries."""
    offering = exchange_organisations_for(user)
    my_offers = (
        ExchangeEntry.objects.current()
        .offers()
        .filter(organisation__in=offering.values("pk"), term=OuterRef("term"))
        .exclude(organisation=OuterRef("organisation"))
    )
    needs = ExchangeEntry.objects.visible_to(user).current().needs().filter(Exists(my_offers))
    if not is_officer(user):
        near = exchange_near_localities(offering)
        needs = needs.exclude(organisation__in=offering.values("pk")).with_nearness(near).filter(is_near=True)
    return (
        needs.annotate(offered_by=Subquery(my_offers.order_by("organisation__name").values("organisation__name")[:1]))
        .select_related("organisation", "term")
        .order_by("-updated_at", "-pk")
    )


def follow_ups_for(*, user: User | None, on: datetime.date | None = None) -> models.QuerySet[Engagement]:
    """The follow-up list: entries of the logs ``user`` keeps (``Engagement.objects.editable_by``:
    an officer, every log) with a follow-up date and the follow-up not yet done, soonest first.

    Each entry is annotated with ``is_overdue``: its follow-up date is before ``on`` (today
    unless given), so the page can say so. Organisations and the anchor come with it: two
    queries for any number of entries (one more to count them for a page).
    """
    on = on or timezone.localdate()
    return (
        Engagement.objects.editable_by(user)
        .filter(follow_up_on__isnull=False, follow_up_done=False)
        .annotate(is_overdue=Case(When(follow_up_on__lt=on, then=Value(True)), default=Value(False)))
        .select_related("anchor", "staff")
        .prefetch_related(models.Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("follow_up_on", "pk")
    )


def engagement_log(*, user: User | None) -> models.QuerySet[Engagement]:
    """The engagement log ``user`` keeps (``Engagement.objects.editable_by``: their anchors',
    their network's for a coordinator's editors; an officer, every anchor's), newest first.
    Anchor, staff member and organisations (by name) come with each entry: a page costs the
    same queries whatever its length."""
    return (
        Engagement.objects.editable_by(user)
        .select_related("anchor", "staff", "support_request")
        .prefetch_related(models.Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("-occurred_on", "-pk")
    )


def engagement_staff_for(anchors) -> models.QuerySet:
    """The people who may be named as "who from the anchor" on the logs of ``anchors`` (a list
    or queryset of organisations): their active members (any role), by name, each once. A lazy
    queryset of users."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation__in=anchors, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def relationship_list(*, user: User | None) -> models.QuerySet[SupportRelationship]:
    """The support relationships ``user`` keeps (``SupportRelationship.objects.editable_by``:
    their anchors', their network's for a coordinator's editors; an officer, all), the latest
    started first, with anchor and group: one query for any number."""
    return (
        SupportRelationship.objects.editable_by(user)
        .select_related("anchor", "group")
        .order_by("-started_on", "group__name", "pk")
    )


# ------------------------------------------------------------------------------------------
# The officers' dashboard (issue 14): figures for a set of places over a period
# ------------------------------------------------------------------------------------------
# Every function below costs a fixed number of queries, whatever the number of places, groups
# or engagements: the counting happens in SQL (aggregation, conditional aggregation), never in
# a Python loop over rows, except where the dashboard rolls its groups up to places.
# ``start`` and ``end`` are dates, both included; ``as_of`` is the day a state is read on (a
# status, "current", "quiet"): the period's last day, or today while it runs
# (``portal.periods.Period.as_of``).
OrganisationLocality = Organisation.localities.through


def groups_known_in(places: LocalityQuerySet, *, as_of: datetime.date | None = None) -> OrganisationQuerySet:
    """The dashboard's **groups known**: the community groups in use (``groups_in_use``)
    serving any of ``places``, each once; with ``as_of``, only those known by that day — their
    record made by then, or an engagement with them logged as dated by then (a group met in
    May and entered in June was known in May). So a closed quarter's figure does not grow as
    groups are added later. The outreach list filtered by one of these places
    (``/network/outreach/?area=<slug>``) lists the same groups when ``as_of`` is today."""
    served = OrganisationLocality.objects.filter(organisation=OuterRef("pk"), locality__in=places)
    groups = groups_in_use().filter(Exists(served))
    if as_of is not None:
        met_by_then = EngagementOrganisation.objects.filter(
            organisation=OuterRef("pk"), engagement__occurred_on__lte=as_of
        )
        groups = groups.filter(Q(created_at__date__lte=as_of) | Exists(met_by_then))
    return groups


def organisations_serving(places: LocalityQuerySet) -> OrganisationQuerySet:
    """Every organisation in use (anchors and groups alike; archived ones left out) serving
    any of ``places``: whose offers and needs the exchange figures count."""
    served = OrganisationLocality.objects.filter(organisation=OuterRef("pk"), locality__in=places)
    return Organisation.objects.exclude(PublishableQuerySet.archived_condition()).filter(Exists(served))


def support_requests_in(places: LocalityQuerySet, *, district: Locality | None = None) -> SupportRequestQuerySet:
    """Requests for support about a place among ``places``; with ``district`` (a whole
    network's figures) also those of that district's network that named no place."""
    where = Q(locality__in=places)
    if district is not None:
        where |= Q(locality__isnull=True, network__district=district)
    return SupportRequest.objects.filter(where)


def follow_up_figures(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, int]:
    """**Open follow-ups**: entries involving one of ``groups`` whose follow-up date falls in
    the period and that are not marked done (``open``), and of those the ones whose date has
    passed (``overdue``, before ``today``). Each entry once."""
    conditions = follow_up_conditions(today=today)
    entries = open_follow_ups_in(groups, start=start, end=end)
    return entries.aggregate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})


def open_follow_ups_in(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date
) -> models.QuerySet[Engagement]:
    """The entries ``follow_up_figures`` counts: involving one of ``groups``, a follow-up date
    in the period, not marked done. Each entry once; a lazy, unordered queryset."""
    return Engagement.objects.filter(
        Exists(EngagementOrganisation.objects.filter(engagement=OuterRef("pk"), organisation__in=groups.values("pk"))),
        follow_up_on__range=(start, end),
        follow_up_done=False,
    )


def follow_up_conditions(*, today: datetime.date) -> dict[str, Q]:
    """``{figure: condition}`` over ``open_follow_ups_in``: ``open`` (all), ``overdue``
    (the follow-up date before ``today``). The figures and the lists behind them both read these."""
    return {"open": Q(), "overdue": Q(follow_up_on__lt=today)}


def relationship_figures(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """Support relationships with one of ``groups`` as the group supported: ``started`` (start
    date in the period), ``ended`` (last day of support in the period) and ``active`` on
    ``as_of`` (``SupportRelationshipQuerySet.active``'s rule)."""
    conditions = relationship_conditions(start=start, end=end, as_of=as_of)
    return relationships_of(groups).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )


def relationships_of(groups: OrganisationQuerySet) -> SupportRelationshipQuerySet:
    """Support relationships with one of ``groups`` as the group supported (lazy, unordered)."""
    return SupportRelationship.objects.filter(group__in=groups.values("pk"))


def relationship_conditions(*, start: datetime.date, end: datetime.date, as_of: datetime.date) -> dict[str, Q]:
    """``{figure: condition}`` for ``relationship_figures`` and the lists behind its figures."""
    return {
        "started": Q(started_on__range=(start, end)),
        "ended": Q(ended_on__range=(start, end)),
        "active": Q(pk__in=SupportRelationship.objects.active(as_of).values("pk")),
    }


def exchange_figures(
    organisations: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """The skills and assets exchange for ``organisations`` (``organisations_serving``):
    ``offers`` and ``needs`` current on ``as_of`` (added by then, not closed by then), and
    ``exchanges``, **exchanges made**: needs met through the exchange (``met_by``) that
    closed in the period."""
    conditions = exchange_conditions(start=start, end=end, as_of=as_of)
    return exchange_entries_of(organisations).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )


def exchange_entries_of(organisations: OrganisationQuerySet) -> ExchangeEntryQuerySet:
    """The exchange's offers and needs of ``organisations``, open or closed (lazy, unordered)."""
    return ExchangeEntry.objects.filter(organisation__in=organisations.values("pk"))


def exchange_conditions(*, start: datetime.date, end: datetime.date, as_of: datetime.date) -> dict[str, Q]:
    """``{figure: condition}`` for ``exchange_figures`` and the lists behind its figures."""
    current = Q(created_at__date__lte=as_of) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=as_of))
    return {
        "offers": current & Q(direction=ExchangeDirection.OFFER),
        "needs": current & Q(direction=ExchangeDirection.NEED),
        "exchanges": Q(met_by__isnull=False, closed_at__date__range=(start, end)),
    }


def request_figures(requests: SupportRequestQuerySet, *, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Requests for support received (UK date) in the period, of ``requests``:

    - ``received``: all of them;
    - ``in_time``: **acknowledged in time**, on or before the last working day to do so
      (``SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS`` working days after the day received,
      England's bank holidays excluded: ``SupportRequest.acknowledge_by``);
    - ``late``: acknowledged after that day;
    - ``overdue``: still not acknowledged today, past that day (``with_overdue``).

    The working-day calendar lives in Python (the ``holidays`` package), so the one query
    counts requests by (day received, day acknowledged, overdue) and the deadline is applied
    to each such group: a handful of rows, however many requests.
    """
    received = (
        requests_received_in(requests, start=start, end=end)
        .with_overdue()
        .annotate(received_on=TruncDate("created_at"), acknowledged_on=TruncDate("acknowledged_at"))
        .values("received_on", "acknowledged_on", "is_overdue")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = {"received": 0, "in_time": 0, "late": 0, "overdue": 0}
    for row in received:
        figures["received"] += row["n"]
        if row["is_overdue"]:
            figures["overdue"] += row["n"]
        if (answer := acknowledgement(row["received_on"], row["acknowledged_on"])) is not None:
            figures[answer] += row["n"]
    return figures


def requests_received_in(
    requests: SupportRequestQuerySet, *, start: datetime.date, end: datetime.date
) -> SupportRequestQuerySet:
    """Of ``requests``, those received (UK date) from ``start`` to ``end``: ``request_figures``'
    "received", and the list behind it."""
    return requests.filter(created_at__date__range=(start, end))


def acknowledgement(received_on: datetime.date, acknowledged_on: datetime.date | None) -> str | None:
    """``"in_time"`` or ``"late"`` for a request received and acknowledged on these UK dates
    (``SupportRequest.acknowledge_by``'s working-day rule); None while not acknowledged."""
    if acknowledged_on is None:
        return None
    return "in_time" if acknowledged_on <= add_working_days(received_on, acknowledge_within_days()) else "late"


def requests_acknowledged(requests: SupportRequestQuerySet, answer: str) -> SupportRequestQuerySet:
    """Of ``requests`` (those received in a period), the ones acknowledged ``answer``
    (``"in_time"`` or ``"late"``, ``acknowledgement``). The working-day calendar is Python's,
    so this reads each acknowledged request's two dates (one query) and answers a lazy queryset
    of their ids: the figures and the list apply the same rule."""
    dates = requests.filter(acknowledged_at__isnull=False).annotate(
        received_on=TruncDate("created_at"), acknowledged_on=TruncDate("acknowledged_at")
    )
    ids = [
        pk
        for pk, received_on, acknowledged_on in dates.values_list("pk", "received_on", "acknowledged_on").order_by()
        if acknowledgement(received_on, acknowledged_on) == answer
    ]
    return requests.filter(among("id", ids))


def requests_waiting_longest(requests: SupportRequestQuerySet, *, limit: int = 10) -> list[SupportRequest]:
    """The open requests among ``requests`` received longest ago (oldest first), at most
    ``limit``, with ``is_overdue`` and the anchor they wait with; contact details are not
    loaded."""
    return list(
        requests.open()
        .with_overdue()
        .select_related("anchor", "locality")
        .defer(*SupportRequest.PRIVATE_FIELDS, "need")
        .order_by("created_at", "pk")[:limit]
    )


# ------------------------------------------------------------------------------------------
# The dashboard's groups, read once and rolled up to places
# ------------------------------------------------------------------------------------------
# A ward's or an area's figures count the groups serving it or somewhere inside it. Asking SQL
# that per place (correlated subqueries testing each group's places against each place's
# path) cost a second for 40 wards and 500 groups (bench/dashboard.py); the groups' facts are
# counted per group in SQL instead, once, and each place adds up its groups' facts.
@dataclasses.dataclass(frozen=True)
class GroupActivity:
    """One community group as the dashboard reads it for a period.

    ``places``: the ids of the localities it serves and of every place they lie in;
    ``is_new``: its first engagement ever is dated in the period (a **new group reached**);
    ``last_contact_on``: its latest engagement up to ``as_of``; ``outreach_status``,
    ``is_quiet``, ``quiet_reason``: as ``with_outreach`` gives them on ``as_of``;
    ``engagements``: the ids of the entries dated in the period involving it.
    """

    pk: int
    places: frozenset[int]
    is_new: bool
    last_contact_on: datetime.date | None
    outreach_status: str
    is_quiet: bool
    quiet_reason: str | None
    engagements: frozenset[int]

    @property
    def engaged(self) -> bool:
        return bool(self.engagements)


@dataclasses.dataclass(frozen=True)
class Activity:
    """``groups``: ``{group id: GroupActivity}``; ``dated``: ``(group id, engagement id, date,
    kind, anchor id)`` for every engagement dated from ``since`` (or earlier, back to the start
    of the outreach window) to the period's end involving one of them: the trend lines and the
    engagement figures count these. ``start`` and ``end``: the period, both days included."""

    groups: dict[int, GroupActivity]
    dated: list[tuple[int, int, datetime.date, str, int]]
    start: datetime.date
    end: datetime.date


_DAY = datetime.timedelta(days=1)


def group_activity(
    group_ids: Sequence[int],
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    since: datetime.date | None = None,
) -> Activity:
    """What the dashboard needs to know about each of ``group_ids`` for the period ``start``
    to ``end`` (both included), read as on ``as_of`` (at most ``end``); ``dated`` from
    ``since`` (default ``start``). Six queries, whatever the number of groups, places or
    engagements.

    The entries are read once, from the earliest of ``since``, ``start`` and the outreach
    window's first day: every fact but two comes from those rows. The two (whether a group
    met in the period was ever met before, and when a group silent since then was last met)
    are asked of the older log only for the groups concerned: scanning the whole log for
    each group's first and last contact cost more than everything else together."""
    window_start = as_of - datetime.timedelta(days=lapse_days())
    since = min(since or start, start, window_start + datetime.timedelta(days=1))
    groups = Organisation.objects.filter(among("id", group_ids))
    links = EngagementOrganisation.objects.filter(among("organisation_id", group_ids))
    created = dict(groups.values_list("pk", "created_at"))
    places: dict[int, set[int]] = {pk: set() for pk in created}
    for organisation_id, locality_id, path in OrganisationLocality.objects.filter(
        among("organisation_id", group_ids)
    ).values_list("organisation_id", "locality_id", "locality__ancestor_path"):
        places[organisation_id].add(locality_id)
        places[organisation_id].update(path_ids(path))

    dated = list(
        links.filter(engagement__occurred_on__range=(since, end)).values_list(
            "organisation_id", "engagement_id", "engagement__occurred_on", "engagement__kind", "engagement__anchor_id"
        )
    )
    in_period: dict[int, set[int]] = {}
    met_before_period: set[int] = set()
    last: dict[int, datetime.date] = {}
    contacted: set[int] = set()
    engaged: set[int] = set()
    first_contact = EngagementKind.FIRST_CONTACT.value
    for pk, engagement_id, on, kind, _anchor in dated:
        if on < start:
            met_before_period.add(pk)
        elif on <= end:
            in_period.setdefault(pk, set()).add(engagement_id)
        if on <= as_of:
            if on > last.get(pk, on - _DAY):
                last[pk] = on
            if on > window_start:
                contacted.add(pk)
                if kind != first_contact:
                    engaged.add(pk)
    # What the rows above cannot say: for a group first met (as far as they go) in the
    # period, whether it was met before ``since``; for one not met since then, when it last was.
    ask = (in_period.keys() - met_before_period) | (created.keys() - last.keys())
    earlier = dict(
        links.filter(among("organisation_id", ask), engagement__occurred_on__lt=since)
        .values("organisation_id")
        .annotate(last=Max("engagement__occurred_on"))
        .order_by()
        .values_list("organisation_id", "last")
    )
    supported = set(
        SupportRelationship.objects.active(as_of)
        .filter(among("group_id", group_ids))
        .values_list("group_id", flat=True)
    )
    # Oldest first, so the last one read for a group is its latest.
    reasons = dict(
        QuietNote.objects.filter(among("organisation_id", group_ids))
        .order_by("created_at", "pk")
        .values_list("organisation_id", "reason")
    )

    activity = {}
    for pk, created_at in created.items():
        last_contact_on = last.get(pk) or earlier.get(pk)
        activity[pk] = GroupActivity(
            pk=pk,
            places=frozenset(places[pk]),
            is_new=pk in in_period and pk not in met_before_period and pk not in earlier,
            last_contact_on=last_contact_on,
            outreach_status=outreach_status_from(
                supported=pk in supported, engaged_in_window=pk in engaged, contacted_in_window=pk in contacted
            ),
            is_quiet=is_quiet_from(
                last_contact_on=last_contact_on, created_on=timezone.localdate(created_at), on=as_of
            ),
            quiet_reason=reasons.get(pk),
            engagements=frozenset(in_period.get(pk, ())),
        )
    return Activity(groups=activity, dated=dated, start=start, end=end)


def group_figures(activity: Activity) -> dict[str, int]:
    """What the dashboard says about its groups, as a dict of counts of groups:

    - ``known``: all of them;
    - ``engaged``: involved in at least one engagement dated in the period;
    - ``new``: **new groups reached**, whose first engagement ever is dated in the period;
    - ``quiet``: quiet on ``as_of`` (``with_outreach``: no contact for ``QUIET_AFTER_DAYS``);
    - ``status_<value>`` for each ``OutreachStatus``: their outreach status on ``as_of``;
    - ``unsupported``: **supported by nobody**, no active support relationship on ``as_of``
      (every status but "supported").
    """
    # One pass over the groups, each naming its figures once (``figures_of``), rather than a
    # pass per figure: eleven passes over 500 groups took twice as long (2.6 ms against 1.3).
    counts = dict.fromkeys(GROUP_FIGURES, 0)
    for group in activity.groups.values():
        for figure in figures_of(group):
            counts[figure] += 1
    return counts


GROUP_FIGURES = (
    "known",
    "engaged",
    "new",
    "quiet",
    *(f"status_{status}" for status in OutreachStatus.values),
    "unsupported",
)


_SUPPORTED = OutreachStatus.SUPPORTED.value  # read once: an enum member's value is slow to reach


def figures_of(group: GroupActivity) -> list[str]:
    """The ``GROUP_FIGURES`` that ``group`` counts towards (as ``group_figures`` describes
    them) for the period it was read for: always ``known`` and its own ``status_<status>``,
    then ``engaged``, ``new``, ``quiet`` and ``unsupported`` where they hold."""
    figures = ["known", f"status_{group.outreach_status}"]
    if group.engaged:
        figures.append("engaged")
    if group.is_new:
        figures.append("new")
    if group.is_quiet:
        figures.append("quiet")
    if group.outreach_status != _SUPPORTED:
        figures.append("unsupported")
    return figures


def group_counts_for(group: GroupActivity, figure: str) -> bool:
    """Whether ``group`` counts towards ``figure`` (one of ``GROUP_FIGURES``, ``figures_of``).

    Raises:
        ValueError: ``figure`` is not one of ``GROUP_FIGURES``.
    """
    if figure not in GROUP_FIGURES:
        raise ValueError(f"not a group figure: {figure!r}")
    return figure in figures_of(group)


def groups_counted(activity: Activity, figure: str, *, place: int | None = None) -> list[int]:
    """The ids of the groups behind ``figure`` (``group_counts_for``), of those serving
    ``place`` (a locality id) or somewhere inside it when given, as ``place_figures`` counts
    them. No query."""
    return [
        pk
        for pk, group in activity.groups.items()
        if (place is None or place in group.places) and group_counts_for(group, figure)
    ]


def engagements_involving(
    group_ids: Sequence[int], *, start: datetime.date, end: datetime.date, place: Locality | None = None
) -> models.QuerySet[Engagement]:
    """The entries of the log dated from ``start`` to ``end`` involving one of ``group_ids``
    (with ``place``, one of them serving ``place`` or somewhere inside it): in SQL, the entries
    that ``engagement_figures`` (``entries``) and ``place_figures`` (``engagements``) count from
    a ``group_activity`` read for that period of those groups. For a list of
    those entries alone, which needs none of the rest of the activity (statuses, the outreach
    window, last contacts). A lazy, unordered queryset; no query until read."""
    links = EngagementOrganisation.objects.filter(among("organisation_id", group_ids), engagement=OuterRef("pk"))
    if place is not None:
        serving = OrganisationLocality.objects.filter(
            organisation=OuterRef("organisation_id"), locality__in=Locality.objects.subtree(place)
        )
        links = links.filter(Exists(serving))
    return Engagement.objects.filter(Exists(links), occurred_on__range=(start, end))


def engagement_figures(activity: Activity) -> dict:
    """The engagements dated in ``activity``'s period that involved one of its groups, counted
    from the entries it has already read (no query):

    - ``entries``: **engagements**, each entry of the log once (a workshop for twelve groups
      is one);
    - ``contacts``: **organisation engagements**, once per group per entry (that workshop
      counts twelve);
    - ``groups``: distinct groups engaged;
    - ``anchors``: **anchors active**, the distinct anchors that logged one of them;
    - ``by_kind``: ``{kind value: {"entries": n, "contacts": n}}`` for the kinds that occur.
    """
    entries: set[int] = set()
    groups: set[int] = set()
    anchors: set[int] = set()
    contacts = 0
    by_kind: dict[str, tuple[set[int], list[int]]] = {}
    start, end = activity.start, activity.end
    for pk, engagement_id, on, kind, anchor_id in activity.dated:
        if start <= on <= end:
            entries.add(engagement_id)
            groups.add(pk)
            anchors.add(anchor_id)
            contacts += 1
            kind_entries, kind_contacts = by_kind.setdefault(kind, (set(), [0]))
            kind_entries.add(engagement_id)
            kind_contacts[0] += 1
    return {
        "entries": len(entries),
        "contacts": contacts,
        "groups": len(groups),
        "anchors": len(anchors),
        "by_kind": {kind: {"entries": len(ids), "contacts": n[0]} for kind, (ids, n) in by_kind.items()},
    }


def engagements_per_period(
    activity: Activity,
    spans: Sequence[tuple[datetime.date, datetime.date]],
    places: Sequence[Locality | None] = (None,),
) -> list[list[int]]:
    """For each of ``places`` (None: all the groups), the **engagements** dated in each
    ``(start, end)`` of ``spans`` — consecutive, oldest first, both days included, within
    ``activity``'s ``since`` to end — involving one of the groups serving the place or
    somewhere inside it, each entry of the log once (as ``engagement_figures`` counts them).
    A list per place of a count per span; no query, one pass over the entries."""
    starts = [start for start, _end in spans]
    place_ids = [place and place.pk for place in places]
    # Which lines each group counts on, decided once a group rather than once an entry.
    lines_of = {
        pk: [line for line, place_id in enumerate(place_ids) if place_id is None or place_id in group.places]
        for pk, group in activity.groups.items()
    }
    span_of: dict[datetime.date, int | None] = {}
    counted = [[set() for _span in spans] for _place in places]
    for organisation_id, engagement_id, occurred_on, _kind, _anchor in activity.dated:
        if occurred_on not in span_of:
            index = bisect.bisect_right(starts, occurred_on) - 1
            span_of[occurred_on] = None if index < 0 or occurred_on > spans[index][1] else index
        index = span_of[occurred_on]
        if index is not None:
            for line in lines_of[organisation_id]:
                counted[line][index].add(engagement_id)
    return [[len(entries) for entries in line] for line in counted]


@dataclasses.dataclass
class PlaceFigures:
    """A place's coverage, counting each group once per place it serves (a group serving two
    wards of one area counts for both wards and once for the area): ``groups_known``,
    ``groups_engaged`` (an engagement dated in the period), ``quiet`` (on ``as_of``) and
    ``quiet_reasons`` (``{QuietReason value or None: groups}``) count groups; ``engagements``
    counts entries dated in the period involving one of its groups; ``last_contact_on`` is the
    latest engagement with one of them up to ``as_of``; ``anchors`` counts organisations with a
    current anchor role for the place, a place inside it or a place it lies in (a ward's area's
    lead anchor serves the ward)."""

    groups_known: int = 0
    groups_engaged: int = 0
    engagements: int = 0
    quiet: int = 0
    quiet_reasons: dict[str | None, int] = dataclasses.field(default_factory=dict)
    last_contact_on: datetime.date | None = None
    anchors: int = 0


def place_figures(places: Sequence[Locality], activity: Activity, *, within: Locality) -> dict[int, PlaceFigures]:
    """``{place id: PlaceFigures}`` for each of ``places`` (wards and areas of ``within``, the
    dashboard's scope). One query (the current anchor roles for ``within``, the places in it and
    those it lies in), whatever the number of places, groups or engagements."""
    figures = {place.pk: PlaceFigures() for place in places}
    engagements: dict[int, set[int]] = {place.pk: set() for place in places}
    for group in activity.groups.values():
        for place_id in group.places & figures.keys():
            place = figures[place_id]
            place.groups_known += 1
            place.groups_engaged += group.engaged
            engagements[place_id] |= group.engagements
            if group.is_quiet:
                place.quiet += 1
                place.quiet_reasons[group.quiet_reason] = place.quiet_reasons.get(group.quiet_reason, 0) + 1
            if group.last_contact_on:
                place.last_contact_on = max(place.last_contact_on or group.last_contact_on, group.last_contact_on)
    for place_id, entries in engagements.items():
        figures[place_id].engagements = len(entries)

    lineage = {place.pk: {place.pk, *place.ancestor_ids} for place in places}
    anchors: dict[int, set[int]] = {place.pk: set() for place in places}
    roles = AnchorRole.objects.current().filter(
        Q(locality__in=[within.pk, *within.ancestor_ids])
        | Q(locality__ancestor_path__startswith=within.descendant_prefix)
    )
    for organisation_id, locality_id, path in roles.values_list(
        "organisation_id", "locality_id", "locality__ancestor_path"
    ):
        role_lineage = {locality_id, *path_ids(path)}
        for place_id in figures:
            # The role's place is this place, lies inside it, or contains it.
            if place_id in role_lineage or locality_id in lineage[place_id]:
                anchors[place_id].add(organisation_id)
    for place_id, organisations in anchors.items():
        figures[place_id].anchors = len(organisations)
    return figures
