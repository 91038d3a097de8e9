"""The meetings pages as residents, members and officers use them."""

import datetime
import uuid
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import ActionStatus, AttendanceStatus, MeetingVisibility
from tests.factories import LocalityFactory, NetworkFactory, OrganisationFactory

from .factories import ActionFactory, AttendanceFactory, MeetingFactory, london

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:list")
PAST = reverse("meetings:past")
ACTIONS = reverse("meetings:actions")
SECRET_LINK = "https://meet.example.org/secret-room-42"


def titles(response):
    return [meeting.title for meeting in response.context["meetings"]]


# ------------------------------------------------------------------------------
# Lists
# ------------------------------------------------------------------------------
def test_a_resident_sees_only_public_meetings_and_no_joining_link(client, world):
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Kirklees network open meeting"]
    for private in (
        "Kirklees members meeting",
        "Kirklees lead anchors meeting",
        "Leeds members meeting",
    ):
        assertNotContains(response, private)
    assertNotContains(response, SECRET_LINK)
    assertNotContains(response, "secret-room")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kirklees_local", ["Kirklees network open meeting", "Kirklees members meeting"]),
        (
            "kirklees_lead",
            [
                "Kirklees network open meeting",
                "Kirklees members meeting",
                "Kirklees lead anchors meeting",
            ],
        ),
        (
            "officer",
            [
                "Kirklees network open meeting",
                "Kirklees members meeting",
                "Kirklees lead anchors meeting",
                "Leeds members meeting",
            ],
        ),
    ],
)
def test_signed_in_members_also_see_their_networks_meetings(as_person, world, name, expected):
    response = as_person(world.people[name]).get(LIST)
    assert titles(response) == expected
    assertNotContains(response, SECRET_LINK)  # lists never carry joining links


def test_the_list_is_by_date_grouped_by_month_and_marks_cancelled_meetings(client, db):
    MeetingFactory(title="February meeting", start=london(2030, 2, 3, 18))
    MeetingFactory(
        title="January meeting",
        start=london(2030, 1, 20, 10),
        cancelled=True,
        cancellation_reason="Snow",
    )
    response = client.get(LIST)
    assert titles(response) == ["January meeting", "February meeting"]
    assertContains(response, '<h2 class="govuk-heading-l" id="month-1">January 2030</h2>', html=True)
    assertContains(response, '<strong class="govuk-tag govuk-tag--red">Cancelled</strong>', html=True)
    assertContains(response, "Sunday 20 January 2030, 10am to midday")


def test_upcoming_and_past_meetings_are_split_at_now(client, db):
    now = timezone.now()
    MeetingFactory(title="Last month", start=now - datetime.timedelta(days=30))
    MeetingFactory(title="Under way", start=now - datetime.timedelta(hours=1))
    MeetingFactory(title="Next month", start=now + datetime.timedelta(days=30))
    assert titles(client.get(LIST)) == ["Under way", "Next month"]
    assert titles(client.get(PAST)) == ["Last month"]


def test_an_empty_list_says_so(client, db):
    response = client.get(LIST)
    assertContains(response, "There are no upcoming meetings to show.")
    assertContains(client.get(PAST), "There are no past meetings to show yet.")


def test_the_list_is_paginated(client, db):
    MeetingFactory.create_batch(25)
    first = client.get(LIST)
    assert len(titles(first)) == 20
    assertContains(first, 'aria-label="Pagination"')
    assert len(titles(client.get(LIST, {"page": 2}))) == 5
    assert len(titles(client.get(LIST, {"page": "99"}))) == 5  # the nearest real page


def _populate(count: int) -> None:
    network = NetworkFactory()
    organiser = OrganisationFactory()
    wards = [LocalityFactory(parent=network.district) for _ in range(3)]
    for n in range(count):
        MeetingFactory(
            network=network,
            organiser=organiser,
            visibility=[
                MeetingVisibility.PUBLIC,
                MeetingVisibility.NETWORK,
                MeetingVisibility.LEAD_ANCHORS,
            ][n % 3],
            localities=wards[: n % 3 + 1],
            start=london(2030, 1, 1, 18) + datetime.timedelta(days=n)
            if n % 2
            else london(2020, 1, 1, 18) + datetime.timedelta(days=n),
        )


@pytest.mark.parametrize("url", [LIST, PAST])
@pytest.mark.parametrize("name", ["anonymous", "kirklees_lead", "councillor", "officer"])
def test_the_lists_cost_the_same_queries_for_10_or_40_meetings(as_person, world, url, name):
    client = as_person(world.people[name])
    _populate(10)
    client.get(url)  # warm up: the session, content types
    with CaptureQueriesContext(connection) as few:
        shown_few = client.get(url).context["paginator"].count
    _populate(30)  # more rows of every visibility: a query per row would show
    with CaptureQueriesContext(connection) as many:
        shown_many = client.get(url).context["paginator"].count
    assert shown_many > shown_few
    assert len(many) == len(few), [q["sql"] for q in many]
    print(f"{url} as {name}: {len(few)} queries ({shown_few} meetings), {len(many)} ({shown_many})")


# ------------------------------------------------------------------------------
# A meeting's page
# ------------------------------------------------------------------------------
def test_a_resident_sees_a_public_meeting_without_its_joining_link(client, world):
    meeting = world.meetings["public"]
    meeting.agenda = "1. Welcome\n2. The cost of living"
    meeting.save()
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Kirklees network open meeting")
    assertContains(response, "The cost of living")
    assertContains(response, "Batley Community Centre")
    assertNotContains(response, SECRET_LINK)
    assertNotContains(response, "secret-room")
    assertNotContains(response, ">Attendance<")  # the register is for members
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("meeting", ["network", "lead_anchors", "leeds_network"])
@pytest.mark.parametrize("suffix", ["page", "ics"])
def test_a_private_meeting_answers_404_to_a_resident_like_a_made_up_address(client, world, meeting, suffix):
    target = world.meetings[meeting]
    made_up = uuid.uuid4()
    if suffix == "page":
        urls = [target.get_absolute_url(), reverse("meetings:detail", kwargs={"uuid": made_up})]
    else:
        urls = [target.get_ics_url(), reverse("meetings:ics", kwargs={"uuid": made_up})]
    responses = [client.get(url) for url in urls]
    assert [r.status_code for r in responses] == [HTTPStatus.NOT_FOUND, HTTPStatus.NOT_FOUND]
    assert responses[0].content.replace(str(target.uuid).encode(), b"") == responses[1].content.replace(
        str(made_up).encode(), b""
    )
    assert target.title.encode() not in responses[0].content


def test_a_member_of_another_network_cannot_open_a_network_meeting(as_person, world):
    client = as_person(world.people["leeds_anchor"])
    assert client.get(world.meetings["network"].get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(world.meetings["leeds_network"].get_absolute_url()).status_code == HTTPStatus.OK


def test_a_member_sees_the_joining_link_attendance_and_actions(as_person, world):
    meeting = world.meetings["network"]
    AttendanceFactory(meeting=meeting, organisation__name="Dewsbury Lunch Club", status=AttendanceStatus.APOLOGIES)
    ActionFactory(
        raised_at=meeting,
        description="Write to the council about the hall",
        owner__name="Batley Hub",
    )
    response = as_person(world.people["kirklees_local"]).get(meeting.get_absolute_url())
    assertContains(response, f'href="{SECRET_LINK}"')
    # Never kept by a shared cache, nor left on a shared computer.
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assertContains(response, "Dewsbury Lunch Club")
    assertContains(response, "Sent apologies")
    assertContains(response, "Write to the council about the hall")


def test_a_cancelled_meeting_shows_a_banner_with_the_reason(client, db):
    meeting = MeetingFactory(cancelled=True, cancellation_reason="The hall is closed for repairs.")
    response = client.get(meeting.get_absolute_url())
    assertContains(response, "This meeting has been cancelled.")
    assertContains(response, "The hall is closed for repairs.")
    assertContains(response, "<title>Cancelled: ", status_code=200)


def test_minutes_appear_only_once_published(client, db):
    meeting = MeetingFactory(start=london(2024, 1, 9, 18), minutes="We agreed to meet monthly.")
    response = client.get(meeting.get_absolute_url())
    assertNotContains(response, "We agreed to meet monthly.")
    assertContains(response, "The minutes will appear here once they are approved.")
    meeting.minutes_published = True
    meeting.save()
    assertContains(client.get(meeting.get_absolute_url()), "We agreed to meet monthly.")


def test_a_meeting_page_costs_a_fixed_number_of_queries(as_person, world, django_assert_max_num_queries):
    meeting = world.meetings["network"]
    for _ in range(20):
        AttendanceFactory(meeting=meeting)
        ActionFactory(raised_at=meeting)
    client = as_person(world.people["kirklees_lead"])
    client.get(meeting.get_absolute_url())
    with django_assert_max_num_queries(11):
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["attendances"]) == 20


# ------------------------------------------------------------------------------
# Open actions
# ------------------------------------------------------------------------------
def test_open_actions_are_grouped_by_owner_for_members(as_person, world):
    public, lead_only = world.meetings["public"], world.meetings["lead_anchors"]
    hub = OrganisationFactory(name="Batley Hub", slug="batley-hub")
    ActionFactory(
        raised_at=public,
        owner=hub,
        description="Book the hall for June",
        due_on=datetime.date(2030, 3, 1),
    )
    ActionFactory(
        raised_at=public,
        owner=hub,
        description="Send round the survey",
        due_on=datetime.date(2030, 2, 1),
    )
    ActionFactory(raised_at=public, owner__name="Armley Trust", description="Print the leaflets")
    ActionFactory(raised_at=public, owner=hub, description="Already done thing", status=ActionStatus.DONE)
    ActionFactory(raised_at=lead_only, owner=hub, description="Lead anchors only: the budget", due_on=None)

    response = as_person(world.people["kirklees_local"]).get(ACTIONS)
    assert response.status_code == HTTPStatus.OK
    assert [a.description for a in response.context["actions"]] == [
        "Print the leaflets",
        "Send round the survey",
        "Book the hall for June",
    ]
    assertNotContains(response, "Already done thing")
    assertNotContains(response, "Lead anchors only")

    one_owner = as_person(world.people["kirklees_lead"]).get(ACTIONS, {"owner": "batley-hub"})
    assert [a.description for a in one_owner.context["actions"]] == [
        "Send round the survey",
        "Book the hall for June",
        "Lead anchors only: the budget",
    ]
    assertContains(one_owner, "Batley Hub")


def test_open_actions_are_not_for_residents_or_outsiders(client, world, as_person):
    response = client.get(ACTIONS)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert as_person(world.people["outsider"]).get(ACTIONS).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("count", [10, 30])
def test_open_actions_cost_the_same_queries_however_many(as_person, world, count, django_assert_max_num_queries):
    owners = OrganisationFactory.create_batch(count // 5)
    for n in range(count):
        ActionFactory(raised_at=world.meetings[["public", "network"][n % 2]], owner=owners[n % len(owners)])
    client = as_person(world.people["officer"])
    with django_assert_max_num_queries(4):
        response = client.get(ACTIONS)
    assert len(response.context["actions"]) == count


# ------------------------------------------------------------------------------
# Subscribe
# ------------------------------------------------------------------------------
def test_a_resident_gets_the_public_and_area_feed_addresses(client, world):
    response = client.get(reverse("meetings:subscribe"), {"area": "batley-and-spen"})
    assertContains(response, "http://testserver/meetings/feed.ics")
    assertContains(response, "http://testserver/meetings/feed/batley-and-spen.ics")
    assertNotContains(response, "Make my private address")
    assert client.post(reverse("meetings:subscribe"), {"action": "create"}).status_code == HTTPStatus.FOUND


def test_a_member_makes_sees_once_and_revokes_a_private_address(as_person, world):
    client = as_person(world.people["kirklees_lead"])
    url = reverse("meetings:subscribe")
    assertContains(client.get(url), "Make my private address")

    response = client.post(url, {"action": "create"}, follow=True)
    feed_url = response.context["new_feed_url"]
    assert feed_url.startswith("http://testserver/meetings/feed/private/")
    assertContains(response, feed_url)
    assert client.get(feed_url).status_code == HTTPStatus.OK
    # Shown once only.
    assert client.get(url).context["new_feed_url"] is None

    response = client.post(url, {"action": "revoke"}, follow=True)
    assertContains(response, "Your private calendar address no longer works.")
    assert client.get(feed_url).status_code == HTTPStatus.NOT_FOUND
