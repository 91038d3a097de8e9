"""What of a meeting someone may see, and who may organise meetings where.

Which meetings someone may see at all is ``Meeting.objects.visible_to(user)``, and which they
may change ``Meeting.objects.managed_by(user)``; these functions answer the rest.

A joining link, the register and the actions go to officers, and to signed-in councillors or
people in the meeting's network or its organiser; never to someone signed out, whatever the
meeting's visibility. Every page, download and feed asks ``MeetingViewer``.

Who may *organise* (add, change, cancel and record) meetings: officers, every meeting; a
lead-anchor editor (see ``organisations.permissions``), the meetings their lead (or peer)
anchor organises in the network where it holds that role — nobody else's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from core.permissions import is_councillor, is_officer, is_signed_in
from localities.models import Locality, LocalityQuerySet
from organisations.models import AnchorRole, Network, NetworkQuerySet, Organisation, OrganisationQuerySet
from organisations.permissions import is_lead_anchor_editor, led_localities

from .models import Meeting

if TYPE_CHECKING:
    from core.permissions import User


class MeetingViewer:
    """What one person may see *of meetings they may already see*, worked out once (at most
    three queries) and then asked meeting by meeting with none: for pages, lists and feeds."""

    def __init__(self, user: User | None) -> None:
        self.signed_in = is_signed_in(user)
        self.officer = is_officer(user)
        self.councillor = False
        self.network_ids: set[int] = set()
        self.organisation_ids: set[int] = set()
        if self.signed_in and not self.officer:
            self.councillor = is_councillor(user)
            self.network_ids = set(Network.objects.with_member(user).values_list("pk", flat=True))
            self.organisation_ids = set(Organisation.objects.with_member(user).values_list("pk", flat=True))

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


def can_follow_actions(user: User | None) -> bool:
    """Whether ``user`` may see the open actions page: officers and network members."""
    return is_officer(user) or (is_signed_in(user) and Network.objects.with_member(user).exists())


def can_manage_meeting(user: User | None, meeting: Meeting) -> bool:
    """Whether ``user`` may change ``meeting`` (see ``MeetingQuerySet.managed_by``)."""
    if is_officer(user):
        return True
    return Meeting.objects.managed_by(user).filter(pk=meeting.pk).exists()


def may_organise_meetings(user: User | None) -> bool:
    """Whether ``user`` may add meetings at all: officers and lead-anchor editors."""
    return is_officer(user) or is_lead_anchor_editor(user)


def meeting_organisers_for(user: User | None, network: Network | None = None) -> OrganisationQuerySet:
    """Organisations ``user`` may organise a meeting as (in ``network``, when given).

    Officers: any organisation with a current anchor role in a network, or coordinating one.
    Lead-anchor editors: the organisations behind their leading roles.
    """
    if is_officer(user):
        roles = AnchorRole.objects.current()
        coordinators = Q(coordinated_networks__isnull=False)
        if network is not None:
            roles = roles.filter(network=network)
            coordinators = Q(pk=network.coordinator_id)
        return Organisation.objects.filter(Q(pk__in=roles.values("organisation_id")) | coordinators).distinct()
    roles = AnchorRole.objects.leading_for(user)
    if network is not None:
        roles = roles.filter(network=network)
    return Organisation.objects.filter(pk__in=roles.values("organisation_id"))


def meeting_networks_for(user: User | None) -> NetworkQuerySet:
    """Networks ``user`` may hold a meeting in: every network for an officer; for a
    lead-anchor editor, those where their organisation holds its leading role."""
    if is_officer(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=AnchorRole.objects.leading_for(user).values("network_id"))


def meeting_localities_for(user: User | None) -> LocalityQuerySet:
    """Current places a meeting by ``user`` may concern: every current place for an officer;
    for a lead-anchor editor, those their organisation leads or anchors and the places inside."""
    if is_officer(user):
        return Locality.objects.current()
    return led_localities(user).current()
