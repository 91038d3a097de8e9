"""A lead-anchor editor adds a meeting, corrects a mistake, then records who came and an action,
in a real headless Chromium with JavaScript on and off; every editor page passes axe-core's
WCAG 2.2 A/AA rules, reflows at 320 px, and the error summary links to the field to fix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from organisations.models import Organisation
from tests.browser.quality import axe_report, reflow_problem
from tests.browser.session import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return request.param


@pytest.fixture
def editor_page(javascript: bool, browser: Browser, live_server, editor) -> Iterator[Page]:
    """A page signed in as the editor (see ``conftest.editor``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    sign_in(context, live_server, editor)
    yield context.new_page()
    context.close()


def assert_accessible(page: Page, javascript: bool) -> None:
    """axe-core and the 320 px reflow check; both run scripts in the page, so only with
    JavaScript on (the run without it shows the journey itself works)."""
    if not javascript:
        return
    report = axe_report(page)
    assert not report, report
    page.set_viewport_size({"width": 320, "height": 900})
    problem = reflow_problem(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problem, problem


def test_an_editor_adds_a_meeting_then_records_it(live_server, editor_page: Page, javascript: bool) -> None:
    page = editor_page
    page.goto(live_server.url + "/meetings/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")
    expect(page.get_by_text("You have no meetings coming up.")).to_be_visible()
    assert_accessible(page, javascript)
    page.get_by_role("button", name="Add a meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a meeting")
    assert_accessible(page, javascript)
    page.get_by_label("Title").fill("Batley and Spen locality meeting")
    organiser = Organisation.objects.get(name="Batley Community Trust")
    expect(page.get_by_label("Organised by")).to_have_value(str(organiser.pk))
    page.get_by_label("Everyone", exact=True).check()
    page.get_by_label("Batley East (ward)").check()
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill("6pm")
    page.get_by_label("End time").fill("5pm")  # a mistake: before it starts
    page.get_by_label("Venue (optional)").fill("Batley Library")
    page.get_by_label("Agenda (optional)").fill("1. Welcome\n2. Warm spaces")
    page.get_by_role("button", name="Add the meeting").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an end time after the start time")
    expect(page).to_have_title("Error: Add a meeting – AnchorNet")
    expect(page.get_by_label("Title")).to_have_value("Batley and Spen locality meeting")
    expect(page.get_by_label("Batley East (ward)")).to_be_checked()
    assert_accessible(page, javascript)
    summary.get_by_role("link", name="Enter an end time after the start time").click()
    if javascript:  # GOV.UK Frontend's error summary moves focus to the field
        expect(page.get_by_label("End time")).to_be_focused()
    page.get_by_label("End time").fill("7:30pm")
    page.get_by_role("button", name="Add the meeting").click()

    expect(page.get_by_text("Meeting added.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batley and Spen locality meeting")
    expect(page.get_by_text("Tuesday 9 March 2027, 6pm to 7:30pm")).to_be_visible()
    assert_accessible(page, javascript)
    page.get_by_role("link", name="Record attendance and actions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance and actions")
    assert_accessible(page, javascript)
    page.get_by_label("Batley Pantry").select_option(label="Attended")
    first_action = page.locator("#actions-0")
    first_action.get_by_label("Action", exact=True).fill("Share the warm spaces leaflet with every school")
    first_action.get_by_label("Who will do it").select_option(label="Batley Pantry")
    page.get_by_role("button", name="Save attendance and actions").click()

    expect(page.get_by_text("Attendance and actions saved.")).to_be_visible()
    expect(page.get_by_label("Batley Pantry")).to_have_value("attended")
    expect(page.locator("#actions-0").get_by_label("Action", exact=True)).to_have_value(
        "Share the warm spaces leaflet with every school"
    )
    page.get_by_role("link", name="Back to the meeting without saving").click()
    expect(page.get_by_role("cell", name="Share the warm spaces leaflet with every school")).to_be_visible()
