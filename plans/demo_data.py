"""Fictional locality plans for the demo (``manage.py load_demo_data``), one in each state a plan
passes through: Batley and Spen's current plan (published), the plan it replaced (superseded)
and the next one its lead anchor is writing (a draft); Dewsbury and Mirfield's, shared with
councillors and not yet public (with what was shared: one item was added after sharing); and one
item Batley East's local anchor proposed for the Batley and Spen draft (``PROPOSALS``). Each is
written by its area's placeholder lead anchor. Every title ends "(demo)"; the numbers of people
heard are invented; dates are fixed. Organisations and themes are named by slug, plans by slug
(a plan names the one it replaced)."""

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
    # In a shared plan: written after it was shared, so not in what councillors received.
    added_after_sharing: bool = False


class DemoPlan(NamedTuple):
    slug: str
    title: str
    area: str
    owner: str
    period_start: int
    period_end: int
    published_on: datetime.date | None
    summary: str
    items: tuple[DemoItem, ...]
    references: tuple[tuple[str, str, str], ...]  # (kind, title, whose plan)
    status: str = "published"  # draft, shared, published or superseded
    shared_on: datetime.date | None = None
    supersedes: str = ""  # slug of the plan this one replaced, listed before it


PLANS: tuple[DemoPlan, ...] = (
    DemoPlan(
        slug="batley-and-spen-2022-2025",
        title="Batley and Spen locality plan 2022 to 2025 (demo)",
        area="Batley and Spen",
        owner="batley-and-spen-lead-anchor-demo",
        period_start=2022,
        period_end=2025,
        published_on=datetime.date(2022, 7, 4),
        status="superseded",
        summary=(
            "A fictional plan for the demo, the first the lead anchor wrote: replaced by the "
            "2025 to 2028 plan, and kept so that readers can see what changed."
        ),
        items=(
            DemoItem(
                "priority",
                "A list of what groups run and where (demo)",
                "People did not know what was on near them; groups did not know about each other.",
                themes=("community-spaces",),
                people_heard=30,
                methods=("conversation",),
            ),
            DemoItem(
                "concern",
                "Rising energy bills (demo)",
                "Older people worried about heating their homes through the winter.",
                themes=("older-people", "money-and-debt-advice"),
                people_heard=20,
                methods=("survey",),
            ),
        ),
        references=(("ward_plan", "Batley East ward plan 2022 (demo)", "Kirklees Council"),),
    ),
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
        supersedes="batley-and-spen-2022-2025",
    ),
    DemoPlan(
        slug="batley-and-spen-2028-2031",
        title="Batley and Spen locality plan 2028 to 2031 (demo)",
        area="Batley and Spen",
        owner="batley-and-spen-lead-anchor-demo",
        period_start=2028,
        period_end=2031,
        published_on=None,
        status="draft",
        summary="A fictional draft for the demo: the next plan, still being written with local groups.",
        items=(
            DemoItem(
                "priority",
                "Keep the warm spaces open all year (demo)",
                "Groups said the warm spaces became places to meet, not only to keep warm.",
                themes=("community-spaces",),
                people_heard=15,
                methods=("event",),
            ),
        ),
        references=(),
    ),
    DemoPlan(
        slug="dewsbury-and-mirfield-2026-2029",
        title="Dewsbury and Mirfield locality plan (demo)",
        area="Dewsbury and Mirfield",
        owner="dewsbury-and-mirfield-lead-anchor-demo",
        period_start=2026,
        period_end=2029,
        published_on=None,
        status="shared",
        shared_on=datetime.date(2026, 11, 2),
        summary=("A fictional plan for the demo, shared with councillors for their comments before it is published."),
        items=(
            DemoItem(
                "priority",
                "Activities for young people in the holidays (demo)",
                "Parents asked for free activities, with food, in the school holidays.",
                themes=("young-people", "food-support"),
                people_heard=40,
                methods=("conversation", "survey"),
            ),
            DemoItem(
                "opportunity",
                "Church halls free on weekday mornings (demo)",
                "Three churches offered their halls to groups that need a room.",
                themes=("community-spaces",),
            ),
            DemoItem(
                "concern",
                "Evening buses to Dewsbury town centre (demo)",
                "Councillors asked about transport when they read the plan; the anchor added this after sharing it.",
                added_after_sharing=True,
            ),
        ),
        references=(("ward_plan", "Dewsbury West ward plan (demo)", "Kirklees Council"),),
    ),
)


class DemoComment(NamedTuple):
    """A question or comment on a shared demo plan, and the replies in its thread."""

    plan: str  # slug
    author: str  # username of a demo person (``organisations.demo_data.DEMO_USERS``)
    item: str  # title of the item it is about; "" for the whole plan
    body: str
    is_question: bool
    # (username or "" for the plan's writers, whose demo account does not exist, body)
    replies: tuple[tuple[str, str], ...] = ()


# The demo councillor's question on the plan shared for their ward, answered by the lead anchor.
# Made with the demo people (DEBUG only); every text ends "(demo)".
COMMENTS: tuple[DemoComment, ...] = (
    DemoComment(
        plan="dewsbury-and-mirfield-2026-2029",
        author="councillor",
        item="Activities for young people in the holidays (demo)",
        body=(
            "Will the holiday activities reach Dewsbury West, or only the town centre? Families "
            "there have told me the bus fare puts them off. (demo)"
        ),
        is_question=True,
        replies=(
            (
                "",
                "Yes: two of the sessions will be at the Dewsbury West community centre, and we "
                "have added a concern about evening buses to the plan. (demo)",
            ),
        ),
    ),
)


class DemoProposal(NamedTuple):
    """An item a local anchor proposed for its lead anchor's draft, waiting for an answer."""

    plan: str  # slug
    organisation: str  # slug of the local anchor
    kind: str
    title: str
    detail: str
    note: str


PROPOSALS = (
    DemoProposal(
        plan="batley-and-spen-2028-2031",
        organisation="batley-east-local-anchor-demo",
        kind="concern",
        title="Nowhere for toddler groups to meet in Batley East (demo)",
        detail="Two toddler groups lost their room when the community centre closed for repairs.",
        note="Parents raised this at our coffee morning (fictional, for the demo).",
    ),
)
