"""A small world for the meetings tests: the tiered Kirklees network with a lead and a local
anchor, the peer Leeds network, a person for every role, and a meeting at each visibility."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from core.permissions import COUNCILLOR_GROUP
from localities.models import LocalityKind
from meetings.models import Meeting, MeetingVisibility
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

from .factories import MeetingFactory


@dataclass
class World:
    places: dict
    kirklees: object
    leeds: object
    people: dict
    meetings: dict[str, Meeting]


@pytest.fixture
def world(db) -> World:
    kirklees_district = DistrictFactory(name="Kirklees", slug="kirklees")
    batley_and_spen = LocalityFactory(
        name="Batley and Spen",
        slug="batley-and-spen",
        kind=LocalityKind.AREA,
        parent=kirklees_district,
    )
    batley_east = LocalityFactory(name="Batley East", slug="batley-east", parent=batley_and_spen)
    huddersfield = LocalityFactory(
        name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=kirklees_district
    )
    leeds_district = DistrictFactory(name="Leeds", slug="leeds")
    armley = LocalityFactory(name="Armley", slug="armley", parent=leeds_district)
    places = {
        "kirklees": kirklees_district,
        "batley-and-spen": batley_and_spen,
        "batley-east": batley_east,
        "huddersfield": huddersfield,
        "leeds": leeds_district,
        "armley": armley,
    }

    kirklees = NetworkFactory(
        name="Kirklees Community Anchor Network",
        district=kirklees_district,
        structure=NetworkStructure.TIERED,
    )
    leeds = NetworkFactory(name="Leeds Community Anchor Network", district=leeds_district)
    lead = AnchorRoleFactory(
        organisation__name="Batley Lead Anchor",
        network=kirklees,
        locality=batley_and_spen,
        role=AnchorRoleKind.LEAD_ANCHOR,
    )
    local = AnchorRoleFactory(
        organisation__name="Batley East Local Anchor",
        network=kirklees,
        locality=batley_east,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=lead,
    )
    armley_anchor = AnchorRoleFactory(organisation__name="Armley Anchor", network=leeds, locality=armley)

    councillor = UserFactory(username="councillor")
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    people = {
        "anonymous": None,
        "outsider": UserFactory(username="outsider"),
        "kirklees_lead": MembershipFactory(user__username="kirklees_lead", organisation=lead.organisation).user,
        "kirklees_local": MembershipFactory(user__username="kirklees_local", organisation=local.organisation).user,
        "leeds_anchor": MembershipFactory(user__username="leeds_anchor", organisation=armley_anchor.organisation).user,
        "councillor": councillor,
        "officer": UserFactory(username="officer", is_staff=True),
    }
    link = "https://meet.example.org/secret-room-42"
    meetings = {
        "public": MeetingFactory(
            title="Kirklees network open meeting",
            network=kirklees,
            organiser=lead.organisation,
            localities=[batley_and_spen],
            joining_url=link,
        ),
        "network": MeetingFactory(
            title="Kirklees members meeting",
            network=kirklees,
            organiser=lead.organisation,
            visibility=MeetingVisibility.NETWORK,
            localities=[batley_east],
            joining_url=link,
        ),
        "lead_anchors": MeetingFactory(
            title="Kirklees lead anchors meeting",
            network=kirklees,
            organiser=lead.organisation,
            visibility=MeetingVisibility.LEAD_ANCHORS,
            localities=[batley_and_spen],
            joining_url=link,
        ),
        "leeds_network": MeetingFactory(
            title="Leeds members meeting",
            network=leeds,
            organiser=armley_anchor.organisation,
            visibility=MeetingVisibility.NETWORK,
            localities=[armley],
            joining_url=link,
        ),
    }
    return World(places=places, kirklees=kirklees, leeds=leeds, people=people, meetings=meetings)


@pytest.fixture
def as_person(client):
    """``as_person(user)`` signs the test client in as ``user`` (None: stays signed out)."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
