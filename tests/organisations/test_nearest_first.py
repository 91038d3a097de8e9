"""Nearest first: when the postcode a resident searches for has coordinates in the imported ONS
Postcode Directory, each tier of results (the ward, then its area, then its district) lists the
nearest organisations first and says how far each is; organisations whose postcode has no
coordinates follow, in name order. Without coordinates the order stays as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from localities.geography import Origin, metres_from_squared_degrees, miles_text
from localities.models import LocalityKind
from organisations.models import Organisation
from tests.factories import DistrictFactory, LocalityFactory, OrganisationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
# The resident's postcode, and a degree of latitude in miles (about 69).
HOME_LATITUDE, HOME_LONGITUDE = 53.70, -1.63


@pytest.fixture
def kirklees():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    east = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    west = LocalityFactory(name="Batley West", slug="batley-west", parent=area)
    PostcodeFactory(postcode="WF17 5AA", ward=east, latitude=HOME_LATITUDE, longitude=HOME_LONGITUDE)
    return {"district": district, "area": area, "east": east, "west": west}


def place(name: str, postcode: str, localities, north: float | None, *, ward) -> Organisation:
    """An organisation at ``postcode``, which the directory places ``north`` degrees of latitude
    north of the resident (not at all when None)."""
    if north is not None:
        PostcodeFactory(postcode=postcode, ward=ward, latitude=HOME_LATITUDE + north, longitude=HOME_LONGITUDE)
    return OrganisationFactory(name=name, localities=localities, postcode=postcode)


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


def test_each_tier_lists_the_nearest_first_with_its_distance_in_miles(client, kirklees):
    east, area, district = kirklees["east"], kirklees["area"], kirklees["district"]
    place("Far Pantry", "WF17 8AA", [east], 0.02, ward=east)
    place("Near Pantry", "WF17 6AA", [east], 0.005, ward=east)
    place("Abbey Pantry", "WF17 7ZZ", [east], None, ward=east)  # not in the directory
    place("Area Trust A", "WF16 1AA", [area], 0.05, ward=kirklees["west"])
    place("Area Trust B", "WF16 2AA", [area], 0.01, ward=kirklees["west"])
    place("District Rights", "HD1 1AA", [district], 0.2, ward=kirklees["west"])

    response = client.get(DIRECTORY, {"q": "wf17 5aa"})

    assert names(response) == [
        "Near Pantry",
        "Far Pantry",
        "Abbey Pantry",
        "Area Trust B",
        "Area Trust A",
        "District Rights",
    ]
    assertContains(response, "0.3 miles from WF17 5AA")  # 0.005° of latitude: 556 m
    assertContains(response, "1.4 miles from WF17 5AA")  # 0.02°: 2,224 m
    assertContains(response, "13.8 miles from WF17 5AA")  # 0.2°: 22,239 m
    assertContains(response, "miles from", count=5)  # not for the one without coordinates


def test_without_coordinates_for_the_postcode_the_order_is_by_name(client, kirklees):
    east = kirklees["east"]
    PostcodeFactory(postcode="WF17 5AB", ward=east, latitude=None, longitude=None)
    place("Far Pantry", "WF17 8AA", [east], 0.02, ward=east)
    place("Near Pantry", "WF17 6AA", [east], 0.005, ward=east)

    response = client.get(DIRECTORY, {"q": "WF17 5AB"})

    assert names(response) == ["Far Pantry", "Near Pantry"]
    assertNotContains(response, "miles from")


def test_an_organisation_beyond_the_distance_shown_comes_after_those_near_without_a_distance(client, kirklees):
    east = kirklees["east"]
    place("Distant Pantry", "WF17 8AA", [east], 1.0, ward=east)  # about 69 miles
    place("Near Pantry", "WF17 6AA", [east], 0.005, ward=east)

    response = client.get(DIRECTORY, {"q": "WF17 5AA"})

    assert names(response) == ["Near Pantry", "Distant Pantry"]
    assertNotContains(response, "69")


@pytest.mark.parametrize("count", [3, 30])
def test_nearest_first_costs_the_same_queries_for_3_or_30_results(
    client, kirklees, count, django_assert_max_num_queries
):
    east = kirklees["east"]
    for number in range(count):
        place(f"Pantry {number}", f"WF18 {number % 10}{'ABCDEFGHJK'[number // 10]}A", [east], number / 1000, ward=east)

    with django_assert_max_num_queries(13, info=f"{count} results"):
        response = client.get(DIRECTORY, {"q": "WF17 5AA"})
    assert names(response)[:3] == ["Pantry 0", "Pantry 1", "Pantry 2"]


def test_miles_are_given_to_one_decimal_place_in_plain_words():
    assert miles_text(1_287.5) == "0.8 miles"
    assert miles_text(1_609.344) == "1 mile"
    assert miles_text(100) == "0.1 miles"
    assert miles_text(50) == "less than 0.1 miles"
    assert miles_text(20_000) == "12.4 miles"
    with pytest.raises(ValueError, match="negative"):
        miles_text(-1)


def test_the_box_around_a_point_is_as_wide_in_miles_as_it_is_tall():
    origin = Origin(53.7, -1.63)
    south, north, west, east = origin.box(10_000)
    height = metres_from_squared_degrees(((north - south) / 2) ** 2)
    width = metres_from_squared_degrees(((east - west) / 2 * origin.scale) ** 2)
    assert height == pytest.approx(10_000)
    assert width == pytest.approx(10_000)
