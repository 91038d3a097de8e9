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

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, StrIndex, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublishableQuerySet
from core.permissions import is_officer
from core.workingdays import add_working_days
from localities.models import Locality, LocalityKind, LocalityQuerySet
from organisations.models import AnchorRole, Organisation, OrganisationQuerySet

from .models import (
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
    ExchangeEntryQuerySet,
    QuietNote,
    QuietReason,
    SupportRelationship,
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
        last_contact_on=Subquery(logged.order_by("-occurred_on").values("occurred_on")[:1]),
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
        ancestors = [int(part) for part in path.strip("/").split("/") if part]
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
# Every function below is one query whatever the number of places, groups or engagements:
# the counting happens in SQL (conditional aggregation, correlated subqueries), never in a
# Python loop over rows. ``start`` and ``end`` are dates, both included; ``as_of`` is the day a
# state is read on (a status, "current", "quiet"): the period's last day, or today while it
# runs (``portal.periods.Period.as_of``).
EngagementOrganisation = Engagement.organisations.through
OrganisationLocality = Organisation.localities.through


def groups_known_in(places: LocalityQuerySet) -> OrganisationQuerySet:
    """The dashboard's **groups known**: the community groups in use (``groups_in_use``)
    serving any of ``places``, each once. The outreach list filtered by one of these places
    (``/network/outreach/?area=<slug>``) lists the same groups."""
    served = OrganisationLocality.objects.filter(organisation=OuterRef("pk"), locality__in=places)
    return groups_in_use().filter(Exists(served))


def groups_supported_by_nobody(groups: OrganisationQuerySet, *, as_of: datetime.date) -> OrganisationQuerySet:
    """Those of ``groups`` with no support relationship active on ``as_of``."""
    return groups.exclude(pk__in=SupportRelationship.objects.active(as_of).values("group_id"))


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


def _count(queryset: models.QuerySet, field: str = "pk", *, distinct: bool = False) -> Coalesce:
    """A correlated subquery counting ``queryset``'s rows (or distinct values of ``field``),
    0 when there are none: an annotation, so a list of places counts in one query."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(_n=Func(F(field), template=template, output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("_n")[:1]), 0)


def _outer(name: str, depth: int) -> OuterRef:
    """A reference to the place's ``name`` from a subquery nested ``depth`` levels below it."""
    ref = OuterRef(name)
    for _level in range(depth - 1):
        ref = OuterRef(ref)
    return ref


def _serves_place(organisation: str, depth: int) -> Exists:
    """Whether the organisation ``organisation`` names (a field of a subquery nested
    ``depth - 1`` levels below the place) serves the place or somewhere inside it."""
    return Exists(
        OrganisationLocality.objects.filter(organisation=OuterRef(organisation)).filter(
            Q(locality=_outer("pk", depth)) | Q(locality__ancestor_path__startswith=_outer("place_prefix", depth))
        )
    )


def group_figures(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """What the dashboard says about ``groups`` (normally ``groups_known_in``), as a dict of
    counts of groups:

    - ``known``: all of them;
    - ``engaged``: involved in at least one engagement dated in the period;
    - ``new``: **new groups reached**, whose first engagement ever is dated in the period;
    - ``quiet``: quiet on ``as_of`` (``with_outreach``: no contact for ``QUIET_AFTER_DAYS``);
    - ``status_<value>`` for each ``OutreachStatus``: their outreach status on ``as_of``;
    - ``unsupported``: **supported by nobody**, no active support relationship on ``as_of``
      (every status but "supported").
    """
    first_contact = Engagement.objects.filter(organisations=OuterRef("pk")).order_by("occurred_on")
    in_period = Engagement.objects.filter(organisations=OuterRef("pk"), occurred_on__range=(start, end))
    annotated = with_outreach(groups, as_of).annotate(
        first_contact_on=Subquery(first_contact.values("occurred_on")[:1]), engaged_in_period=Exists(in_period)
    )
    figures = annotated.aggregate(
        known=Count("pk"),
        engaged=Count("pk", filter=Q(engaged_in_period=True)),
        new=Count("pk", filter=Q(first_contact_on__range=(start, end))),
        quiet=Count("pk", filter=Q(is_quiet=True)),
        **{f"status_{status}": Count("pk", filter=Q(outreach_status=status)) for status in OutreachStatus.values},
    )
    figures["unsupported"] = figures["known"] - figures[f"status_{OutreachStatus.SUPPORTED}"]
    return figures


def engagements_per_period(
    groups: OrganisationQuerySet, spans: Sequence[tuple[datetime.date, datetime.date]]
) -> list[int]:
    """For each ``(start, end)`` of ``spans`` (both days included), the **engagements** dated
    in it that involved one of ``groups`` (each entry of the log once, as ``engagement_figures``
    counts them). One query, whatever the number of spans."""
    if not spans:
        return []
    links = EngagementOrganisation.objects.filter(
        engagement__occurred_on__range=(min(start for start, _end in spans), max(end for _start, end in spans)),
        organisation__in=groups.values("pk"),
    )
    counts = links.aggregate(
        **{
            f"span_{index}": Count("engagement_id", distinct=True, filter=Q(engagement__occurred_on__range=span))
            for index, span in enumerate(spans)
        }
    )
    return [counts[f"span_{index}"] for index in range(len(spans))]


def engagement_figures(groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date) -> dict:
    """The engagements dated in the period that involved one of ``groups``:

    - ``entries``: **engagements**, each entry of the log once (a workshop for twelve groups
      is one);
    - ``contacts``: **organisation engagements**, once per group per entry (that workshop
      counts twelve);
    - ``groups``: distinct groups engaged;
    - ``anchors``: **anchors active**, the distinct anchors that logged one of them;
    - ``by_kind``: ``{kind value: {"entries": n, "contacts": n}}`` for the kinds that occur.

    Two queries.
    """
    links = EngagementOrganisation.objects.filter(
        engagement__occurred_on__range=(start, end), organisation__in=groups.values("pk")
    )
    figures = links.aggregate(
        entries=Count("engagement_id", distinct=True),
        contacts=Count("pk"),
        groups=Count("organisation_id", distinct=True),
        anchors=Count("engagement__anchor_id", distinct=True),
    )
    kinds = links.values("engagement__kind").annotate(
        entries=Count("engagement_id", distinct=True), contacts=Count("pk")
    )
    figures["by_kind"] = {
        row["engagement__kind"]: {"entries": row["entries"], "contacts": row["contacts"]} for row in kinds.order_by()
    }
    return figures


def follow_up_figures(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, int]:
    """**Open follow-ups**: entries involving one of ``groups`` whose follow-up date falls in
    the period and that are not marked done (``open``), and of those the ones whose date has
    passed (``overdue``, before ``today``). Each entry once."""
    entries = Engagement.objects.filter(
        Exists(EngagementOrganisation.objects.filter(engagement=OuterRef("pk"), organisation__in=groups.values("pk"))),
        follow_up_on__range=(start, end),
        follow_up_done=False,
    )
    return entries.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(follow_up_on__lt=today)))


def relationship_figures(
    groups: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """Support relationships with one of ``groups`` as the group supported: ``started`` (start
    date in the period), ``ended`` (last day of support in the period) and ``active`` on
    ``as_of`` (``SupportRelationshipQuerySet.active``'s rule)."""
    relationships = SupportRelationship.objects.filter(group__in=groups.values("pk"))
    return relationships.aggregate(
        started=Count("pk", filter=Q(started_on__range=(start, end))),
        ended=Count("pk", filter=Q(ended_on__range=(start, end))),
        active=Count("pk", filter=Q(pk__in=SupportRelationship.objects.active(as_of).values("pk"))),
    )


def exchange_figures(
    organisations: OrganisationQuerySet, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """The skills and assets exchange for ``organisations`` (``organisations_serving``):
    ``offers`` and ``needs`` current on ``as_of`` (added by then, not closed by then), and
    ``exchanges``, **exchanges made**: needs met through the exchange (``met_by``) that
    closed in the period."""
    current = Q(created_at__date__lte=as_of) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=as_of))
    entries = ExchangeEntry.objects.filter(organisation__in=organisations.values("pk"))
    return entries.aggregate(
        offers=Count("pk", filter=current & Q(direction=ExchangeDirection.OFFER)),
        needs=Count("pk", filter=current & Q(direction=ExchangeDirection.NEED)),
        exchanges=Count("pk", filter=Q(met_by__isnull=False, closed_at__date__range=(start, end))),
    )


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
        requests.filter(created_at__date__range=(start, end))
        .with_overdue()
        .annotate(received_on=TruncDate("created_at"), acknowledged_on=TruncDate("acknowledged_at"))
        .values("received_on", "acknowledged_on", "is_overdue")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = {"received": 0, "in_time": 0, "late": 0, "overdue": 0}
    days = acknowledge_within_days()
    for row in received:
        figures["received"] += row["n"]
        if row["is_overdue"]:
            figures["overdue"] += row["n"]
        if row["acknowledged_on"] is not None:
            in_time = row["acknowledged_on"] <= add_working_days(row["received_on"], days)
            figures["in_time" if in_time else "late"] += row["n"]
    return figures


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


def places_with_activity(
    places: LocalityQuerySet,
    groups: OrganisationQuerySet,
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    with_reasons: bool = True,
) -> LocalityQuerySet:
    """``places`` (wards, or areas) each annotated with the dashboard's coverage figures,
    counting each of ``groups`` (``groups_known_in``) once per place it serves — a group
    serving two wards of one area counts for both wards and once for the area — where a group
    serves a place when it serves it or somewhere inside it:

    - ``groups_known``, ``groups_engaged`` (an engagement dated in the period), ``quiet``
      (quiet on ``as_of``) and, unless ``with_reasons`` is False, ``quiet_<reason>`` for each
      ``QuietReason`` plus ``quiet_no_reason``: counts of groups;
    - ``engagements``: entries dated in the period involving one of its groups;
    - ``last_contact_on``: the latest engagement with one of its groups up to ``as_of``, or
      None;
    - ``anchors``: organisations with a current anchor role for the place, a place inside it
      or a place it lies in (a ward's area's lead anchor serves the ward).

    One query, whatever the number of places, groups or engagements.
    """
    in_place = groups.filter(_serves_place("pk", 2))
    # The same groups, one subquery deeper: the place's engagements are found from its groups
    # (a few dozen) rather than by testing every engagement's groups against the place.
    place_links = EngagementOrganisation.objects.filter(
        organisation__in=groups.filter(_serves_place("pk", 3)).values("pk")
    )
    engaged = Engagement.objects.filter(organisations=OuterRef("pk"), occurred_on__range=(start, end))
    quiet = with_outreach(in_place, as_of).filter(is_quiet=True)
    role_place_marker = Concat(Value("/"), Cast("locality_id", output_field=CharField()), Value("/"))
    anchors = AnchorRole.objects.current().filter(
        Q(locality=OuterRef("pk"))
        | Q(locality__ancestor_path__startswith=OuterRef("place_prefix"))
        | GreaterThan(StrIndex(OuterRef("ancestor_path"), role_place_marker), 0)
    )
    last_contact = place_links.filter(engagement__occurred_on__lte=as_of).annotate(
        _last=Func(F("engagement__occurred_on"), function="MAX", output_field=DateField())
    )
    reasons = {}
    if with_reasons:
        reasons = {
            "quiet_no_reason": _count(quiet.filter(quiet_reason__isnull=True)),
            **{f"quiet_{reason}": _count(quiet.filter(quiet_reason=reason)) for reason in QuietReason.values},
        }
    return places.annotate(
        place_prefix=Concat("ancestor_path", Cast("pk", output_field=CharField()), Value("/"))
    ).annotate(
        groups_known=_count(in_place),
        groups_engaged=_count(in_place.filter(Exists(engaged))),
        engagements=_count(
            place_links.filter(engagement__occurred_on__range=(start, end)), "engagement_id", distinct=True
        ),
        last_contact_on=Subquery(last_contact.order_by().values("_last")[:1]),
        quiet=_count(quiet),
        anchors=_count(anchors, "organisation_id", distinct=True),
        **reasons,
    )
