"""A Kirklees-like world for residents' voices: a tiered network with a lead anchor for an area,
a local anchor for one of its wards, another area's lead anchor, their editors, a councillor, a
published plan of the area with two items, and two themes from the plan items' list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from core.permissions import COUNCILLOR_GROUP
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
    UserFactory,
    WardRepresentationFactory,
)
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED)
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    other_area = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=district)
    lead = AnchorRoleFactory(
        network=network,
        locality=area,
        role=AnchorRoleKind.LEAD_ANCHOR,
        organisation=OrganisationFactory(name="Batley Lead Anchor", email="hello@batley-lead.example.org"),
    )
    local = AnchorRoleFactory(network=network, locality=ward, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    other = AnchorRoleFactory(network=network, locality=other_area, role=AnchorRoleKind.LEAD_ANCHOR)
    councillor = UserFactory(username="councillor")
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    WardRepresentationFactory(user=councillor, ward=ward)
    plan = LocalityPlanFactory(locality=area, owner=lead.organisation, published=True)
    return {
        "district": district,
        "area": area,
        "ward": ward,
        "other_area": other_area,
        "lead": lead.organisation,
        "local": local.organisation,
        "other": other.organisation,
        "lead_editor": MembershipFactory(organisation=lead.organisation, user__email="lead@example.org").user,
        "local_editor": MembershipFactory(organisation=local.organisation, user__email="local@example.org").user,
        "other_editor": MembershipFactory(organisation=other.organisation, user__email="other@example.org").user,
        "member": UserFactory(username="member"),
        "councillor": councillor,
        "officer": UserFactory(username="officer", is_staff=True, email="officer@example.org"),
        "plan": plan,
        "items": [PlanItemFactory(plan=plan, title="A bus shelter"), PlanItemFactory(plan=plan, title="Youth club")],
        "transport": TaxonomyTermFactory(name="Transport"),
        "young_people": TaxonomyTermFactory(name="Young people"),
    }
