"""No page breaks its own Content-Security-Policy: Chromium reports no violation on the public
pages, nor on the admin pages with autocomplete widgets, inline rows and a slug filled in as the
officer types."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from localities.models import LocalityKind
from tests.factories import (
    DistrictFactory,
    LocalityFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

OFFICER_PASSWORD = "a-long-test-password"

# Chromium logs each violation to the console ("... violates the following Content Security
# Policy directive ..."); the listener also turns each securitypolicyviolation event into a
# console message, which catches violations from scripts and workers as well.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    """Every CSP violation the page reports, as "url: message"."""
    found: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "securitypolicyviolation" in message.text
            else None
        ),
    )
    return found


@pytest.fixture
def places(django_user_model):
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    organisation = OrganisationFactory(
        name="St Marys Lunch Club", slug="st-marys-lunch-club", localities=[ward], services=[food]
    )
    organisation.name = "St Mary's Lunch Club"
    organisation.save()  # a second version, so the history page lists changes
    django_user_model.objects.create_superuser("officer", "officer@example.org", OFFICER_PASSWORD)
    return {"organisation": organisation}


def sign_in_as_officer(page: Page, base_url: str) -> None:
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + reverse("admin:index"))


def test_public_pages_report_no_csp_violation(live_server, page: Page, violations, places) -> None:
    page.goto(live_server.url + reverse("portal:home"))
    expect(page.locator("body.js-enabled")).to_have_count(1)  # init.js ran

    page.goto(live_server.url + reverse("organisations:directory"))
    page.get_by_text("Filter results").click()
    page.get_by_label("Area").select_option(label="Batley and Spen area")
    page.get_by_label("Food support").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="St Mary's Lunch Club")).to_be_visible()
    page.get_by_role("link", name="St Mary's Lunch Club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("St Mary's Lunch Club")

    page.goto(live_server.url + "/no-such-page/")

    assert violations == []


def test_admin_pages_report_no_csp_violation(live_server, page: Page, violations, places) -> None:
    base = live_server.url
    sign_in_as_officer(page, base)

    page.goto(base + reverse("admin:organisations_organisation_add"))
    page.locator("#id_name").press_sequentially("Batley Food Bank")
    expect(page.locator("#id_slug")).to_have_value("batley-food-bank")  # prepopulated by JS
    page.locator(".field-localities .select2-selection").click()
    page.keyboard.type("Batley")
    page.get_by_role("option", name="Batley East").click()  # results fetched by autocomplete
    page.locator("#anchor_roles-group .add-row a").click()
    expect(page.locator(".dynamic-anchor_roles")).to_have_count(1)

    organisation = places["organisation"]
    page.goto(base + reverse("admin:organisations_organisation_changelist") + "?q=Mary")
    expect(page.get_by_role("link", name="St Mary's Lunch Club")).to_be_visible()
    page.goto(base + reverse("admin:organisations_organisation_change", args=[organisation.pk]))
    expect(page.locator("#id_name")).to_have_value("St Mary's Lunch Club")
    page.goto(base + reverse("admin:organisations_organisation_history", args=[organisation.pk]))

    assert violations == []
