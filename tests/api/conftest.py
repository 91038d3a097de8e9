"""The world the Open Referral UK API tests read: a few organisations of every kind the API
treats differently."""

from __future__ import annotations

import datetime

import pytest

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, CostOption, Language, Organisation, Weekday
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    NetworkFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)

MARKER = "PRIVATE-MARKER-0a9c"


@pytest.fixture
def world():
    """Leeds with an area and two wards; a located anchor near LS14 6JB offering food support,
    a group 10 km away, a group whose postcode the ONS table lacks (same district), one with no
    address at all, and a draft and an archived organisation carrying officer-only details."""
    district = DistrictFactory(name="Leeds", slug="leeds")
    area = LocalityFactory(name="Outer East", slug="outer-east", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Killingbeck", slug="killingbeck", parent=area, gss_code="E05011400")
    far_ward = LocalityFactory(name="Otley", slug="otley", parent=district)
    network = NetworkFactory(name="Leeds Community Anchor Network", district=district)
    PostcodeFactory(postcode="LS14 6JB", ward=ward, latitude=53.8200, longitude=-1.4400)
    PostcodeFactory(postcode="LS14 1AA", ward=ward, latitude=53.8230, longitude=-1.4420)  # about 360 m away
    PostcodeFactory(postcode="LS21 3BB", ward=far_ward, latitude=53.9050, longitude=-1.6920)  # about 19 km
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    other_taxonomy = TaxonomyFactory(name="Another vocabulary")
    youth = TaxonomyTermFactory(name="Youth work", slug="youth-work", taxonomy=other_taxonomy)
    anchor = OrganisationFactory(
        name="Seacroft Trust",
        description="Runs the Seacroft food pantry.",
        address="1 Main Street\nSeacroft\nLeeds",
        postcode="LS14 1AA",
        charity_number="1012345",
        company_number="01234567",
        email="hello@seacroft.example.org",
        website="https://seacroft.example.org",
        services=[food],
        localities=[ward],
    )
    AnchorRoleFactory(organisation=anchor, network=network, locality=ward, role=AnchorRoleKind.ANCHOR)
    # When it is open, what it costs and the languages spoken travel as schedules, cost_options
    # and languages; the far group has only free-text opening hours.
    ScheduleFactory(organisation=anchor, byday=Weekday.MONDAY, opens_at=datetime.time(10), closes_at=datetime.time(14))
    ScheduleFactory(organisation=anchor, byday="", opens_at=None, closes_at=None, by_appointment=True)
    Organisation.objects.filter(pk=anchor.pk).update(cost_option=CostOption.FREE)
    anchor.languages.set([Language.objects.get(code="ur")])
    far = OrganisationFactory(
        name="Otley Lunch Club",
        postcode="LS21 3BB",
        services=[youth],
        localities=[far_ward],
        opening_hours="Thursdays at noon",
    )
    unmapped = OrganisationFactory(name="Killingbeck Choir", postcode="LS14 9ZZ", localities=[ward])
    nowhere = OrganisationFactory(name="Online Befrienders", description="")
    private = {"contact_name": f"{MARKER} name", "contact_email": "private-0a9c@example.org"}
    draft = OrganisationFactory(name="Draft Group", status=PublicationStatus.DRAFT, postcode="LS14 6JB", **private)
    archived = OrganisationFactory(
        name="Archived Group", status=PublicationStatus.ARCHIVED, postcode="LS14 6JB", services=[food], **private
    )
    return {
        "district": district,
        "area": area,
        "ward": ward,
        "network": network,
        "food": food,
        "youth": youth,
        "anchor": anchor,
        "far": far,
        "unmapped": unmapped,
        "nowhere": nowhere,
        "draft": draft,
        "archived": archived,
    }
