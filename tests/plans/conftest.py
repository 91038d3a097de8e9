"""Places, anchors and people for the plan tests.

Kirklees (tiered): lead anchors for Batley and Spen and for Dewsbury, with a local anchor in
Batley East. Leeds (peers): an anchor for Armley. One editor for each anchor, a councillor (for
Batley East), a signed-in resident and an officer.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from core.permissions import COUNCILLOR_GROUP
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, MembershipRole, NetworkStructure
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
    WardRepresentationFactory,
)


@pytest.fixture
def world(db):
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees")
    batley = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    batley_east = LocalityFactory(name="Batley East", slug="batley-east", parent=batley)
    dewsbury = LocalityFactory(name="Dewsbury", slug="dewsbury", kind=LocalityKind.AREA, parent=kirklees)
    dewsbury_west = LocalityFactory(name="Dewsbury West", slug="dewsbury-west", parent=dewsbury)
    kirklees_network = NetworkFactory(
        name="Kirklees Community Anchor Network",
        district=kirklees,
        structure=NetworkStructure.TIERED,
    )
    batley_lead = AnchorRoleFactory(
        organisation__name="Batley lead anchor",
        organisation__slug="batley-lead-anchor",
        network=kirklees_network,
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=batley,
    )
    dewsbury_lead = AnchorRoleFactory(
        organisation__name="Dewsbury lead anchor",
        organisation__slug="dewsbury-lead-anchor",
        network=kirklees_network,
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=dewsbury,
    )
    batley_local = AnchorRoleFactory(
        organisation__name="Batley East local anchor",
        network=kirklees_network,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        locality=batley_east,
        lead=batley_lead,
    )
    leeds = DistrictFactory(name="Leeds", slug="leeds")
    armley = LocalityFactory(name="Armley", slug="armley", parent=leeds)
    leeds_network = NetworkFactory(name="Leeds Community Anchor Network", district=leeds)
    armley_anchor = AnchorRoleFactory(
        organisation__name="Armley anchor",
        network=leeds_network,
        role=AnchorRoleKind.ANCHOR,
        locality=armley,
    )

    def editor(organisation, username):
        return MembershipFactory(user__username=username, organisation=organisation, role=MembershipRole.EDITOR).user

    councillor = UserFactory(username="councillor")
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    # The councillor represents Batley East, so reads the plans shared for Batley and Spen.
    WardRepresentationFactory(user=councillor, ward=batley_east)
    viewer = MembershipFactory(
        user__username="batley-viewer",
        organisation=batley_lead.organisation,
        role=MembershipRole.VIEWER,
    ).user
    return SimpleNamespace(
        kirklees=kirklees,
        batley=batley,
        batley_east=batley_east,
        dewsbury=dewsbury,
        dewsbury_west=dewsbury_west,
        leeds=leeds,
        armley=armley,
        batley_lead=batley_lead.organisation,
        dewsbury_lead=dewsbury_lead.organisation,
        batley_local=batley_local.organisation,
        armley_anchor=armley_anchor.organisation,
        alice=editor(batley_lead.organisation, "alice"),
        bob=editor(dewsbury_lead.organisation, "bob"),
        carol=editor(armley_anchor.organisation, "carol"),
        local_editor=editor(batley_local.organisation, "local-editor"),
        viewer=viewer,
        councillor=councillor,
        resident=UserFactory(username="resident"),
        officer=UserFactory(username="officer", is_staff=True),
    )


@pytest.fixture
def alice(client, world):
    """A client signed in as Batley and Spen's lead-anchor editor."""
    client.force_login(world.alice)
    return client


@pytest.fixture
def plan(world):
    """A draft for Batley and Spen by its lead anchor."""
    from tests.plans.factories import LocalityPlanFactory

    return LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Batley and Spen plan")
