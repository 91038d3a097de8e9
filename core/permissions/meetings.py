"""Who may see which meetings, and who may see a meeting's online joining link.

Built on the roles in ``core.permissions`` (see its docstring):

- **Public** (anyone, signed in or not): meetings whose visibility is *public*.
- **Network members** (people in an organisation with a current anchor role in a network, or
  that coordinates it): also that network's *network members* meetings.
- **Lead-anchor members** (people in a lead anchor, or a peer anchor where the network has no
  tiers): also that network's *lead anchors only* meetings.
- **Councillors**: also every *network members* meeting (they read network meetings; they are
  not members of a network's organisations).
- **Officers**: everything.

Who may *organise* (add, change, cancel and record) meetings: officers, every meeting; a
lead-anchor editor (see ``core.permissions``), the meetings their lead (or peer) anchor
organises in the network where it holds that role — nobody else's.

A joining link is never shown to someone signed out, whatever the meeting's visibility: only to
officers, and to signed-in people who may see the meeting and belong to its network, its
organiser, or the councillors. Every page, download and feed asks these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import (
    is_councillor,
    is_officer,
    is_signed_in,
    lead_anchor_networks,
    leading_roles,
    led_localities,
    member_organisations,
    network_member_networks,
)

if TYPE_CHECKING:
    from localities.models import Locality
    from meetings.models import Meeting
    from organisations.models import Network, Organisation

    from . import User


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Every meeting ``user`` may see, as one filterable queryset (costs at most one query to
    decide, for the councillor group, before the queryset itself runs)."""
    from meetings.models import Meeting, MeetingVisibility

    meetings = Meeting.objects.all()
    if is_officer(user):
        return meetings
    allowed = Q(visibility=MeetingVisibility.PUBLIC)
    if is_signed_in(user):
        if is_councillor(user):
            allowed |= Q(visibility=MeetingVisibility.NETWORK)
        else:
            allowed |= Q(
                visibility=MeetingVisibility.NETWORK,
                network__in=network_member_networks(user).values("pk"),
            )
        allowed |= Q(
            visibility=MeetingVisibility.LEAD_ANCHORS,
            network__in=lead_anchor_networks(user).values("pk"),
        )
    return meetings.filter(allowed)


class MeetingViewer:
    """What one person may see *of meetings they may already see*, worked out once (at most
    three queries) and then asked meeting by meeting with none: for pages, lists and feeds.

    Joining links, attendance and actions go to officers, and to signed-in councillors or
    people in the meeting's network or its organiser; never to someone signed out.
    """

    def __init__(self, user: User) -> None:
        self.signed_in = is_signed_in(user)
        self.officer = is_officer(user)
        self.councillor = False
        self.network_ids: set[int] = set()
        self.organisation_ids: set[int] = set()
        if self.signed_in and not self.officer:
            self.councillor = is_councillor(user)
            self.network_ids = set(network_member_networks(user).values_list("pk", flat=True))
            self.organisation_ids = set(member_organisations(user).values_list("pk", flat=True))

    def is_insider(self, meeting: Meeting) -> bool:
        """Officer, councillor, or in the meeting's network or organiser."""
        if not self.signed_in:
            return False
        return (
            self.officer
            or self.councillor
            or meeting.network_id in self.network_ids
            or meeting.organiser_id in self.organisation_ids
        )

    def may_see_joining_link(self, meeting: Meeting) -> bool:
        return bool(meeting.joining_url) and self.is_insider(meeting)

    def may_see_records(self, meeting: Meeting) -> bool:
        """Attendance and the actions the meeting raised."""
        return self.is_insider(meeting)


def joining_link_rule(user: User) -> Callable[[Meeting], bool]:
    """A test, worked out once for ``user``, of whether they may see the joining link of a
    meeting *they may already see* (for lists and feeds: no query per meeting)."""
    return MeetingViewer(user).may_see_joining_link


def can_see_meeting(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may see ``meeting`` at all."""
    return meetings_visible_to(user).filter(pk=meeting.pk).exists()


def can_see_joining_link(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may see ``meeting``'s online joining link: never when signed out."""
    if not is_signed_in(user) or not meeting.joining_url:
        return False
    return can_see_meeting(user, meeting) and MeetingViewer(user).may_see_joining_link(meeting)


def can_see_meeting_records(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may see who attended ``meeting`` and the actions it raised: the same
    people as its joining link, whether or not it met online."""
    if not is_signed_in(user):
        return False
    return can_see_meeting(user, meeting) and MeetingViewer(user).may_see_records(meeting)


def can_follow_actions(user: User) -> bool:
    """Whether ``user`` may see the open actions page: officers and network members."""
    return is_officer(user) or (is_signed_in(user) and network_member_networks(user).exists())


# ------------------------------------------------------------------------------
# Organising meetings
# ------------------------------------------------------------------------------
def meetings_managed_by(user: User) -> QuerySet[Meeting]:
    """Meetings ``user`` may change, cancel and record attendance and actions for: every one
    for an officer; for a lead-anchor editor, those organised by an organisation they edit in
    a network where it holds a current lead-anchor (or, without tiers, anchor) role."""
    from meetings.models import Meeting

    if is_officer(user):
        return Meeting.objects.all()
    if not is_signed_in(user):
        return Meeting.objects.none()
    roles = leading_roles(user).filter(organisation_id=OuterRef("organiser_id"), network_id=OuterRef("network_id"))
    return Meeting.objects.filter(Exists(roles))


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may change ``meeting`` (see ``meetings_managed_by``)."""
    if is_officer(user):
        return True
    return meetings_managed_by(user).filter(pk=meeting.pk).exists()


def may_organise_meetings(user: User) -> bool:
    """Whether ``user`` may add meetings at all: officers and lead-anchor editors."""
    return is_officer(user) or leading_roles(user).exists()


def meeting_organisers_for(user: User, network: Network | None = None) -> QuerySet[Organisation]:
    """Organisations ``user`` may organise a meeting as (in ``network``, when given).

    Officers: any organisation with a current anchor role in a network, or coordinating one.
    Lead-anchor editors: the organisations behind their leading roles.
    """
    from organisations.models import AnchorRole, Organisation

    if is_officer(user):
        roles = AnchorRole.objects.current()
        coordinators = Q(coordinated_networks__isnull=False)
        if network is not None:
            roles = roles.filter(network=network)
            coordinators = Q(pk=network.coordinator_id)
        return Organisation.objects.filter(Q(pk__in=roles.values("organisation_id")) | coordinators).distinct()
    roles = leading_roles(user)
    if network is not None:
        roles = roles.filter(network=network)
    return Organisation.objects.filter(pk__in=roles.values("organisation_id"))


def meeting_networks_for(user: User) -> QuerySet[Network]:
    """Networks ``user`` may hold a meeting in: every network for an officer; for a
    lead-anchor editor, those where their organisation holds its leading role."""
    from organisations.models import Network

    if is_officer(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=leading_roles(user).values("network_id"))


def meeting_localities_for(user: User) -> QuerySet[Locality]:
    """Current places a meeting by ``user`` may concern: every current place for an officer;
    for a lead-anchor editor, those their organisation leads or anchors and the places inside."""
    from localities.models import Locality

    if is_officer(user):
        return Locality.objects.current()
    return led_localities(user).current()
