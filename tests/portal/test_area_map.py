"""The ward map on a district's or an area's page: community groups by ward, drawn from the
wards' ONS outlines, with the table and the wards that have no outline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind
from organisations.selectors import community_group_counts_by_ward
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    OrganisationFactory,
    WardBoundaryFactory,
)

pytestmark = pytest.mark.django_db


def square(x: float) -> dict:
    """A small square of the Pennines, ``x`` hundredths of a degree east of 1.8°W."""
    west = -1.8 + x / 100
    ring = [[west, 53.6], [west + 0.01, 53.6], [west + 0.01, 53.61], [west, 53.61], [west, 53.6]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


@pytest.fixture
def area():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=district)
    dalton = LocalityFactory(name="Dalton", slug="dalton", parent=area)
    lindley = LocalityFactory(name="Lindley", slug="lindley", parent=area)
    LocalityFactory(name="Almondbury", slug="almondbury", parent=area)  # no outline
    WardBoundaryFactory(locality=dalton, geometry=square(0), source="ONS Wards (December 2019)")
    WardBoundaryFactory(locality=lindley, geometry=square(1), source="ONS Wards (December 2019)")
    return area


def map_svg(html: str) -> ET.Element:
    match = re.search(r'<svg class="app-chart__svg app-chart-map".*?</svg>', html, flags=re.S)
    assert match, "no ward map on the page"
    return ET.fromstring(match.group(0))


def test_an_area_page_maps_its_wards_by_published_community_groups(client, area):
    dalton, lindley = area.children.get(name="Dalton"), area.children.get(name="Lindley")
    OrganisationFactory.create_batch(3, localities=[dalton])
    OrganisationFactory(localities=[lindley])
    OrganisationFactory(localities=[lindley], status=PublicationStatus.DRAFT)  # not public
    anchor = AnchorRoleFactory(locality=lindley, role=AnchorRoleKind.ANCHOR).organisation
    anchor.localities.add(lindley)  # an anchor, not a group

    response = client.get(area.get_absolute_url())

    html = response.content.decode()
    svg = map_svg(html)
    titles = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert titles == ["Community groups by ward in Huddersfield", "Dalton: 3", "Lindley: 1"]
    assertContains(response, "Most (3 groups): Dalton. None: Almondbury.")
    assertContains(response, "No boundary for: Almondbury.")
    assertContains(response, "Boundaries: ONS Wards (December 2019).")
    assertContains(response, "Open Government Licence")
    assert re.search(r'href="/areas/dalton/">Dalton</a></th>\s*<td[^>]*>3</td>', html)


def test_a_group_serving_a_neighbourhood_counts_for_its_ward_once(area):
    dalton = area.children.get(name="Dalton")
    moldgreen = LocalityFactory(name="Moldgreen", kind=LocalityKind.NEIGHBOURHOOD, parent=dalton)
    OrganisationFactory(localities=[moldgreen, dalton])
    OrganisationFactory(localities=[area])  # the whole area: no ward

    wards = list(area.children.order_by("name"))
    assert community_group_counts_by_ward(wards) == {dalton.pk: 1}


def test_a_ward_page_has_no_map(client, area):
    response = client.get(area.children.get(name="Dalton").get_absolute_url())
    assertNotContains(response, "app-chart-map")


def test_a_place_whose_wards_have_no_outline_lists_them_and_keeps_the_table(client):
    district = DistrictFactory(name="Calderdale", slug="calderdale")
    LocalityFactory(name="Todmorden", parent=district)

    response = client.get(district.get_absolute_url())

    assertContains(response, "No boundary for: Todmorden.")
    assertNotContains(response, "app-chart-map")
    assertContains(response, "Show the figures as a table")


@pytest.mark.parametrize("wards", [2, 20])
def test_the_map_costs_the_same_queries_for_2_or_20_wards(client, wards, django_assert_max_num_queries):
    district = DistrictFactory(name="Leeds", slug="leeds")
    for i in range(wards):
        ward = LocalityFactory(parent=district)
        WardBoundaryFactory(locality=ward, geometry=square(i))
        OrganisationFactory.create_batch(2, localities=[ward])

    with django_assert_max_num_queries(12):
        response = client.get(district.get_absolute_url())

    assert len(map_svg(response.content.decode()).findall("{http://www.w3.org/2000/svg}path")) >= wards
