"""The public area pages."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import AnchorRoleFactory, DistrictFactory, LocalityFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirklees():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Dalton", slug="dalton", parent=area)
    ended = LocalityFactory(name="Newsome", slug="newsome", parent=area, valid_to=datetime.date(2026, 5, 6))
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED)
    lead = AnchorRoleFactory(
        organisation__name="Huddersfield lead anchor (demo)",
        network=network,
        locality=area,
        role=AnchorRoleKind.LEAD_ANCHOR,
    )
    return district, area, ward, ended, lead


def test_the_area_list_shows_current_places_only(client, kirklees):
    response = client.get(reverse("portal:area_list"))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Dalton")
    assertNotContains(response, "Newsome")


def test_an_area_page_shows_its_sub_areas_anchors_and_organisations(client, kirklees):
    district, area, ward, ended, lead = kirklees
    OrganisationFactory(name="Dalton Lunch Club", localities=[ward])
    OrganisationFactory(name="Hidden Draft", localities=[ward], status=PublicationStatus.DRAFT)
    response = client.get(area.get_absolute_url())
    assertContains(response, "Places in Huddersfield")
    assertContains(response, "Dalton Lunch Club")
    assertContains(response, "Huddersfield lead anchor (demo)")
    assertNotContains(response, "Hidden Draft")
    assertNotContains(response, ">Newsome<")


def test_a_ward_page_shows_the_lead_anchor_of_its_area(client, kirklees):
    district, area, ward, ended, lead = kirklees
    response = client.get(ward.get_absolute_url())
    assertContains(response, "Huddersfield lead anchor (demo)")
    assertContains(response, f'href="{area.get_absolute_url()}"')  # breadcrumbs


def test_a_ward_page_lists_what_serves_its_area_and_district_after_the_local_ones(client, kirklees):
    district, area, ward, ended, lead = kirklees
    OrganisationFactory(name="Kirklees Welfare Rights", localities=[district])
    OrganisationFactory(name="Almondbury Choir", localities=[area])
    OrganisationFactory(name="Dalton Lunch Club", localities=[ward])

    response = client.get(ward.get_absolute_url())

    names = [organisation.name for organisation in response.context["organisations"]]
    assert names == ["Dalton Lunch Club", "Almondbury Choir", "Kirklees Welfare Rights"]
    assertContains(response, "Serves all of Huddersfield")
    assertContains(response, "Serves all of Kirklees")


def test_an_ended_ward_keeps_its_page_and_says_it_ended(client, kirklees):
    district, area, ward, ended, lead = kirklees
    OrganisationFactory(name="Newsome Allotment Society", localities=[ended])
    response = client.get(ended.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "ended on 6 May 2026")
    assertContains(response, "Newsome Allotment Society")


def test_an_area_with_nothing_in_it_says_so(client):
    district = DistrictFactory(name="Calderdale", slug="calderdale")
    response = client.get(district.get_absolute_url())
    assertContains(response, "No organisations are listed for Calderdale yet.")
    assertContains(response, "No anchor is listed for Calderdale yet.")


def test_an_unknown_area_answers_404(client):
    assert client.get(reverse("portal:area_detail", args=["atlantis"])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("count", [10, 50])
def test_an_area_page_costs_the_same_queries_for_10_or_50_organisations(
    client, kirklees, count, django_assert_max_num_queries
):
    district, area, ward, ended, lead = kirklees
    for _ in range(count):
        OrganisationFactory(localities=[ward, ended])
    # 10 for the page (one of them the cards' languages), 2 for the ward map (its wards with their
    # outlines, and the groups).
    with django_assert_max_num_queries(12):
        response = client.get(district.get_absolute_url(), {"page": 2})
    assert response.status_code == HTTPStatus.OK
