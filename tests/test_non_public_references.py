"""A page anyone may see never names an organisation that is not public, on every page that can
refer to one (docs/adr/0006-layers.md, "References to records that are not public").

One draft organisation plays every part a public page can mention: the lead anchor of a
published local anchor, a network's coordinator, the author of a published plan, an
organisation a plan item names, and the organiser of a public meeting. Its name carries a
marker that must appear on none of the pages a resident can open, nor in the feeds.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import AnchorRoleFactory, DistrictFactory, LocalityFactory, NetworkFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

MARKER = "Hiddenmarker"


@pytest.fixture
def world():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    hidden = OrganisationFactory(name=f"{MARKER} Trust", slug="hidden-trust", status=PublicationStatus.DRAFT)
    network = NetworkFactory(
        name="Kirklees network", slug="kirklees-network", district=district, structure=NetworkStructure.TIERED
    )
    network.coordinator = hidden
    network.save()
    lead = AnchorRoleFactory(organisation=hidden, network=network, role=AnchorRoleKind.LEAD_ANCHOR, locality=area)
    local = AnchorRoleFactory(
        organisation__name="Batley East Local Anchor",
        organisation__slug="batley-east-local",
        network=network,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        locality=ward,
        lead=lead,
    )
    plan = LocalityPlanFactory(locality=area, owner=hidden, published=True, title="Batley and Spen plan")
    PlanItemFactory(plan=plan, organisations=[hidden, local.organisation])
    meeting = MeetingFactory(network=network, organiser=hidden, title="Open network meeting", localities=[ward])
    return {
        "network": network,
        "area": area,
        "ward": ward,
        "local": local.organisation,
        "plan": plan,
        "meeting": meeting,
    }


def public_pages(world) -> dict[str, str]:
    return {
        "local anchor's page (its lead)": world["local"].get_absolute_url(),
        "network list (coordinator)": reverse("organisations:network_list"),
        "network page (coordinator, leads)": world["network"].get_absolute_url(),
        "home (networks)": reverse("portal:home"),
        "area page (anchors, current plan)": world["area"].get_absolute_url(),
        "ward page (anchors, area's plan)": world["ward"].get_absolute_url(),
        "directory": reverse("organisations:directory"),
        "plan list (authors)": reverse("plans:list"),
        "plan page (author, organisations named)": world["plan"].get_absolute_url(),
        "plan feed (author)": reverse("plans:feed"),
        "meeting list (organiser)": reverse("meetings:list"),
        "meeting page (organiser)": world["meeting"].get_absolute_url(),
        "meeting download (organiser)": world["meeting"].get_ics_url(),
        "public calendar feed (organiser)": reverse("meetings:feed"),
        "area calendar feed (organiser)": reverse("meetings:locality_feed", kwargs={"slug": world["area"].slug}),
    }


def text_of(response) -> str:
    """The body as text, iCalendar's folded lines unfolded (RFC 5545 3.1), so that a name
    cut across two lines still counts."""
    return response.content.decode().replace("\r\n ", "")


def test_no_public_page_names_an_organisation_that_is_not_public(client, world):
    for page, url in public_pages(world).items():
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, page
        assert MARKER not in text_of(response), f"the {page} names a draft organisation"


def test_the_relationships_stay_visible_without_the_name(client, world):
    """Hidden means unnamed, not pretending there is nothing there."""
    local_page = client.get(world["local"].get_absolute_url()).content.decode()
    assert "Lead anchor: not listed publicly, for Batley and Spen." in local_page
    plan_page = client.get(world["plan"].get_absolute_url()).content.decode()
    assert "Batley East Local Anchor" in plan_page  # the public organisation the item names
    assert "Written by" not in plan_page


def test_once_published_the_organisation_is_named_and_linked_everywhere(client, world):
    hidden = world["network"].coordinator
    hidden.status = PublicationStatus.PUBLISHED
    hidden.save()
    link = f'<a class="govuk-link" href="{hidden.get_absolute_url()}">{hidden.name}</a>'
    for url in (
        world["local"].get_absolute_url(),
        world["network"].get_absolute_url(),
        world["plan"].get_absolute_url(),
    ):
        assert link in client.get(url).content.decode(), url
    assert MARKER in text_of(client.get(reverse("plans:feed")))
    assert MARKER in text_of(client.get(world["meeting"].get_ics_url()))
