"""Where it is: an organisation's page draws a small map of the wards it serves from the imported
ward boundaries, with a text alternative and the boundaries' licence, marks its postcode, and
offers directions through plain links: no tile server, no third-party script."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from core.charts import outline_map
from localities.models import LocalityKind
from tests.factories import (
    DistrictFactory,
    LocalityFactory,
    OrganisationFactory,
    PostcodeFactory,
    WardBoundaryFactory,
)

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[-1.6, 53.8], [-1.5, 53.8], [-1.5, 53.9], [-1.6, 53.9], [-1.6, 53.8]]]}


@pytest.fixture
def wards():
    district = DistrictFactory(name="Leeds", slug="leeds")
    armley = LocalityFactory(name="Armley", slug="armley", parent=district, kind=LocalityKind.WARD)
    bramley = LocalityFactory(name="Bramley", slug="bramley", parent=district, kind=LocalityKind.WARD)
    WardBoundaryFactory(locality=armley)
    return {"district": district, "armley": armley, "bramley": bramley}


def test_the_page_maps_the_ward_marks_the_postcode_and_links_to_directions(client, wards):
    PostcodeFactory(postcode="LS12 3RT", ward=wards["armley"], latitude=53.85, longitude=-1.55)
    organisation = OrganisationFactory(name="Armley Knit", localities=[wards["armley"]], postcode="LS12 3RT")

    response = client.get(organisation.get_absolute_url())

    assertContains(response, "Where it is")
    assertContains(response, 'class="app-locator-map__area"')
    assertContains(response, 'class="app-locator-map__marker"')
    # The text alternative, read out in place of the drawing, and shown under it.
    assertContains(response, "Map of Armley, the ward Armley Knit serves. The red dot marks its postcode, LS12 3RT.", 2)
    assertContains(response, "Open Government Licence")
    assertContains(response, 'href="https://www.openstreetmap.org/directions?to=53.85000%2C-1.55000"')
    assertContains(response, 'href="geo:53.85000,-1.55000"')
    assertNotContains(response, '<script src="http')


def test_a_ward_without_a_boundary_is_named_in_text_with_no_map(client, wards):
    organisation = OrganisationFactory(name="Bramley Lunch", localities=[wards["bramley"]], postcode="LS13 2DW")

    response = client.get(organisation.get_absolute_url())

    assertNotContains(response, "app-locator-map")
    assertContains(response, "Bramley Lunch serves Bramley ward: no map of its boundary is available.")
    # No coordinates for its postcode: the postcode is looked up instead.
    assertContains(response, 'href="https://www.openstreetmap.org/search?query=LS13+2DW"')
    assertNotContains(response, "geo:")


def test_of_two_wards_the_one_without_a_boundary_is_named_beside_the_map(client, wards):
    organisation = OrganisationFactory(name="West Leeds Choir", localities=[wards["armley"], wards["bramley"]])

    response = client.get(organisation.get_absolute_url())

    assertContains(response, "Map of Armley and Bramley, the wards West Leeds Choir serves.")
    assertContains(response, "serves Bramley ward, which is not on the map")


def test_an_organisation_serving_only_a_district_without_a_postcode_has_no_where_it_is(client, wards):
    organisation = OrganisationFactory(name="Leeds Rights", localities=[wards["district"]], postcode="")

    assertNotContains(client.get(organisation.get_absolute_url()), "Where it is")


def test_the_map_costs_no_query(client, wards, django_assert_max_num_queries):
    PostcodeFactory(postcode="LS12 3RT", ward=wards["armley"], latitude=53.85, longitude=-1.55)
    organisation = OrganisationFactory(localities=[wards["armley"], wards["bramley"]], postcode="LS12 3RT")

    # As without the map: the organisation, then its eight prefetches and the session-free page.
    with django_assert_max_num_queries(10):
        assertContains(client.get(organisation.get_absolute_url()), "app-locator-map__marker")


@pytest.fixture
def area(wards):
    """An area of Leeds with a ward inside it: Outer West, in which Birstall has a boundary."""
    area = LocalityFactory(name="Outer West", slug="outer-west", parent=wards["district"], kind=LocalityKind.AREA)
    birstall = LocalityFactory(name="Birstall", slug="birstall", parent=area, kind=LocalityKind.WARD)
    WardBoundaryFactory(locality=birstall)
    return area


def test_an_organisation_serving_a_whole_area_gets_a_map_of_its_wards(client, wards, area):
    organisation = OrganisationFactory(name="Outer West Food", localities=[area], postcode="")

    response = client.get(organisation.get_absolute_url())

    assertContains(response, "Where it is")
    assertContains(response, 'class="app-locator-map__area"', 1)
    assertContains(response, "<title>Birstall</title>")
    assertContains(response, "Map of the wards of Outer West, which Outer West Food serves.", 2)


def test_an_area_and_a_ward_outside_it_are_drawn_together_with_one_query_more(
    client, wards, area, django_assert_max_num_queries
):
    organisation = OrganisationFactory(name="West Leeds Food", localities=[wards["armley"], area])

    # The page without the area (``test_the_map_costs_no_query``), and the area's wards.
    with django_assert_max_num_queries(11):
        response = client.get(organisation.get_absolute_url())

    assertContains(response, 'class="app-locator-map__area"', 2)
    assertContains(response, "Map of the wards of Armley and Outer West, which West Leeds Food serves.")


def test_a_whole_district_is_drawn_where_the_postcode_places_the_organisation_in_it(client, wards):
    PostcodeFactory(postcode="LS12 3RT", ward=wards["armley"], latitude=53.85, longitude=-1.55)
    organisation = OrganisationFactory(name="Leeds Rights", localities=[wards["district"]], postcode="LS12 3RT")

    response = client.get(organisation.get_absolute_url())

    assertContains(response, "<title>Armley</title>")
    assertContains(response, 'class="app-locator-map__marker"')
    assertContains(response, "Map of the wards of Leeds, which Leeds Rights serves.")
    # Bramley, in Leeds, has no boundary: named in text.
    assertContains(response, "serves Bramley ward, which is not on the map")


def test_a_point_outside_the_outlines_widens_the_drawing_to_take_it_in():
    drawn = outline_map([("Square", SQUARE)], chart_id="m", title="t", description="d", point=(-1.4, 53.85))

    x, y = drawn.marker
    assert 0 <= x <= drawn.width
    assert 0 <= y <= drawn.height
    assert drawn.missing == []


def test_nothing_to_draw_without_any_outline():
    drawn = outline_map([("Nowhere", None)], chart_id="m", title="t", description="d")

    assert drawn.is_empty
    assert drawn.missing == ["Nowhere"]
    assert drawn.attribution == []
