"""Residents search the directory by postcode: it resolves to a ward and lists what serves the
ward, then its area, then its district; a retired postcode says so; a postcode the portal
cannot place falls back to its postcode district and says the results are approximate."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from localities.models import LocalityKind
from tests.factories import DistrictFactory, LocalityFactory, OrganisationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
ATTRIBUTION = "Postcode data: Office for National Statistics"


@pytest.fixture
def kirklees():
    """Kirklees › Batley and Spen › Batley East and Batley West, with an organisation serving
    each level, one in another ward, and WF17 5AA in Batley East."""
    district = DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    east = LocalityFactory(name="Batley East", slug="batley-east", parent=area, gss_code="E05001384")
    west = LocalityFactory(name="Batley West", slug="batley-west", parent=area)
    OrganisationFactory(name="Kirklees Welfare Rights", localities=[district])
    OrganisationFactory(name="Batley Area Trust", localities=[area])
    OrganisationFactory(name="East Batley Pantry", localities=[east], postcode="WF17 5AB")
    OrganisationFactory(name="West Batley Choir", localities=[west], postcode="WF17 0AA")
    OrganisationFactory(name="Leeds Lunch Club", localities=[DistrictFactory(name="Leeds", slug="leeds")])
    PostcodeFactory(postcode="WF17 5AA", key="WF175AA", outward="WF17", ward=east, council_code="E08000034")
    return {"district": district, "area": area, "east": east, "west": west}


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


@pytest.mark.parametrize("typed", ["WF17 5AA", "wf175aa", "  Wf17   5aA "])
def test_a_postcode_in_any_spacing_lists_its_ward_then_its_area_then_its_district(client, kirklees, typed):
    response = client.get(DIRECTORY, {"q": typed})

    assert names(response) == ["East Batley Pantry", "Batley Area Trust", "Kirklees Welfare Rights"]
    assertContains(response, "WF17 5AA is in Batley East ward")
    assertContains(response, "Serves all of Batley and Spen")
    assertContains(response, "Serves all of Kirklees")
    assertContains(response, ATTRIBUTION)


def test_a_retired_postcode_says_so_and_still_finds_its_ward(client, kirklees):
    PostcodeFactory(
        postcode="WF17 9ZZ", key="WF179ZZ", outward="WF17", ward=kirklees["east"], terminated=datetime.date(2004, 6, 1)
    )

    response = client.get(DIRECTORY, {"q": "WF17 9ZZ"})

    assertContains(response, "WF17 9ZZ was retired in 2004")
    assert names(response)[0] == "East Batley Pantry"


def test_a_postcode_the_portal_cannot_place_falls_back_to_its_district_and_says_so(client, kirklees):
    response = client.get(DIRECTORY, {"q": "WF17 1ZZ"})

    assertContains(response, "We could not find WF17 1ZZ in the postcode directory")
    assertContains(response, "approximate")
    assertContains(response, "WF17 postcode district")
    assertContains(response, reverse("portal:area_list"))
    assertNotContains(response, ATTRIBUTION)
    # In the district first; then what serves the same places as the district's organisations.
    assert names(response)[:2] == ["East Batley Pantry", "West Batley Choir"]
    assert "Leeds Lunch Club" not in names(response)


def test_a_postcode_district_search_also_finds_organisations_named_after_it(client, kirklees):
    OrganisationFactory(name="LS14 Trust", localities=[kirklees["district"]], postcode="LS9 8AA")

    assert "LS14 Trust" in names(client.get(DIRECTORY, {"q": "ls14"}))
    assert names(client.get(DIRECTORY, {"q": "LS14 Trust"})) == ["LS14 Trust"]
    assert "East Batley Pantry" in names(client.get(DIRECTORY, {"q": "wf17"}))


def test_a_ward_filter_includes_what_serves_its_district_labelled_and_after_the_local_ones(client, kirklees):
    response = client.get(DIRECTORY, {"area": "batley-west"})

    assert names(response) == ["West Batley Choir", "Batley Area Trust", "Kirklees Welfare Rights"]
    assertContains(response, "Serves all of Kirklees", count=1)
