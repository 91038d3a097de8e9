"""The directory's answers to a postcode it cannot place in a ward: outside the areas the portal
covers, unknown in a district it covers, and retired. Each says plainly what happened and offers
a way on; none is an empty page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from localities.models import LocalityKind
from tests.factories import DistrictFactory, LocalityFactory, OrganisationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
HOME = reverse("portal:home")
OUTSIDE = "is outside the areas this directory covers"


@pytest.fixture
def places():
    """Leeds and Kirklees, a ward of Kirklees with an organisation in WF17, and one Leeds
    organisation in LS14. No postcode imported."""
    leeds = DistrictFactory(name="Leeds", slug="leeds")
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    east = LocalityFactory(name="Batley East", slug="batley-east", parent=area, gss_code="E05001384")
    OrganisationFactory(name="East Batley Pantry", localities=[east], postcode="WF17 5AB")
    OrganisationFactory(name="Seacroft Hub", localities=[leeds], postcode="LS14 6JB")
    return {"leeds": leeds, "kirklees": kirklees, "east": east}


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


@pytest.mark.parametrize("typed", ["SW1A 1AA", "sw1a1aa", " Sw1A  1aA "])
def test_a_postcode_elsewhere_says_it_is_outside_and_names_the_areas_covered(client, places, typed):
    response = client.get(DIRECTORY, {"q": typed})

    assert response.status_code == 200
    assertContains(response, f"SW1A 1AA {OUTSIDE}")
    assertContains(response, "It lists community organisations in Kirklees and Leeds only.")
    # A way on: each area covered, every area, or a search by need; not "no match" advice.
    assertContains(response, places["leeds"].get_absolute_url())
    assertContains(response, places["kirklees"].get_absolute_url())
    assertContains(response, reverse("portal:area_list"))
    assertNotContains(response, "No organisations match your search")
    assertNotContains(response, "approximate")
    assert names(response) == []


def test_the_home_page_search_box_reaches_the_same_answer(client, places):
    home = client.get(HOME)
    assertContains(home, f'action="{DIRECTORY}"')
    assertContains(home, 'name="q"')

    assertContains(client.get(DIRECTORY, {"q": "SW1A 1AA"}), OUTSIDE)


def test_before_any_import_a_postcode_in_a_district_an_organisation_is_in_is_approximate_not_outside(client, places):
    response = client.get(DIRECTORY, {"q": "LS14 9ZZ"})

    assertNotContains(response, OUTSIDE)
    assertContains(response, "results are approximate")
    assert names(response) == ["Seacroft Hub"]


def test_an_unknown_postcode_of_an_imported_district_asks_to_check_it_and_falls_back_to_the_district(client, places):
    PostcodeFactory(postcode="WF17 5AA", key="WF175AA", outward="WF17", ward=places["east"])

    response = client.get(DIRECTORY, {"q": "wf17 1zz"})

    assertNotContains(response, OUTSIDE)
    assertContains(response, "We could not find WF17 1ZZ in the postcode directory: check it is typed correctly")
    assertContains(response, "results are approximate")
    assertContains(response, reverse("portal:area_list"))
    assert names(response) == ["East Batley Pantry"]


def test_an_imported_district_is_covered_even_where_no_organisation_is_yet(client, places):
    PostcodeFactory(postcode="WF12 7AA", key="WF127AA", outward="WF12", ward=places["east"])

    response = client.get(DIRECTORY, {"q": "WF12 7ZZ"})

    assertNotContains(response, OUTSIDE)
    assertContains(response, "check it is typed correctly")


def test_a_retired_postcode_says_when_and_lists_what_serves_its_last_ward(client, places):
    PostcodeFactory(
        postcode="WF17 9ZZ", key="WF179ZZ", outward="WF17", ward=places["east"], terminated=datetime.date(2015, 3, 1)
    )

    response = client.get(DIRECTORY, {"q": "WF17 9ZZ"})

    assertContains(response, "WF17 9ZZ was retired in 2015")
    assertContains(response, "the ward it was in, Batley East")
    assertNotContains(response, OUTSIDE)
    assert names(response) == ["East Batley Pantry"]


@pytest.mark.parametrize("typed", ["SW1A 1AA", "WF17 1ZZ", "WF17 9ZZ"])
def test_each_postcode_state_costs_a_fixed_number_of_queries(client, places, typed, django_assert_max_num_queries):
    PostcodeFactory(
        postcode="WF17 9ZZ", key="WF179ZZ", outward="WF17", ward=places["east"], terminated=datetime.date(2015, 3, 1)
    )
    for number in range(12):
        OrganisationFactory(name=f"Batley Group {number}", localities=[places["east"]], postcode="WF17 5AB")

    with django_assert_max_num_queries(14, info=typed):
        assert client.get(DIRECTORY, {"q": typed}).status_code == 200
