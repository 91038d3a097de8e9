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
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublishableQuerySet
from core.permissions import is_officer
from localities.models import Locality, LocalityKind, LocalityQuerySet
from organisations.models import Organisation, OrganisationQuerySet

from .models import Engagement, EngagementKind, ExchangeEntry, ExchangeEntryQuerySet, QuietNote, SupportRelationship
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
    groups = Organisation.objects.community_groups().exclude(PublishableQuerySet.archived_condition())
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
