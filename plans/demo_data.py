"""A fictional locality plan for the demo (``manage.py load_demo_data``): Batley and Spen's,
written by its placeholder lead anchor, published. Every title ends "(demo)"; the numbers
of people heard are invented. Organisations and themes are named by slug."""

from __future__ import annotations

import datetime
from typing import NamedTuple


class DemoItem(NamedTuple):
    kind: str
    title: str
    detail: str
    themes: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    people_heard: int | None = None
    methods: tuple[str, ...] = ()  # "conversation", "survey", "event"


class DemoPlan(NamedTuple):
    slug: str
    title: str
    area: str
    owner: str
    period_start: int
    period_end: int
    published_on: datetime.date
    summary: str
    items: tuple[DemoItem, ...]
    references: tuple[tuple[str, str, str], ...]  # (kind, title, whose plan)


PLANS: tuple[DemoPlan, ...] = (
    DemoPlan(
        slug="batley-and-spen-2025-2028",
        title="Batley and Spen locality plan (demo)",
        area="Batley and Spen",
        owner="batley-and-spen-lead-anchor-demo",
        period_start=2025,
        period_end=2028,
        published_on=datetime.date(2025, 6, 2),
        summary=(
            "A fictional plan for the demo. Written with people from community groups, coffee "
            "mornings and the summer fair: what matters most in Batley and Spen, what worries "
            "people, and where groups can help each other."
        ),
        items=(
            DemoItem(
                "priority",
                "Warm, welcoming places in winter (demo)",
                "People want somewhere warm to go in the day, with a hot drink and company, "
                "and to know where those places are.",
                themes=("community-spaces", "older-people"),
                people_heard=60,
                methods=("conversation", "event"),
            ),
            DemoItem(
                "priority",
                "Help with the cost of living (demo)",
                "Families and older people asked for food support and money advice close to home.",
                themes=("food-support", "money-and-debt-advice"),
                people_heard=45,
                methods=("conversation", "survey"),
            ),
            DemoItem(
                "concern",
                "Few places for young people in the evenings (demo)",
                "Parents and young people said there is little to do after school, especially in winter.",
                themes=("young-people",),
                people_heard=25,
                methods=("survey",),
            ),
            DemoItem(
                "opportunity",
                "Empty shop units on the high streets (demo)",
                "Landlords have offered short lets that groups could share for activities.",
                themes=("community-spaces",),
            ),
            DemoItem(
                "connection",
                "The Sewing Circle and the warm spaces list (demo)",
                "The Sewing Circle meets weekly and will share the warm spaces list with its members.",
                organisations=("batley-sewing-circle-demo",),
            ),
        ),
        references=(
            ("ward_plan", "Batley East ward plan (demo)", "Kirklees Council"),
            ("council_strategy", "Council priorities (demo reference)", "Kirklees Council"),
        ),
    ),
)
