"""A resident finds an organisation with the keyboard alone: skip link, search, filter by area,
open a result. The same journey runs with JavaScript on and off (the filters are an ordinary
GET form, so they must work without it), on the demo data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

# Data from ``demo_server`` (module-wide); see conftest.py for why not ``transaction=True``.
pytestmark = pytest.mark.django_db

SEARCH = "food"
AREA_LABEL = "Batley and Spen area"
AREA_SLUG = "batley-and-spen"


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def resident(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=request.param)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, locator: Locator, what: str, most: int = 60) -> int:
    """Press Tab until ``locator`` has focus; fail after ``most`` presses. Returns the count."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return presses
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{most} presses of Tab never reached {what}; focus is on {focused}")


def choose_with_arrows(page: Page, select: Locator, label: str, most: int = 80) -> None:
    """Move a focused <select> to the option ``label`` with the down arrow key, as a keyboard
    user does (Chromium changes a closed select's value on each press)."""
    for _ in range(most):
        if select.evaluate("el => el.options[el.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"ArrowDown never reached {label!r}")


def test_a_keyboard_user_finds_an_organisation_in_their_area(demo_server, resident: Page, request) -> None:
    page = resident
    javascript = request.node.callspec.id == "javascript"
    page.goto(demo_server.url + "/")
    expect(page.locator("body")).to_have_class(
        re.compile("js-enabled") if javascript else re.compile("^(?!.*js-enabled)")
    )

    # The first Tab shows the skip link; Enter on it skips the header and navigation.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box, "the focused skip link is not rendered"
    assert box["width"] > 1, "the focused skip link is not visible"
    assert box["height"] > 1, "the focused skip link is not visible"
    page.keyboard.press("Enter")
    if javascript:
        expect(page.locator("main")).to_be_focused()  # GOV.UK's skip link script focuses <main>
    else:
        expect(page).to_have_url(demo_server.url + "/#main-content")

    # The next Tab lands in the main content: the search box, not the header's links.
    page.keyboard.press("Tab")
    search_box = page.get_by_label("Search the directory")
    expect(search_box).to_be_focused()
    page.keyboard.type(SEARCH)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo_server.url}/directory/?q={SEARCH}")
    expect(page.get_by_role("heading", name=re.compile(rf"^\d+ organisations? matching “{SEARCH}”"))).to_be_visible()

    # Filter by area: Tab to the folded filters and open them with Enter, Tab to the select,
    # arrow down to the area, Tab to the button, Space.
    filters = page.locator("summary", has_text="Filter results")
    tab_to(page, filters, "the Filter results toggle")
    page.keyboard.press("Enter")
    area = page.get_by_label("Area", exact=True)
    tab_to(page, area, "the Area filter")
    choose_with_arrows(page, area, AREA_LABEL)
    apply = page.get_by_role("button", name="Apply filters")
    tab_to(page, apply, "the Apply filters button")
    page.keyboard.press("Space")
    expect(page).to_have_url(f"{demo_server.url}/directory/?q={SEARCH}&area={AREA_SLUG}")
    expect(page.get_by_text(f"Area: {AREA_LABEL}")).to_be_visible()
    results = page.locator(".app-card__title a")
    assert results.count() > 0, f"no organisation matches {SEARCH!r} in {AREA_LABEL}"

    # Open the first result with Enter.
    first = results.first
    name = first.inner_text().strip()
    tab_to(page, first, f"the first result, {name}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Services and areas")).to_be_visible()
