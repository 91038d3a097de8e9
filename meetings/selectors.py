"""Reads for the meetings pages and feeds. Who sees what is decided in ``MeetingQuerySet``
(``visible_to``, ``managed_by``); these narrow and fetch, in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from localities.models import Locality
from organisations.models import Organisation

from .models import Action, Meeting, MeetingQuerySet

# Feeds carry the past year as well as everything to come, so a subscriber's recent history
# stays in place; older meetings drop out of feeds (their pages stay).
FEED_HISTORY = datetime.timedelta(days=365)


def meeting_list_upcoming(*, user) -> MeetingQuerySet:
    """Meetings not yet over that ``user`` may see, soonest first, ready for a list."""
    return Meeting.objects.visible_to(user).upcoming().with_list_relations()


def meeting_list_past(*, user) -> MeetingQuerySet:
    """Meetings that have ended that ``user`` may see, most recent first, ready for a list."""
    return Meeting.objects.visible_to(user).past().with_list_relations()


def meeting_list_for_feed(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """``meetings`` as a feed carries them: from a year ago on, by start, cancelled ones
    included, with what an event shows fetched."""
    since = timezone.now() - FEED_HISTORY
    return meetings.filter(end__gte=since).select_related("network", "organiser").order_by("start", "pk")


def action_list_open(*, user, owner_slug: str | None = None) -> QuerySet[Action]:
    """Open actions raised at meetings ``user`` may see, by owner then due date (undated last),
    optionally for one owner organisation."""
    actions = (
        Action.objects.open()
        .filter(raised_at__in=Meeting.objects.visible_to(user).values("pk"))
        .select_related("owner", "raised_at")
    )
    if owner_slug:
        actions = actions.filter(owner__slug=owner_slug)
    return actions.order_by("owner__name", "owner_id", F("due_on").asc(nulls_last=True), "pk")


def meeting_list_managed(*, user) -> tuple[MeetingQuerySet, MeetingQuerySet]:
    """Meetings ``user`` organises (see ``MeetingQuerySet.managed_by``), ready for lists: those not
    yet over, soonest first, and past ones, most recent first."""
    managed = Meeting.objects.managed_by(user).with_list_relations()
    return managed.upcoming(), managed.past()


def meeting_attendance_candidates(meeting: Meeting) -> list[Organisation]:
    """The organisations a meeting's register lists, by name: the network's current anchors
    and coordinator, the published organisations serving a place the meeting concerns (or a
    place inside one), and any already recorded as attending or owning one of its actions.
    Two queries, whatever the size of the network."""
    places = Q()
    for place in meeting.localities.all():
        places |= Q(pk=place.pk) | Q(ancestor_path__startswith=place.descendant_prefix)
    serving = (
        Organisation.objects.public().filter(localities__in=Locality.objects.filter(places)).values("pk")
        if places
        else Organisation.objects.none().values("pk")
    )
    return list(
        Organisation.objects.filter(
            Q(pk__in=Organisation.objects.in_network(meeting.network).values("pk"))
            | Q(pk__in=serving)
            | Q(pk__in=meeting.attendances.values("organisation_id"))
            | Q(pk__in=meeting.actions.values("owner_id"))
        )
        .order_by("name", "pk")
        .only("pk", "name", "slug", "status")
    )
