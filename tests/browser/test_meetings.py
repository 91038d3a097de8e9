"""A resident opens the meetings list and a meeting, in a real headless Chromium: private
meetings and joining links stay out of sight."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from meetings.models import MeetingVisibility
from tests.factories import NetworkFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_LINK = "https://meet.example.org/secret-room-42"


@pytest.fixture
def meetings_data():
    network = NetworkFactory(name="Kirklees Community Anchor Network")
    organiser = OrganisationFactory(name="Batley Community Trust")
    start = datetime.datetime(2030, 3, 12, 18, tzinfo=datetime.UTC)
    MeetingFactory(
        title="Kirklees network quarterly meeting",
        network=network,
        organiser=organiser,
        start=start,
        end=start + datetime.timedelta(hours=2),
        agenda="1. Welcome\n2. Winter warm spaces",
        joining_url=SECRET_LINK,
    )
    MeetingFactory(
        title="Lead anchors budget meeting",
        network=network,
        organiser=organiser,
        visibility=MeetingVisibility.LEAD_ANCHORS,
        joining_url=SECRET_LINK,
    )


def test_a_resident_opens_the_meetings_list_and_a_meeting(live_server, page: Page, meetings_data) -> None:
    page.goto(live_server.url + "/meetings/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    expect(page.get_by_role("heading", name="March 2030")).to_be_visible()
    expect(page.get_by_text("Lead anchors budget meeting")).to_have_count(0)
    page.get_by_role("link", name="Kirklees network quarterly meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kirklees network quarterly meeting")
    expect(page.get_by_text("Tuesday 12 March 2030, 6pm to 8pm")).to_be_visible()
    expect(page.get_by_text("Winter warm spaces")).to_be_visible()
    expect(page.get_by_role("link", name="Join the meeting online")).to_have_count(0)
    expect(page.locator('a[href*="secret-room"]')).to_have_count(0)
    assert "secret-room" not in page.content()
    expect(page.get_by_role("link", name="Add this meeting to your calendar")).to_be_visible()
