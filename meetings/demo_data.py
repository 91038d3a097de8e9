"""Fictional meetings for the demo (``manage.py load_demo_data``), in the rhythm the Kirklees
network describes: the whole network quarterly, lead anchors monthly, locality meetings and
councillor workshops; and a quarterly Leeds network meeting, and a Leeds workshop that was
cancelled. Titles end "(demo)"; venues are
invented; joining links use example.org. Dates are fixed, so a second load changes nothing.

Organisations are named by slug (see ``organisations.demo_data``).
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from .models import LONDON


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


KIRKLEES_NETWORK = "kirklees-community-anchor-network"
LEEDS_NETWORK = "leeds-community-anchor-network"
KIRKLEES_COORDINATOR = "third-sector-leaders-kirklees"
LEEDS_COORDINATOR = "voluntary-action-leeds"
BATLEY_LEAD = "batley-and-spen-lead-anchor-demo"


class DemoSeries(NamedTuple):
    title: str
    kind: str
    network: str
    organiser: str
    rrule: str
    dtstart: datetime.datetime
    duration_minutes: int
    visibility: str
    places: tuple[tuple[str, str], ...]  # (kind, name) of localities
    venue: str = ""
    joining_url: str = ""


# Series' occurrences are made up to this date: two years of meetings ahead of the demo
# (fixed, so a second load changes nothing; move it on when the demo runs short).
SERIES_UNTIL = _at(2028, 12, 31, 23, 59)

SERIES: tuple[DemoSeries, ...] = (
    DemoSeries(
        "Kirklees Community Anchor Network quarterly meeting (demo)",
        "network",
        KIRKLEES_NETWORK,
        KIRKLEES_COORDINATOR,
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU",
        _at(2026, 1, 13, 10),
        120,
        "network",
        (("district", "Kirklees"),),
        venue="Kirklees community hall (demo venue)",
    ),
    DemoSeries(
        "Kirklees lead anchors monthly meeting (demo)",
        "lead_anchors",
        KIRKLEES_NETWORK,
        KIRKLEES_COORDINATOR,
        "FREQ=MONTHLY;BYDAY=1WE",
        _at(2026, 1, 7, 14),
        90,
        "lead_anchors",
        (("district", "Kirklees"),),
        joining_url="https://meet.example.org/kirklees-lead-anchors-demo",
    ),
)


class DemoAction(NamedTuple):
    description: str
    owner: str
    due_on: datetime.date | None
    status: str


class DemoMeeting(NamedTuple):
    title: str
    kind: str
    network: str
    organiser: str
    start: datetime.datetime
    minutes_long: int
    visibility: str
    places: tuple[tuple[str, str], ...]
    venue: str
    agenda: str
    minutes: str = ""
    attendance: tuple[tuple[str, str], ...] = ()  # (organisation slug, status)
    actions: tuple[DemoAction, ...] = ()
    cancellation_reason: str = ""  # a cancelled meeting says why


MEETINGS: tuple[DemoMeeting, ...] = (
    DemoMeeting(
        "Batley and Spen locality meeting (demo)",
        "locality",
        KIRKLEES_NETWORK,
        BATLEY_LEAD,
        _at(2026, 10, 13, 18),
        90,
        "public",
        (("area", "Batley and Spen"),),
        "Batley community room (demo venue)",
        "1. Welcome and introductions\n2. Warm spaces this winter\n3. What groups need help with\n"
        "4. Any other business",
        minutes=(
            "Eleven people from six groups came. Groups asked for help finding volunteers and "
            "for a shared list of warm spaces. The Sewing Circle will share the list at its "
            "sessions; Heckmondwike's local anchor will invite the Job Club next time."
        ),
        attendance=(
            ("batley-east-local-anchor-demo", "attended"),
            ("batley-sewing-circle-demo", "attended"),
            ("spen-valley-mens-shed-demo", "attended"),
            ("heckmondwike-local-anchor-demo", "apologies"),
        ),
        actions=(
            DemoAction(
                "Share the list of winter warm spaces at every session",
                "batley-sewing-circle-demo",
                datetime.date(2026, 11, 30),
                "done",
            ),
            DemoAction(
                "Invite the Job Club to the next locality meeting",
                "heckmondwike-local-anchor-demo",
                datetime.date(2027, 1, 31),
                "open",
            ),
        ),
    ),
    DemoMeeting(
        "Batley and Spen locality meeting (demo)",
        "locality",
        KIRKLEES_NETWORK,
        BATLEY_LEAD,
        _at(2027, 2, 9, 18),
        90,
        "public",
        (("area", "Batley and Spen"),),
        "Batley community room (demo venue)",
        "1. Welcome\n2. Finding and keeping volunteers\n3. The locality plan: what has changed\n4. Any other business",
    ),
    DemoMeeting(
        "Councillor workshop: reading the locality plans (demo)",
        "councillor_workshop",
        KIRKLEES_NETWORK,
        KIRKLEES_COORDINATOR,
        _at(2027, 3, 3, 17, 30),
        90,
        "network",
        (("district", "Kirklees"),),
        "Kirklees community hall (demo venue)",
        "1. What the four locality plans say\n2. Where they meet the ward plans\n3. Questions from councillors",
    ),
    DemoMeeting(
        "Leeds Community Anchor Network quarterly meeting (demo)",
        "network",
        LEEDS_NETWORK,
        LEEDS_COORDINATOR,
        _at(2027, 1, 20, 10),
        120,
        "public",
        (("district", "Leeds"),),
        "Leeds community hall (demo venue)",
        "1. Welcome\n2. News from the anchors\n3. Funding this year\n4. Any other business",
    ),
    DemoMeeting(
        "Leeds anchors volunteering workshop (demo)",
        "informal",
        LEEDS_NETWORK,
        LEEDS_COORDINATOR,
        _at(2027, 3, 17, 13),
        120,
        "public",
        (("district", "Leeds"),),
        "Leeds community hall (demo venue)",
        "1. Finding volunteers\n2. Keeping them\n3. Training together",
        cancellation_reason="The hall is closed for repairs; the workshop will be held in the summer instead.",
    ),
)
