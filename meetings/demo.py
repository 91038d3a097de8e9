"""The meetings of the demo data (see ``core.demo``): the fictional series of
``meetings.demo_data`` (with a year and more of occurrences, made by the same service officers
use) and its single meetings, with attendance and actions, and one cancelled."""

from __future__ import annotations

import datetime

from core.demo import DemoLoader
from localities.demo import Places
from organisations.demo import DemoOrganisations

from . import demo_data as data
from .models import Action, Attendance, Meeting, MeetingSeries
from .services import series_create_occurrences


def load_demo_meetings(loader: DemoLoader, places: Places, organisations: DemoOrganisations) -> None:
    networks = organisations.networks
    for fact in data.SERIES:
        series = loader.upsert(
            MeetingSeries,
            {"title": fact.title, "network": networks[fact.network]},
            {
                "kind": fact.kind,
                "organiser": organisations.by_slug[fact.organiser],
                "rrule": fact.rrule,
                "dtstart": fact.dtstart,
                "duration_minutes": fact.duration_minutes,
                "visibility": fact.visibility,
                "venue": fact.venue,
                "joining_url": fact.joining_url,
            },
        )
        loader.set_related(series, "localities", [places[place] for place in fact.places])
        made = series_create_occurrences(series=series, until=data.SERIES_UNTIL)
        loader.created["Meeting"] += len(made)
    for fact in data.MEETINGS:
        meeting = loader.upsert(
            Meeting,
            {"title": fact.title, "network": networks[fact.network], "start": fact.start},
            {
                "kind": fact.kind,
                "organiser": organisations.by_slug[fact.organiser],
                "end": fact.start + datetime.timedelta(minutes=fact.minutes_long),
                "visibility": fact.visibility,
                "venue": fact.venue,
                "agenda": fact.agenda,
                "minutes": fact.minutes,
                "minutes_published": bool(fact.minutes),
                "cancelled": bool(fact.cancellation_reason),
                "cancellation_reason": fact.cancellation_reason,
            },
        )
        loader.set_related(meeting, "localities", [places[place] for place in fact.places])
        for slug, status in fact.attendance:
            loader.upsert(
                Attendance, {"meeting": meeting, "organisation": organisations.by_slug[slug]}, {"status": status}
            )
        for action in fact.actions:
            loader.upsert(
                Action,
                {"raised_at": meeting, "description": action.description},
                {"owner": organisations.by_slug[action.owner], "due_on": action.due_on, "status": action.status},
            )
