"""A resident searches the directory and opens an organisation, in a real headless Chromium."""

import pytest
from playwright.sync_api import Browser, Page, expect

from core.models import PublicationStatus
from localities.models import LocalityKind
from tests.factories import DistrictFactory, LocalityFactory, OrganisationFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory_data():
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    OrganisationFactory(
        name="St Marys Lunch Club",
        slug="st-marys-lunch-club",
        description="A hot lunch and good company every Wednesday.",
        localities=[ward],
        services=[food],
        postcode="WF17 5AA",
    )
    OrganisationFactory(name="Batley Knit and Natter", localities=[ward])
    OrganisationFactory(name="St Marys Secret Draft", status=PublicationStatus.DRAFT, localities=[ward])


def test_a_resident_searches_and_opens_an_organisation(live_server, page: Page, directory_data) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Search the directory").fill("St. Mary's")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(live_server.url + "/directory/?q=St.+Mary%27s")
    expect(page.get_by_role("heading", name="1 organisation matching")).to_be_visible()
    expect(page.get_by_text("St Marys Secret Draft")).to_have_count(0)
    page.get_by_role("link", name="St Marys Lunch Club").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("St Marys Lunch Club")
    expect(page.get_by_text("A hot lunch and good company every Wednesday.")).to_be_visible()
    expect(page.get_by_role("link", name="Food support")).to_be_visible()


def test_a_resident_filters_by_area_and_shares_the_address(live_server, page: Page, directory_data) -> None:
    page.goto(live_server.url + "/directory/")
    page.get_by_text("Filter results").click()
    page.get_by_label("Area").select_option(label="Batley and Spen area")
    page.get_by_label("Food support").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(live_server.url + "/directory/?area=batley-and-spen&service=food-support")
    expect(page.get_by_role("heading", name="1 organisation")).to_be_visible()
    expect(page.get_by_role("link", name="St Marys Lunch Club")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_on_a_phone_the_results_come_before_the_folded_filters(
    live_server, browser: Browser, directory_data, javascript: bool
) -> None:
    # 320 CSS pixels: WCAG 2.2's reflow width, and the narrowest phones in use.
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/directory/?area=batley-east&service=food-support")

        first = page.locator(".app-card").first
        box = first.bounding_box()
        assert box is not None, "the first result is not rendered"
        if javascript:
            # Without JavaScript the header's service navigation lists every link (GOV.UK's
            # behaviour, about 180 px more), so the fold is measured as phones run the page.
            assert box["y"] < 800, f"the first result starts {box['y']:.0f} px down, below the fold of a phone"
        expect(page.get_by_role("heading", name="1 organisation")).to_be_visible()
        filters = page.locator("summary", has_text="Filter results (2 active)")
        expect(filters).to_be_visible()
        assert filters.bounding_box()["y"] < box["y"], "the folded filters should sit just above the results"
        expect(page.get_by_label("Area")).to_be_hidden()

        # Removing one filter keeps the other.
        page.get_by_role("link", name="remove services and needs Food support").click()
        expect(page).to_have_url(live_server.url + "/directory/?area=batley-east")
        expect(page.get_by_role("heading", name="2 organisations")).to_be_visible()

        # The folded filters open without JavaScript too (a native <details>).
        page.locator("summary", has_text="Filter results (1 active)").click()
        expect(page.get_by_label("Area")).to_be_visible()
    finally:
        context.close()
