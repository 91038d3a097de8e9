"""Meetings as iCalendar (RFC 5545), with the ``icalendar`` package.

Every event carries a stable UID (``<meeting uuid>@anchornet``), so calendar clients update an
event rather than add a second one; SEQUENCE (raised on every change of time, place or
status); DTSTART and DTEND with ``TZID=Europe/London`` and the matching VTIMEZONE; and
STATUS:CANCELLED for a cancelled meeting, which stays in the feed so subscribers see it go.

Each occurrence of a series is an event of its own (its own UID, no RRULE or RECURRENCE-ID):
occurrences are real rows that can move, be cancelled or carry their own papers.

A joining link goes into an event only when the caller's rule allows it: never in a public feed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vDuration, vText

from .models import LONDON, Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//AnchorNet//Network meetings//EN"
# Subscribers' calendars are asked to check every few hours.
REFRESH_INTERVAL = datetime.timedelta(hours=4)
# The dates a feed's VTIMEZONE may cover: what the tz database describes, with room to spare.
VTIMEZONE_SPAN = (datetime.date(1970, 1, 1), datetime.date(2200, 12, 31))


def _no_links(meeting: Meeting) -> bool:
    return False


def meeting_event(
    meeting: Meeting,
    *,
    page_url: str,
    show_joining_link: bool = False,
) -> Event:
    """One VEVENT for ``meeting``. ``page_url`` is the absolute address of its page."""
    event = Event.new(
        uid=meeting.ical_uid,
        summary=meeting.title,
        start=timezone.localtime(meeting.start, LONDON),
        end=timezone.localtime(meeting.end, LONDON),
        # The last change of the event's information (RFC 5545 3.8.7.2, for feeds without METHOD).
        stamp=meeting.updated_at.astimezone(datetime.UTC),
        last_modified=meeting.updated_at.astimezone(datetime.UTC),
        sequence=meeting.sequence,
        url=page_url,
        status="CANCELLED" if meeting.cancelled else "CONFIRMED",
    )
    event.add("class", "PUBLIC" if meeting.is_public else "PRIVATE")
    event.add("categories", [str(meeting.get_kind_display())])
    location = ", ".join(part for part in (meeting.venue, " ".join(meeting.address.split())) if part)
    if not location and meeting.is_online:
        location = "Online"
    if location:
        event.add("location", location)
    event.add("description", vText(_description(meeting, page_url, show_joining_link)))
    if show_joining_link and meeting.joining_url:
        event.add("conference", meeting.joining_url, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    return event


def _description(meeting: Meeting, page_url: str, show_joining_link: bool) -> str:
    lines = []
    if meeting.cancelled:
        lines.append(f"CANCELLED: {meeting.cancellation_reason}".strip())
    lines.append(f"{meeting.get_kind_display()} of {meeting.network.name}.")
    if meeting.organiser.is_public:
        lines.append(f"Organised by {meeting.organiser.name}.")
    if meeting.is_online:
        if show_joining_link:
            lines.append(f"Join online: {meeting.joining_url}")
        else:
            lines.append("Online: network members can find the joining link on the meeting page.")
    if meeting.agenda.strip():
        lines.extend(["", "Agenda:", meeting.agenda.strip()])
    lines.extend(["", f"Details: {page_url}"])
    return "\n".join(lines)


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    absolute_url: Callable[[str], str],
    show_joining_link: Callable[[Meeting], bool] = _no_links,
    calendar_key: str,
) -> bytes:
    """A VCALENDAR of ``meetings`` (with their ``network`` and ``organiser`` fetched), serialised.

    ``absolute_url`` turns a path into a full address; ``show_joining_link`` decides, meeting by
    meeting, whether the joining link goes in (default: never). ``calendar_key`` names the feed
    so that its own UID stays the same from one download to the next.
    """
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"{settings.SITE_NAME}: {name}",
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"anchornet:{calendar_key}"),
        method="PUBLISH",
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    starts = []
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                page_url=absolute_url(meeting.get_absolute_url()),
                show_joining_link=show_joining_link(meeting),
            )
        )
        starts.append(timezone.localtime(meeting.start, LONDON).date())
    if starts:
        # A VTIMEZONE covering the feed's dates (RFC 5545 3.6.5), from the tz database.
        # Clamped to years the time-zone database describes, so a stray date at the edge of
        # the calendar (year 1 or 9999 written to the database some other way than the forms)
        # cannot overflow inside icalendar and take the whole feed down.
        margin = datetime.timedelta(days=366)
        earliest, latest = VTIMEZONE_SPAN
        first = min(max(min(starts), earliest), latest)
        last = max(min(max(starts), latest), first)
        calendar.add_missing_timezones(first_date=first - margin, last_date=last + margin)
    return calendar.to_ical()
