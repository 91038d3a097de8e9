"""A lead-anchor editor writes and publishes a locality plan, and a resident reads it, in a real
headless Chromium."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.session import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_writes_and_publishes_a_plan_and_a_resident_reads_it(
    live_server, page: Page, browser: Browser, editor
) -> None:
    sign_in(page, live_server, editor)
    page.goto(live_server.url + "/plans/mine/")
    page.get_by_role("button", name="Start a new plan").click()

    page.get_by_label("Title").fill("Batley and Spen locality plan")
    page.get_by_label("Area the plan covers").select_option(label="Batley and Spen (area)")
    expect(page.get_by_label("Anchor organisation writing the plan")).to_have_value(
        str(editor.memberships.get().organisation_id)
    )
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2028")
    page.get_by_label("Summary").fill("Written with 300 residents at coffee mornings and the summer fair.")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Batley and Spen locality plan")
    priority = page.locator("#items-0")  # one blank item per section, priorities first
    connection = page.locator("#items-3")
    # Rows are named by their place in the section, as the error summary names them.
    expect(priority.get_by_role("heading")).to_have_text("Priority 1 (new)")
    expect(connection.get_by_role("heading")).to_have_text("Connection 1 (new)")
    priority.get_by_label("Title").fill("Food for families")
    priority.get_by_label("Detail").fill("Families told us the pantry runs out by Thursday.")
    priority.get_by_text("What we heard").click()
    priority.get_by_label("How many people said this?").fill("45")
    priority.get_by_label("Conversations").check()
    connection.get_by_label("Title").fill("Batley Pantry and the schools")
    connection.get_by_text("Themes and organisations named").click()
    connection.get_by_label("Batley Pantry").check()
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_text("Plan published. Residents can read it now.")).to_be_visible()
    plan_url = page.url
    assert plan_url.endswith("/plans/batley-and-spen-2025-2028/")

    resident = browser.new_context()
    try:
        public = resident.new_page()
        public.goto(plan_url)
        expect(public.get_by_role("heading", level=1)).to_have_text("Batley and Spen locality plan")
        expect(public.get_by_role("heading", name="Priorities")).to_be_visible()
        expect(public.get_by_role("heading", name="1. Food for families")).to_be_visible()
        expect(public.get_by_text("45 people, through conversations")).to_be_visible()
        expect(public.get_by_role("heading", name="1. Batley Pantry and the schools")).to_be_visible()
        public.get_by_role("link", name="Batley Pantry", exact=True).click()
        expect(public.get_by_role("heading", level=1)).to_have_text("Batley Pantry")

        public.goto(live_server.url + "/plans/")
        expect(public.get_by_role("link", name="Batley and Spen locality plan")).to_be_visible()
    finally:
        resident.close()


def test_a_superseded_plan_points_to_the_current_one_in_print_too(live_server, page: Page, editor) -> None:
    from tests.plans.factories import LocalityPlanFactory

    organisation = editor.memberships.get().organisation
    from localities.models import Locality

    area = Locality.objects.get(slug="batley-and-spen")
    old = LocalityPlanFactory(locality=area, owner=organisation, title="2022 plan", superseded=True)
    LocalityPlanFactory(locality=area, owner=organisation, title="2025 plan", published=True, supersedes=old)

    page.goto(live_server.url + old.get_absolute_url())
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("This plan has been replaced")
    page.emulate_media(media="print")
    expect(banner).to_be_visible()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_css("font-size", "29.3333px")  # 22pt
    banner.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2025 plan")
