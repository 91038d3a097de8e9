"""iCalendar downloads and feeds: they parse with two independent parsers (icalendar and
vobject), carry their zone, stable UIDs and SEQUENCE, keep cancelled meetings as
STATUS:CANCELLED, and never leak a private meeting or a joining link."""

import datetime
from http import HTTPStatus

import icalendar
import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import LONDON, CalendarToken, MeetingVisibility
from meetings.services import meeting_cancel, series_create_occurrences, series_exception_apply

from .factories import (
    CalendarTokenFactory,
    MeetingFactory,
    MeetingSeriesExceptionFactory,
    MeetingSeriesFactory,
    london,
)

pytestmark = pytest.mark.django_db

FEED = reverse("meetings:feed")
SECRET = "secret-room-42"


def unfolded(response) -> str:
    """The body with RFC 5545 line folding undone, so a folded link cannot hide from a check."""
    return response.content.decode().replace("\r\n ", "").replace("\r\n\t", "")


def parse_both(response):
    """The calendar as read by icalendar and by vobject; both must accept it."""
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    return icalendar.Calendar.from_ical(body), vobject.readOne(body)


def uids(calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def private_feed_url(token: str) -> str:
    return reverse("meetings:private_feed", kwargs={"token": token})


# ------------------------------------------------------------------------------
# The public feed
# ------------------------------------------------------------------------------
def test_the_public_feed_parses_with_two_parsers_and_carries_its_zone(client, world):
    public = world.meetings["public"]
    ical, vcal = parse_both(client.get(FEED))

    assert uids(ical) == {f"{public.uuid}@anchornet"}
    assert [tz["TZID"] for tz in ical.walk("VTIMEZONE")] == ["Europe/London"]
    event = ical.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.start == public.start
    assert event.end == public.end
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"http://testserver{public.get_absolute_url()}"
    assert "Batley Community Centre" in str(event["LOCATION"])

    (vevent,) = vcal.vevent_list
    assert vevent.uid.value == f"{public.uuid}@anchornet"
    assert vevent.dtstart.value == public.start
    assert vevent.dtstart.value.utcoffset() == public.start.astimezone(LONDON).utcoffset()
    assert vcal.vtimezone.tzid.value == "Europe/London"
    assert str(ical["X-WR-TIMEZONE"]) == "Europe/London"
    assert ical["X-PUBLISHED-TTL"].to_ical() == b"PT4H"


def test_public_feeds_never_hold_a_private_meeting_or_a_joining_link(client, world):
    for url in (FEED, reverse("meetings:locality_feed", kwargs={"slug": "kirklees"})):
        response = client.get(url)
        text = unfolded(response)
        for key in ("network", "lead_anchors", "leeds_network"):
            assert str(world.meetings[key].uuid) not in text
            assert world.meetings[key].title not in text
        assert SECRET not in text
        assert "CONFERENCE" not in text


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(client, world):
    public = world.meetings["public"]
    meeting_cancel(meeting=public, reason="The hall is flooded.")
    ical, vcal = parse_both(client.get(FEED))
    (event,) = ical.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"{public.uuid}@anchornet"
    assert "The hall is flooded." in str(event["DESCRIPTION"])
    assert vcal.vevent.status.value == "CANCELLED"


def test_the_uid_stays_and_the_sequence_rises_when_a_meeting_moves(client, world):
    public = world.meetings["public"]
    before = icalendar.Calendar.from_ical(client.get(FEED).content).walk("VEVENT")[0]
    public.start += datetime.timedelta(hours=1)
    public.end += datetime.timedelta(hours=1)
    public.save()
    after = icalendar.Calendar.from_ical(client.get(FEED).content).walk("VEVENT")[0]
    assert str(before["UID"]) == str(after["UID"])
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)


def test_the_feed_keeps_1800_across_the_clock_change_for_both_parsers(client, db):
    series = MeetingSeriesFactory(
        rrule="FREQ=WEEKLY;BYDAY=TU",
        dtstart=london(2026, 3, 24, 18),
        visibility=MeetingVisibility.PUBLIC,
    )
    series_create_occurrences(series=series, until=london(2026, 4, 1))
    response = client.get(FEED, HTTP_HOST="testserver")
    text = unfolded(response)
    assert "DTSTART;TZID=Europe/London:20260324T180000" in text
    assert "DTSTART;TZID=Europe/London:20260331T180000" in text
    ical, vcal = parse_both(response)
    starts = sorted(event.start for event in ical.walk("VEVENT"))
    assert [s.astimezone(LONDON).time() for s in starts] == [datetime.time(18)] * 2
    assert [s.utcoffset() for s in sorted(v.dtstart.value for v in vcal.vevent_list)] == [
        datetime.timedelta(0),
        datetime.timedelta(hours=1),
    ]
    assert "TZOFFSETTO:+0100" in text  # the VTIMEZONE has the summer-time rule


def test_a_cancelled_occurrence_of_a_series_goes_out_as_cancelled(client, db):
    series = MeetingSeriesFactory(visibility=MeetingVisibility.PUBLIC, joining_url="")
    series_create_occurrences(series=series, until=london(2026, 4, 30))
    exception = MeetingSeriesExceptionFactory(series=series, original_start=london(2026, 2, 4, 18), reason="Half term")
    series_exception_apply(exception=exception)
    events = {event.start: event for event in icalendar.Calendar.from_ical(client.get(FEED).content).walk("VEVENT")}
    assert [str(events[start]["STATUS"]) for start in sorted(events)] == [
        "CONFIRMED",
        "CANCELLED",
        "CONFIRMED",
        "CONFIRMED",
    ]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("kirklees", {"in Batley East", "in Batley and Spen", "in Huddersfield"}),
        ("batley-and-spen", {"in Batley East", "in Batley and Spen"}),
        ("batley-east", {"in Batley East"}),
        ("leeds", {"in Armley"}),
    ],
)
def test_a_locality_feed_has_public_meetings_there_or_inside(client, world, slug, expected):
    for name in ("batley-east", "batley-and-spen", "huddersfield", "armley"):
        MeetingFactory(title=f"in {world.places[name].name}", localities=[world.places[name]])
    MeetingFactory(
        title="private in Batley East",
        localities=[world.places["batley-east"]],
        visibility=MeetingVisibility.NETWORK,
    )
    ical, _vcal = parse_both(client.get(reverse("meetings:locality_feed", kwargs={"slug": slug})))
    titles = {str(event["SUMMARY"]) for event in ical.walk("VEVENT")} - {world.meetings["public"].title}
    assert titles == expected


def test_an_unknown_locality_feed_is_404(client, db):
    assert client.get(reverse("meetings:locality_feed", kwargs={"slug": "nowhere"})).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("count", [10, 30])
def test_the_public_feed_costs_the_same_queries_however_many_meetings(client, db, count):
    MeetingFactory.create_batch(count)
    with CaptureQueriesContext(connection) as queries:
        ical, _vcal = parse_both(client.get(FEED))
    assert len(ical.walk("VEVENT")) == count
    assert len(queries) == 1


# ------------------------------------------------------------------------------
# One meeting's download
# ------------------------------------------------------------------------------
def test_a_meeting_download_has_the_link_only_for_members(client, world, as_person):
    public = world.meetings["public"]
    anonymous = client.get(public.get_ics_url())
    parse_both(anonymous)
    assert anonymous["Content-Disposition"].startswith("attachment;")
    assert SECRET not in unfolded(anonymous)
    assert anonymous["Cache-Control"] == "public, max-age=300"

    member = as_person(world.people["kirklees_local"]).get(public.get_ics_url())
    ical, _vcal = parse_both(member)
    event = ical.walk("VEVENT")[0]
    assert SECRET in str(event["CONFERENCE"])
    assert SECRET in str(event["DESCRIPTION"])
    assert member["Cache-Control"] == "private, no-store"  # never for a shared cache


# ------------------------------------------------------------------------------
# The private feed
# ------------------------------------------------------------------------------
def test_a_private_feed_lists_what_its_owner_may_see_with_links(client, world):
    token = CalendarTokenFactory(user=world.people["kirklees_lead"], token="x" * 43)
    response = client.get(private_feed_url("x" * 43))
    ical, vcal = parse_both(response)
    assert uids(ical) == {f"{world.meetings[k].uuid}@anchornet" for k in ("public", "network", "lead_anchors")}
    assert SECRET in unfolded(response)
    assert response["Cache-Control"] == "private, no-store"
    assert len(vcal.vevent_list) == 3
    assert token.is_active


@pytest.mark.parametrize("case", ["revoked", "unknown", "inactive"])
def test_a_revoked_unknown_or_inactive_persons_token_is_404(client, world, case):
    user = world.people["kirklees_lead"]
    CalendarTokenFactory(user=user, token="y" * 43)
    assert client.get(private_feed_url("y" * 43)).status_code == HTTPStatus.OK
    if case == "revoked":
        CalendarToken.objects.filter(user=user).update(revoked_at=london(2026, 1, 1))
        url = private_feed_url("y" * 43)
    elif case == "unknown":
        url = private_feed_url("z" * 43)
    else:
        user.is_active = False
        user.save()
        url = private_feed_url("y" * 43)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("count", [10, 30])
def test_the_private_feed_costs_the_same_queries_however_many_meetings(client, world, count):
    CalendarTokenFactory(user=world.people["kirklees_lead"], token="q" * 43)
    MeetingFactory.create_batch(count, network=world.kirklees, visibility=MeetingVisibility.NETWORK)
    with CaptureQueriesContext(connection) as queries:
        ical, _vcal = parse_both(client.get(private_feed_url("q" * 43)))
    assert len(ical.walk("VEVENT")) == count + 3
    assert len(queries) <= 6, [q["sql"] for q in queries]
