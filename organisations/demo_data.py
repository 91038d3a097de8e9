"""The facts and fictions behind ``manage.py load_demo_data``, as plain Python data.

Two kinds of record live here, kept apart:

- **Public facts** about the Leeds and Kirklees community anchor networks (real organisations
  and the roles the sources support; the places are in ``localities.demo_data``), copied from the team's
  research notes. They claim no more than those notes do: where a role is not confirmed, the
  organisation is listed without it. Real organisations carry no contact details, addresses
  or registration numbers.
- **Demo records**, all fictional and flagged ``is_demo``: placeholders standing in for anchors
  whose names are not public, and about seventy community groups whose names end "(demo)".
  Their contact details are obviously fictional: ``example.org`` email addresses, telephone
  numbers from Ofcom's ranges reserved for drama (0113 496 0000 to 0999 for Leeds; Ofcom lists no
  Huddersfield range, so Kirklees uses the no-area range 01632 960000 to 960999) and the address
  "Community room (demo address)".

The loader never reads files at run time: everything it needs is in this module.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils.text import slugify

from localities.demo_data import KIRKLEES, LEEDS

# ---------------------------------------------------------------------------------------------
# Services and needs (an Open Referral style taxonomy)
# ---------------------------------------------------------------------------------------------

TAXONOMY_NAME = "AnchorNet services and needs"
TAXONOMY_DESCRIPTION = (
    "AnchorNet's own vocabulary of the services community organisations offer and the needs "
    "they meet. Each term's code is its slug."
)


class TermFact(NamedTuple):
    code: str
    name: str
    description: str


TERMS: tuple[TermFact, ...] = (
    TermFact("food-support", "Food support", "Food banks, pantries, parcels and community meals."),
    TermFact("welfare-calls", "Welfare calls", "Regular friendly phone calls to check people are well."),
    TermFact("signposting", "Signposting", "Helping people find the right service or support."),
    TermFact("older-people", "Older people", "Activities and support for older people."),
    TermFact("young-people", "Young people", "Youth clubs, activities and support for young people."),
    TermFact(
        "children-and-families",
        "Children and families",
        "Support and activities for children, parents and carers.",
    ),
    TermFact("mental-health", "Mental health", "Support for emotional wellbeing and mental health."),
    TermFact(
        "physical-activity-and-wellbeing",
        "Physical activity and wellbeing",
        "Walking, sport, exercise and other ways to keep active.",
    ),
    TermFact(
        "digital-inclusion",
        "Digital inclusion",
        "Help getting online: devices, data and digital skills.",
    ),
    TermFact(
        "money-and-debt-advice",
        "Money and debt advice",
        "Help with benefits, budgeting, bills and debt.",
    ),
    TermFact("housing", "Housing", "Help with housing, tenancies and homelessness."),
    TermFact("employment-and-skills", "Employment and skills", "Job clubs, training and help into work."),
    TermFact(
        "arts-and-culture",
        "Arts and culture",
        "Music, theatre, crafts and other creative activities.",
    ),
    TermFact("community-spaces", "Community spaces", "Rooms and buildings the community can use."),
    TermFact("volunteering", "Volunteering", "Opportunities to volunteer locally."),
    TermFact(
        "refugees-and-asylum-seekers",
        "Refugees and asylum seekers",
        "Welcome, advice and support for refugees and people seeking asylum.",
    ),
    TermFact("carers", "Carers", "Support for unpaid carers."),
    TermFact("disability", "Disability", "Activities and support for disabled people."),
    TermFact("funding-advice", "Funding advice", "Help for groups to find and apply for funding."),
    TermFact(
        "training-for-groups",
        "Training for groups",
        "Training for community groups and their volunteers.",
    ),
    TermFact("peer-support", "Peer support", "People with shared experience supporting each other."),
)

# ---------------------------------------------------------------------------------------------
# Initiatives
# ---------------------------------------------------------------------------------------------


class InitiativeFact(NamedTuple):
    name: str
    slug: str
    description: str


ABCD = "abcd-pathfinder"
LOCAL_CARE_PARTNERSHIP = "local-care-partnership"
NEIGHBOURHOOD_NETWORK = "neighbourhood-network"
CARE_HUBS = "community-care-hubs-covid-19"
LEEDS_TOGETHER_FUND = "leeds-together-fund-2024-25"

INITIATIVES: tuple[InitiativeFact, ...] = (
    InitiativeFact(
        "ABCD Pathfinder",
        ABCD,
        "Asset Based Community Development (ABCD) Pathfinder sites in Leeds. Members of the "
        "Leeds Community Anchor Network also take part in them.",
    ),
    InitiativeFact(
        "Local Care Partnership",
        LOCAL_CARE_PARTNERSHIP,
        "Local Care Partnership boards in Leeds, in which members of the Leeds Community "
        "Anchor Network also take part.",
    ),
    InitiativeFact(
        "Neighbourhood Network",
        NEIGHBOURHOOD_NETWORK,
        "Neighbourhood Networks in Leeds provide services for older people. Members of the "
        "Leeds Community Anchor Network also take part in them.",
    ),
    InitiativeFact(
        "Community Care Hubs (Covid-19)",
        CARE_HUBS,
        "The Leeds community response to Covid-19: in 2020, 27 hub organisations covered all "
        "33 wards, with food parcels, welfare calls and signposting. The official hub response "
        "ended on 31 March 2022. The Leeds Community Anchor Network grew out of the hubs.",
    ),
    InitiativeFact(
        "Leeds Together Fund (2024–25)",
        LEEDS_TOGETHER_FUND,
        "A Leeds fund of 2024–25, coordinated by Groundwork Yorkshire, a member of the Leeds Community Anchor Network.",
    ),
)

# ---------------------------------------------------------------------------------------------
# Real organisations (public facts; no contact details, addresses or numbers)
# ---------------------------------------------------------------------------------------------

DEMO_SOURCE_SUFFIX = " (Demo description based on public sources.)"


class RealOrganisationFact(NamedTuple):
    name: str
    district: str
    kind: str  # an OrganisationKind value
    locality: tuple[str, str]  # (kind, name) of the locality it serves, as in locality_slugs()
    verified: str  # yes / partly / no: how sure the network role in the sources is
    fact: str  # the fact, as the research notes give it
    description: str  # a neutral sentence built only from the fact
    services: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()


REAL_ORGANISATIONS: tuple[RealOrganisationFact, ...] = (
    RealOrganisationFact(
        "Voluntary Action Leeds",
        LEEDS,
        "infrastructure_charity",
        ("district", LEEDS),
        "yes",
        "Coordinates the Leeds Community Anchor Network (LCAN)",
        "Coordinates the Leeds Community Anchor Network (LCAN).",
    ),
    RealOrganisationFact(
        "Groundwork Yorkshire",
        LEEDS,
        "charity",
        ("district", LEEDS),
        "yes",
        "Named as an LCAN member that coordinated the Leeds Together Fund (2024-25)",
        "Named as a member of the Leeds Community Anchor Network (LCAN) that coordinated the "
        "Leeds Together Fund (2024–25).",
        initiatives=(LEEDS_TOGETHER_FUND,),
    ),
    RealOrganisationFact(
        "New Wortley Community Association",
        LEEDS,
        "community_association",
        ("ward", "Armley"),
        "partly",
        "Community Hub for Armley ward in 2020; LCAN grew from the Community Care Hubs (membership not confirmed)",
        "Acted as the Community Hub for Armley ward in 2020. The Leeds Community Anchor "
        "Network grew from the Community Care Hubs; its membership of the network is not "
        "confirmed.",
        initiatives=(CARE_HUBS,),
    ),
    RealOrganisationFact(
        "LS14 Trust",
        LEEDS,
        "charity",
        ("ward", "Killingbeck and Seacroft"),
        "partly",
        "Coordinated the Covid community response for Killingbeck and Seacroft (Seacroft); "
        "LCAN membership not confirmed",
        "Coordinated the Covid community response for Killingbeck and Seacroft (Seacroft). "
        "Its membership of the Leeds Community Anchor Network is not confirmed.",
    ),
    RealOrganisationFact(
        "Slung Low",
        LEEDS,
        "arts_organisation",
        ("ward", "Beeston and Holbeck"),
        "partly",
        "Acted as a Community Care Hub at The Holbeck; LCAN membership not confirmed",
        "Acted as a Community Care Hub at The Holbeck. Its membership of the Leeds Community "
        "Anchor Network is not confirmed.",
        initiatives=(CARE_HUBS,),
    ),
    RealOrganisationFact(
        "Barca-Leeds",
        LEEDS,
        "charity",
        ("ward", "Bramley and Stanningley"),
        "no",
        "Lead agency for the West Leeds Community Centre Consortium (Fairfields; Hawksworth "
        "Wood; Wythers; Moorside; Broadleas); ward and LCAN membership not confirmed",
        "Lead agency for the West Leeds Community Centre Consortium (Fairfields, Hawksworth "
        "Wood, Wythers, Moorside and Broadleas). The ward it serves and its membership of the "
        "Leeds Community Anchor Network are not confirmed.",
    ),
    RealOrganisationFact(
        "Seacroft Good Neighbours",
        LEEDS,
        "community_group",
        ("ward", "Killingbeck and Seacroft"),
        "yes",
        "Local partner named alongside LS14 Trust",
        "A local partner named alongside LS14 Trust.",
    ),
    RealOrganisationFact(
        "Chapel FM",
        LEEDS,
        "arts_organisation",
        ("ward", "Killingbeck and Seacroft"),
        "yes",
        "Local partner named alongside LS14 Trust",
        "A local partner named alongside LS14 Trust.",
    ),
    RealOrganisationFact(
        "Fall Into Place Theatre",
        LEEDS,
        "arts_organisation",
        ("ward", "Killingbeck and Seacroft"),
        "yes",
        "Local partner named alongside LS14 Trust",
        "A local partner named alongside LS14 Trust.",
    ),
    RealOrganisationFact(
        "Third Sector Leaders Kirklees",
        KIRKLEES,
        "infrastructure_charity",
        ("district", KIRKLEES),
        "yes",
        "Co-ordinates and manages the development of the anchors and the network (Kirklees scrutiny panel minutes)",
        "Co-ordinates and manages the development of the anchors and the Kirklees Community "
        "Anchor Network (Kirklees scrutiny panel minutes).",
    ),
    RealOrganisationFact(
        "Huddersfield Mission",
        KIRKLEES,
        "charity",
        ("area", "Huddersfield"),
        "yes",
        "One of the local anchor community organisations (Kirklees scrutiny panel minutes)",
        "One of the local anchor community organisations of the Kirklees Community Anchor "
        "Network (Kirklees scrutiny panel minutes).",
    ),
    RealOrganisationFact(
        "Chickenley Community Centre",
        KIRKLEES,
        "community_centre",
        ("ward", "Dewsbury East"),
        "yes",
        "Runs a community food bank serving Chickenley; Shaw Cross; Earlsheaton; Hanging "
        "Heaton and Dewsbury town centre",
        "Runs a community food bank serving Chickenley, Shaw Cross, Earlsheaton, Hanging "
        "Heaton and Dewsbury town centre.",
        services=("food-support",),
    ),
    RealOrganisationFact(
        "Thornton Lodge Action Group",
        KIRKLEES,
        "community_group",
        ("area", "Huddersfield"),
        "partly",
        "Founded 2006; based at Thornton Lodge community centre in Huddersfield (ward not confirmed)",
        "Founded in 2006 and based at Thornton Lodge community centre in Huddersfield. The "
        "ward it serves is not confirmed.",
    ),
)

# ---------------------------------------------------------------------------------------------
# Networks and the anchor roles the sources support
# ---------------------------------------------------------------------------------------------


class NetworkFact(NamedTuple):
    name: str
    slug: str
    district: str
    structure: str  # a NetworkStructure value
    coordinator: str  # name of a real organisation above
    description: str


LCAN = "leeds-community-anchor-network"
KCAN = "kirklees-community-anchor-network"

NETWORKS: tuple[NetworkFact, ...] = (
    NetworkFact(
        "Leeds Community Anchor Network",
        LCAN,
        LEEDS,
        "peer",
        "Voluntary Action Leeds",
        "The Leeds Community Anchor Network (LCAN) grew out of the Covid-19 Community Care "
        "Hubs. It had 19 anchor organisations in 2022 and about 30 by 2024–25; each signs an "
        "operating agreement. There are no lead or local tiers: the anchors are peers, each "
        "rooted in its neighbourhoods. Voluntary Action Leeds coordinates the network. Not to "
        "be confused with the Leeds Anchor Network of large employers.",
    ),
    NetworkFact(
        "Kirklees Community Anchor Network",
        KCAN,
        KIRKLEES,
        "tiered",
        "Third Sector Leaders Kirklees",
        "Fifteen community anchors, with a lead anchor in each of four areas: Huddersfield, "
        "Rural, Batley and Spen, and Dewsbury and Mirfield. Third Sector Leaders Kirklees "
        "co-ordinates and manages the development of the anchors and the network. The anchors "
        "have engaged with over 300 community organisations, and each develops a locality "
        "plan with its local communities. The whole network meets quarterly and the lead "
        "anchors monthly.",
    ),
)


class RealAnchorRoleFact(NamedTuple):
    organisation: str
    network: str  # network slug
    role: str  # an AnchorRoleKind value
    locality: tuple[str, str]
    lead_area: str = ""  # for a local anchor: the area whose lead anchor it works under


# Only the roles marked verified=yes in the research notes.
REAL_ANCHOR_ROLES: tuple[RealAnchorRoleFact, ...] = (
    RealAnchorRoleFact("Groundwork Yorkshire", LCAN, "anchor", ("district", LEEDS)),
    RealAnchorRoleFact("Huddersfield Mission", KCAN, "local_anchor", ("area", "Huddersfield"), "Huddersfield"),
)

# ---------------------------------------------------------------------------------------------
# Placeholder anchors (fictional, is_demo): the names the sources do not give
# ---------------------------------------------------------------------------------------------


class PlaceholderAnchor(NamedTuple):
    name: str
    network: str
    role: str
    locality: tuple[str, str]
    lead_area: str  # for local anchors
    joined_on: datetime.date
    agreement_signed_on: datetime.date
    description: str


def _kirklees_lead(area: str, joined: datetime.date, signed: datetime.date) -> PlaceholderAnchor:
    return PlaceholderAnchor(
        f"{area} lead anchor (demo)",
        KCAN,
        "lead_anchor",
        ("area", area),
        "",
        joined,
        signed,
        f"Placeholder for the lead anchor of the {area} area of the Kirklees Community Anchor "
        "Network. The lead anchors' names are not public in our sources, so this fictional "
        "demo record stands in for it.",
    )


def _kirklees_local(ward: str, area: str, joined: datetime.date, signed: datetime.date) -> PlaceholderAnchor:
    return PlaceholderAnchor(
        f"{ward} local anchor (demo)",
        KCAN,
        "local_anchor",
        ("ward", ward),
        area,
        joined,
        signed,
        f"Placeholder for a local anchor in {ward} ward, working under the {area} lead anchor "
        "of the Kirklees Community Anchor Network. Fictional demo record.",
    )


def _leeds_anchor(ward: str, joined: datetime.date, signed: datetime.date) -> PlaceholderAnchor:
    return PlaceholderAnchor(
        f"{ward} anchor (demo)",
        LCAN,
        "anchor",
        ("ward", ward),
        "",
        joined,
        signed,
        f"Placeholder for a Leeds Community Anchor Network anchor rooted in {ward} ward. "
        "Fictional demo record: the network's anchors are not all named in our sources.",
    )


_d = datetime.date

KIRKLEES_LEAD_PLACEHOLDERS: tuple[PlaceholderAnchor, ...] = (
    _kirklees_lead("Huddersfield", _d(2022, 4, 1), _d(2022, 4, 1)),
    _kirklees_lead("Rural", _d(2022, 4, 1), _d(2022, 4, 1)),
    _kirklees_lead("Batley and Spen", _d(2022, 4, 1), _d(2022, 4, 1)),
    _kirklees_lead("Dewsbury and Mirfield", _d(2022, 4, 1), _d(2022, 4, 1)),
)

# Ten placeholder local anchors on continuing (current) wards, so that with Huddersfield
# Mission the network has its fifteen anchors: 4 lead + 11 local.
KIRKLEES_LOCAL_PLACEHOLDERS: tuple[PlaceholderAnchor, ...] = (
    _kirklees_local("Ashbrow", "Huddersfield", _d(2022, 6, 1), _d(2022, 6, 20)),
    _kirklees_local("Dalton", "Huddersfield", _d(2023, 1, 9), _d(2023, 2, 1)),
    _kirklees_local("Denby Dale", "Rural", _d(2022, 6, 1), _d(2022, 7, 4)),
    _kirklees_local("Holme Valley South", "Rural", _d(2022, 9, 1), _d(2022, 9, 15)),
    _kirklees_local("Kirkburton", "Rural", _d(2023, 4, 3), _d(2023, 4, 24)),
    _kirklees_local("Batley East", "Batley and Spen", _d(2022, 6, 1), _d(2022, 6, 13)),
    _kirklees_local("Heckmondwike", "Batley and Spen", _d(2022, 10, 3), _d(2022, 11, 1)),
    _kirklees_local("Cleckheaton", "Batley and Spen", _d(2023, 9, 4), _d(2023, 9, 25)),
    _kirklees_local("Dewsbury West", "Dewsbury and Mirfield", _d(2022, 6, 1), _d(2022, 6, 27)),
    _kirklees_local("Mirfield", "Dewsbury and Mirfield", _d(2024, 1, 8), _d(2024, 2, 5)),
)

# Peer anchors in Leeds wards where no real organisation of the research notes works.
LEEDS_PLACEHOLDERS: tuple[PlaceholderAnchor, ...] = (
    _leeds_anchor("Chapel Allerton", _d(2022, 5, 16), _d(2022, 6, 1)),
    _leeds_anchor("Middleton Park", _d(2022, 5, 16), _d(2022, 6, 1)),
    _leeds_anchor("Gipton and Harehills", _d(2022, 5, 16), _d(2022, 7, 11)),
    _leeds_anchor("Burmantofts and Richmond Hill", _d(2022, 9, 5), _d(2022, 10, 3)),
    _leeds_anchor("Hunslet and Riverside", _d(2023, 3, 6), _d(2023, 3, 27)),
    _leeds_anchor("Kirkstall", _d(2023, 6, 5), _d(2023, 7, 3)),
    _leeds_anchor("Little London and Woodhouse", _d(2024, 1, 15), _d(2024, 2, 12)),
    _leeds_anchor("Morley South", _d(2024, 4, 8), _d(2024, 5, 7)),
)

# ---------------------------------------------------------------------------------------------
# Fictional community groups
# ---------------------------------------------------------------------------------------------

DEMO_ADDRESS = "Community room (demo address)"


class DemoGroup(NamedTuple):
    name: str
    wards: tuple[str, ...]  # ward names, or ("Kirklees",) for a district-wide group
    kind: str
    services: tuple[str, ...]
    initiatives: tuple[str, ...]
    postcode: str
    description: str
    status: str = "published"


_G = DemoGroup

# fmt: off
LEEDS_GROUPS: tuple[DemoGroup, ...] = (
    _G("Armley Knit and Natter (demo)", ("Armley",), "community_group",
       ("older-people", "peer-support"), (NEIGHBOURHOOD_NETWORK,), "LS12 3RT",
       "A weekly knitting and chat group for anyone who wants company and a cuppa."),
    _G("Armley Youth Kitchen (demo)", ("Armley", "Farnley and Wortley"), "community_group",
       ("young-people", "food-support"), (ABCD,), "LS12 1TG",
       "Young people cook a shared meal together every Thursday. Ingredients are free."),
    _G("Seacroft Saturday Football (demo)", ("Killingbeck and Seacroft",), "community_group",
       ("young-people", "physical-activity-and-wellbeing"), (), "LS14 6NB",
       "Free football sessions on Saturday mornings for children aged 8 to 16."),
    _G("Seacroft Tenants Together (demo)", ("Killingbeck and Seacroft",),
       "tenants_residents_association", ("housing", "signposting"), (LOCAL_CARE_PARTNERSHIP,),
       "LS14 1AZ",
       "A residents' association that takes tenants' concerns to landlords and the council."),
    _G("Beeston Community Larder (demo)", ("Beeston and Holbeck",), "community_group",
       ("food-support", "money-and-debt-advice"), (ABCD,), "LS11 7EU",
       "A low-cost food larder with a money advice drop-in on Tuesdays."),
    _G("Holbeck Over-60s Social (demo)", ("Beeston and Holbeck",), "community_group",
       ("older-people", "welfare-calls"), (NEIGHBOURHOOD_NETWORK,), "LS11 9RP",
       "Afternoon socials, trips and friendly phone calls for people over sixty."),
    _G("Bramley Walking Buddies (demo)", ("Bramley and Stanningley",), "community_group",
       ("physical-activity-and-wellbeing", "older-people"), (NEIGHBOURHOOD_NETWORK,), "LS13 2DW",
       "Gentle led walks of about an hour, finishing with tea and a chat."),
    _G("Stanningley Repair Café (demo)", ("Bramley and Stanningley", "Calverley and Farsley"),
       "community_group", ("volunteering", "community-spaces"), (), "LS28 6AB",
       "Volunteers fix bikes, clothes and small appliances for free once a month."),
    _G("Chapel Allerton Carers' Circle (demo)", ("Chapel Allerton",), "charity",
       ("carers", "peer-support", "mental-health"), (LOCAL_CARE_PARTNERSHIP,), "LS7 4NE",
       "A monthly circle where unpaid carers share advice and have a break."),
    _G("Chapeltown Steel Pan Collective (demo)", ("Chapel Allerton",), "arts_organisation",
       ("arts-and-culture", "young-people"), (ABCD,), "LS7 3HB",
       "Steel pan lessons and performances for all ages; no experience needed."),
    _G("Middleton Park Parent and Toddler Group (demo)", ("Middleton Park",), "community_group",
       ("children-and-families",), (), "LS10 4QS",
       "Play, songs and snacks for under-fives and their grown-ups."),
    _G("Middleton Money Matters (demo)", ("Middleton Park", "Hunslet and Riverside"), "charity",
       ("money-and-debt-advice", "signposting"), (LOCAL_CARE_PARTNERSHIP,), "LS10 3SW",
       "Free, confidential help with benefits, bills and debt."),
    _G("Hunslet Riverside Allotment Club (demo)", ("Hunslet and Riverside",), "community_group",
       ("physical-activity-and-wellbeing", "volunteering"), (), "LS10 2AW",
       "A shared allotment where neighbours grow vegetables together."),
    _G("Harehills Welcome Café (demo)", ("Gipton and Harehills",), "faith_group",
       ("refugees-and-asylum-seekers", "food-support", "signposting"), (ABCD,), "LS8 5BH",
       "A warm welcome, a hot meal and advice for people new to Leeds."),
    _G("Gipton Digital Champions (demo)", ("Gipton and Harehills",), "community_group",
       ("digital-inclusion", "employment-and-skills"), (), "LS9 6NP",
       "Volunteers help people get online, apply for jobs and use their phones."),
    _G("Burmantofts Community Garden (demo)", ("Burmantofts and Richmond Hill",), "community_group",
       ("volunteering", "mental-health", "community-spaces"), (ABCD,), "LS9 7DR",
       "A community garden open to all, with volunteering sessions twice a week."),
    _G("Richmond Hill Homework Club (demo)", ("Burmantofts and Richmond Hill",), "community_group",
       ("young-people", "children-and-families"), (), "LS9 8HE",
       "After-school homework help for primary and secondary pupils.", "draft"),
    _G("Headingley Refugee Conversation Club (demo)", ("Headingley and Hyde Park",),
       "community_group", ("refugees-and-asylum-seekers", "peer-support"), (), "LS6 3EH",
       "Relaxed English conversation practice with volunteers, every Wednesday evening."),
    _G("Hyde Park Tenants' Forum (demo)",
       ("Headingley and Hyde Park", "Little London and Woodhouse"),
       "tenants_residents_association", ("housing",), (), "LS6 1PF",
       "Private renters and social tenants working together on housing conditions."),
    _G("Little London Jobs Club (demo)", ("Little London and Woodhouse",), "social_enterprise",
       ("employment-and-skills", "digital-inclusion"), (LOCAL_CARE_PARTNERSHIP,), "LS7 1BW",
       "Help with CVs, applications and interview practice."),
    _G("Kirkstall Men's Shed (demo)", ("Kirkstall",), "community_group",
       ("older-people", "mental-health", "volunteering"), (NEIGHBOURHOOD_NETWORK,), "LS5 3HN",
       "A workshop where men (and anyone else) make, mend and talk."),
    _G("Kirkstall Valley Litter Pickers (demo)", ("Kirkstall", "Weetwood"), "community_group",
       ("volunteering",), (), "LS5 3AB",
       "Monthly litter picks along the river and the canal; equipment provided."),
    _G("Weetwood Memory Café (demo)", ("Weetwood",), "charity",
       ("older-people", "carers"), (NEIGHBOURHOOD_NETWORK,), "LS16 5NQ",
       "A friendly café for people living with dementia and those who care for them."),
    _G("Adel Community Choir (demo)", ("Adel and Wharfedale",), "arts_organisation",
       ("arts-and-culture", "older-people"), (), "LS16 8EJ",
       "A choir for anyone who likes to sing; no auditions."),
    _G("Alwoodley Chai and Chat (demo)", ("Alwoodley",), "community_group",
       ("older-people", "peer-support"), (NEIGHBOURHOOD_NETWORK,), "LS17 7PZ",
       "A weekly get-together over tea for older neighbours."),
    _G("Moortown Young Carers Group (demo)", ("Moortown",), "charity",
       ("carers", "young-people"), (LOCAL_CARE_PARTNERSHIP,), "LS17 6HR",
       "Activities and a break for young people who look after someone at home."),
    _G("Roundhay Buggy Walks (demo)", ("Roundhay",), "community_group",
       ("children-and-families", "physical-activity-and-wellbeing"), (), "LS8 2JT",
       "Walks for parents with babies and toddlers, ending at a café."),
    _G("Harewood Rural Lunch Club (demo)", ("Harewood",), "community_group",
       ("older-people", "food-support", "community-spaces"), (NEIGHBOURHOOD_NETWORK,), "LS17 9LJ",
       "A monthly two-course lunch for older people in the villages, with transport."),
    _G("Wetherby Dementia Friends (demo)", ("Wetherby",), "charity",
       ("older-people", "carers"), (NEIGHBOURHOOD_NETWORK,), "LS22 6RE",
       "Dementia-friendly activities and a support group for families."),
    _G("Otley Young Makers (demo)", ("Otley and Yeadon",), "arts_organisation",
       ("young-people", "arts-and-culture"), (), "LS21 3AQ",
       "Art, craft and making sessions for 11 to 18 year olds."),
    _G("Yeadon Disability Sports Club (demo)", ("Otley and Yeadon", "Guiseley and Rawdon"),
       "community_group", ("disability", "physical-activity-and-wellbeing"), (), "LS19 7TA",
       "Inclusive sport for disabled children and adults: boccia, new age kurling and more."),
    _G("Guiseley Bereavement Support Group (demo)", ("Guiseley and Rawdon",), "community_group",
       ("mental-health", "peer-support"), (), "LS20 8BT",
       "A small, confidential group for people who have lost someone close.", "draft"),
    _G("Horsforth Community Fridge (demo)", ("Horsforth",), "community_group",
       ("food-support", "volunteering"), (ABCD,), "LS18 5JN",
       "Surplus food from local shops, free to anyone who can use it."),
    _G("Pudsey Money Advice Drop-in (demo)", ("Pudsey",), "charity",
       ("money-and-debt-advice", "signposting"), (LOCAL_CARE_PARTNERSHIP,), "LS28 7BD",
       "A weekly drop-in for help with budgeting, benefits and energy bills."),
    _G("Calverley Green Gym (demo)", ("Calverley and Farsley",), "community_group",
       ("physical-activity-and-wellbeing", "mental-health"), (), "LS28 5NF",
       "Outdoor conservation work that keeps you fit and meets new people."),
    _G("Morley Mums' Network (demo)", ("Morley North", "Morley South"), "community_group",
       ("children-and-families", "peer-support"), (), "LS27 9DF",
       "Parents meeting up for support, playdates and advice."),
    _G("Morley Funding Surgery (demo)", ("Morley South",), "community_association",
       ("funding-advice", "training-for-groups"), (), "LS27 8LA",
       "One-to-one help for small groups looking for grants, with short training sessions."),
    _G("Rothwell Welfare Call Volunteers (demo)", ("Rothwell",), "community_group",
       ("welfare-calls", "older-people", "volunteering"), (NEIGHBOURHOOD_NETWORK,), "LS26 0AE",
       "Volunteers who phoned isolated neighbours during the pandemic.", "archived"),
    _G("Robin Hood Coffee Morning (demo)", ("Ardsley and Robin Hood",), "faith_group",
       ("older-people", "community-spaces"), (), "WF3 3AN",
       "A Friday coffee morning in the church hall, open to everyone."),
    _G("Garforth Young Inventors (demo)", ("Garforth and Swillington",), "community_group",
       ("young-people", "digital-inclusion"), (), "LS25 1DT",
       "Coding, robots and electronics for young people on Saturday mornings."),
    _G("Kippax Carers Café (demo)", ("Kippax and Methley",), "community_group",
       ("carers",), (LOCAL_CARE_PARTNERSHIP,), "LS25 7HD",
       "A relaxed monthly café where carers can meet and get information."),
    _G("St. Mary's Lunch Club (demo)", ("Temple Newsam",), "faith_group",
       ("older-people", "food-support"), (NEIGHBOURHOOD_NETWORK,), "LS15 0AB",
       "A hot two-course lunch and company every Wednesday in the church hall."),
    _G("Cross Gates Asylum Seekers' Drop-in (demo)", ("Cross Gates and Whinmoor",), "faith_group",
       ("refugees-and-asylum-seekers", "signposting", "money-and-debt-advice"), (), "LS15 8ER",
       "Advice, clothing and a friendly welcome for people seeking asylum."),
    _G("Whinmoor Wheelchair Football (demo)", ("Cross Gates and Whinmoor",), "community_group",
       ("disability", "physical-activity-and-wellbeing"), (), "LS14 2DX",
       "Powerchair football training for all abilities.", "draft"),
)

KIRKLEES_GROUPS: tuple[DemoGroup, ...] = (
    _G("Dewsbury Digital Drop-in (demo)", ("Dewsbury West",), "community_group",
       ("digital-inclusion", "employment-and-skills"), (), "WF13 2AB",
       "Help with phones, tablets, email and online forms, every Monday."),
    _G("Dewsbury Mums and Tots (demo)", ("Dewsbury East",), "community_group",
       ("children-and-families",), (), "WF12 7NT",
       "A weekly play session for babies, toddlers and their families."),
    _G("Thornhill Lees Lunch Club (demo)", ("Dewsbury South",), "community_group",
       ("older-people", "food-support"), (), "WF12 9DZ",
       "A hot lunch and a game of bingo for older residents."),
    _G("Ravensthorpe Youth Boxing (demo)", ("Dewsbury West",), "community_group",
       ("young-people", "physical-activity-and-wellbeing"), (), "WF13 3JN",
       "Non-contact boxing fitness for young people aged 10 to 18."),
    _G("Mirfield Memory Café (demo)", ("Mirfield",), "charity",
       ("older-people", "carers"), (), "WF14 8AN",
       "A monthly café for people with memory loss and their carers."),
    _G("Mirfield Canal Volunteers (demo)", ("Mirfield", "Dewsbury East"), "community_group",
       ("volunteering",), (), "WF14 0DP",
       "Volunteers who look after the towpath, hedges and wildlife along the canal."),
    _G("Batley Sewing Circle (demo)", ("Batley East",), "community_group",
       ("arts-and-culture", "peer-support"), (), "WF17 5BP",
       "Sewing, mending and conversation for women of all ages."),
    _G("Batley West Community Pantry (demo)", ("Batley West",), "community_association",
       ("food-support", "money-and-debt-advice"), (), "WF17 7AE",
       "A membership pantry: a weekly shop for a small fee, with money advice on hand."),
    _G("Birstall Walking Group (demo)", ("Birstall and Birkenshaw",), "community_group",
       ("physical-activity-and-wellbeing", "older-people"), (), "WF17 9EF",
       "Short, sociable walks around Birstall for all abilities."),
    _G("Birkenshaw Carers Support (demo)", ("Birstall and Birkenshaw",), "charity",
       ("carers", "signposting"), (), "BD11 2AD",
       "Information, a listening ear and a monthly meet-up for unpaid carers."),
    _G("Cleckheaton Community Cinema (demo)", ("Cleckheaton",), "arts_organisation",
       ("arts-and-culture", "community-spaces"), (), "BD19 3RH",
       "Monthly film nights in the community hall, with a dementia-friendly matinee."),
    _G("Spen Valley Men's Shed (demo)", ("Cleckheaton", "Liversedge and Gomersal"),
       "community_group", ("older-people", "mental-health"), (), "BD19 4PX",
       "Woodwork, repairs and good company in a shared workshop."),
    _G("Heckmondwike Job Club (demo)", ("Heckmondwike",), "social_enterprise",
       ("employment-and-skills", "digital-inclusion"), (), "WF16 0HT",
       "Weekly help with job searches, CVs and applications."),
    _G("Liversedge Family Fun Days (demo)", ("Liversedge and Gomersal",), "community_group",
       ("children-and-families",), (), "WF15 7DN",
       "Free family activities in the school holidays.", "draft"),
    _G("Huddersfield Refugee Welcome (demo)", ("Greenhead",), "charity",
       ("refugees-and-asylum-seekers", "signposting"), (), "HD1 2QN",
       "Welcome, advice and English classes for refugees and people seeking asylum."),
    _G("Lindley Tuesday Choir (demo)", ("Lindley",), "arts_organisation",
       ("arts-and-culture", "older-people"), (), "HD3 3BZ",
       "A friendly daytime choir singing everything from folk to pop."),
    _G("Ashbrow Youth Hub (demo)", ("Ashbrow",), "community_group",
       ("young-people",), (), "HD2 1RS",
       "Youth club nights with games, sport and a safe place to talk."),
    _G("Dalton Community Allotment (demo)", ("Dalton",), "community_group",
       ("volunteering", "mental-health"), (), "HD5 9HW",
       "A shared allotment for growing food and wellbeing."),
    _G("Almondbury Village Lunch Club (demo)", ("Almondbury",), "community_group",
       ("older-people", "food-support"), (), "HD5 8XL",
       "A fortnightly lunch for older people in the village."),
    # Serves both the ward abolished in May 2026 and its successor: an ended ward keeps its links.
    _G("Crosland Moor Community Pantry (demo)", ("Crosland Moor and Netherton", "Crosland Moor"),
       "community_group", ("food-support", "money-and-debt-advice"), (), "HD4 5DJ",
       "A community pantry with low-cost groceries and help with bills."),
    _G("Colne Valley Walkers (demo)", ("Colne Valley West",), "community_group",
       ("physical-activity-and-wellbeing", "mental-health"), (), "HD7 6NL",
       "Weekend walks in the hills above the valley, for all fitness levels."),
    _G("Colne Valley Digital Buddies (demo)", ("Colne Valley East",), "community_group",
       ("digital-inclusion", "older-people"), (), "HD7 4JR",
       "One-to-one help for older people getting to grips with technology."),
    _G("Holmfirth Carers' Coffee (demo)", ("Holme Valley South",), "community_group",
       ("carers", "peer-support"), (), "HD9 3JH",
       "A coffee morning where carers can relax and share tips."),
    _G("Honley Youth Music (demo)", ("Holme Valley North",), "arts_organisation",
       ("young-people", "arts-and-culture"), (), "HD9 6AA",
       "Band practice and music lessons for young people.", "draft"),
    _G("Denby Dale Good Neighbours (demo)", ("Denby Dale",), "community_group",
       ("welfare-calls", "older-people"), (), "HD8 8RX",
       "Neighbours who phone and visit people living alone."),
    _G("Kirkburton Disability Swim Club (demo)", ("Kirkburton",), "community_group",
       ("disability", "physical-activity-and-wellbeing"), (), "HD8 0SQ",
       "Swimming sessions for disabled people and their families.", "archived"),
    _G("Kirklees Small Groups Funding Clinic (demo)", (KIRKLEES,), "community_association",
       ("funding-advice", "training-for-groups"), (), "HD1 1JF",
       "Funding advice and short training sessions for small community groups across Kirklees."),
)
# fmt: on


def demo_contact(group: DemoGroup, index: int, district: str) -> dict[str, str]:
    """Obviously fictional contact details for the ``index``-th demo group of ``district``:
    an example.org email and a number from Ofcom's drama ranges (see the module docstring)."""
    slug = slugify(group.name)
    # Both ranges hold 1000 numbers; 100 + index keeps clear of the round ones (0000, 0001).
    prefix = "0113 496 0" if district == LEEDS else "01632 960"
    phone = f"{prefix}{100 + index:03d}"
    return {
        "email": f"hello@{slug}.example.org",
        "phone": phone,
        "address": DEMO_ADDRESS,
        "postcode": group.postcode,
    }


# ---------------------------------------------------------------------------------------------
# When the fictional groups meet, what they cost, the languages spoken and access
# ---------------------------------------------------------------------------------------------
# ``../shared/data`` holds no opening times, costs, languages or access facts for the real
# organisations, so only the fictional "(demo)" groups get them, invented to fit each group's
# description ("every Thursday", "Saturday mornings"). A monthly group has no weekly row: its
# pattern is in the free-text opening hours, which "open now" never counts.


class DemoOpening(NamedTuple):
    """One weekly opening: BYDAY codes ("MO,TH"), opening and closing "HH:MM" (UK time)."""

    days: str
    opens: str = ""
    closes: str = ""
    by_appointment: bool = False
    notes: str = ""
    season: tuple[str, str] | None = None  # ("MM-DD", "MM-DD") of the current year


class DemoFacts(NamedTuple):
    openings: tuple[DemoOpening, ...] = ()
    cost: str = ""  # "free", "donation", "fee" or "" (not known)
    amount: str = ""  # pounds, e.g. "2.50"
    cost_note: str = ""
    languages: tuple[str, ...] = ()  # ISO 639 codes seeded by migration 0011
    step_free: str = "unknown"  # "yes", "partly", "no" or "unknown"
    access_note: str = ""
    hours: str = ""  # free-text opening hours, for a pattern that is not weekly


_O, _F = DemoOpening, DemoFacts

# fmt: off
DEMO_FACTS: dict[str, DemoFacts] = {
    "Armley Knit and Natter (demo)": _F(
        (_O("TU", "13:30", "15:30"),), "donation", "1", "for tea and biscuits", ("en", "pl"), "yes",
        "Ground floor room; accessible toilet.",
    ),
    "Armley Youth Kitchen (demo)": _F(
        (_O("TH", "16:00", "18:30"),), "free", "", "ingredients included", ("en", "ar", "ku"), "partly",
        "Two steps at the front; ramp at the side door.",
    ),
    "Seacroft Saturday Football (demo)": _F(
        (_O("SA", "09:30", "11:30"),), "free", "", "", ("en",), "yes", "Pitches reached by a level path.",
    ),
    "Beeston Community Larder (demo)": _F(
        (_O("TU,FR", "10:00", "13:00"),), "fee", "3.50", "per shop, for about £15 of food", ("en", "ur", "pa", "ro"),
        "yes",
    ),
    "Holbeck Over-60s Social (demo)": _F(
        (_O("WE", "13:00", "16:00"),), "donation", "2", "suggested", ("en",), "yes",
        "Hearing loop in the main hall.",
    ),
    "Bramley Walking Buddies (demo)": _F(
        (_O("MO,TH", "10:00", "11:30"),), "free", "", "", ("en",), "no", "Walks include stiles and uneven paths.",
    ),
    "Stanningley Repair Café (demo)": _F(
        (), "free", "", "you pay for any parts", ("en", "pl"), "yes",
        hours="The last Saturday of each month, 10am to 1pm.",
    ),
    "Harehills Welcome Café (demo)": _F(
        (_O("MO,WE,FR", "11:00", "14:00"),), "free", "", "", ("en", "ar", "ku", "ro", "so", "ti", "fa"), "yes",
        "Level entrance; interpreters on Wednesdays.",
    ),
    "Gipton Digital Champions (demo)": _F(
        (_O("TU,TH", "10:00", "12:00"), _O("FR", by_appointment=True, notes="one-to-one help")), "free", "", "",
        ("en", "ur"), "partly", "Lift to the first floor is sometimes out of order.",
    ),
    "Burmantofts Community Garden (demo)": _F(
        (_O("WE,SA", "10:00", "15:00", season=("03-01", "10-31")),), "free", "", "", ("en",), "partly",
        "Level paths to the main beds; the top garden has steps.",
    ),
    "Headingley Refugee Conversation Club (demo)": _F(
        (_O("WE", "18:30", "20:00"),), "free", "", "", ("en", "ar", "fa", "ps", "ti", "uk"), "yes",
    ),
    "Little London Jobs Club (demo)": _F(
        (_O("MO", "13:00", "16:00"), _O("", by_appointment=True)), "free", "", "", ("en", "pl", "ro"), "yes",
    ),
    "Kirkstall Men's Shed (demo)": _F(
        (_O("TU,TH,SA", "10:00", "14:00"),), "donation", "2", "per session", ("en",), "partly",
        "One step into the workshop; help on hand.",
    ),
    "Alwoodley Chai and Chat (demo)": _F(
        (_O("TH", "14:00", "16:00"),), "free", "", "", ("en", "ur", "pa", "gu"), "yes",
    ),
    "Horsforth Community Fridge (demo)": _F(
        (_O("MO,TU,WE,TH,FR", "12:00", "14:00"), _O("SA", "10:00", "12:00")), "free", "", "", ("en",), "yes",
    ),
    "Pudsey Money Advice Drop-in (demo)": _F(
        (_O("WE", "10:00", "13:00"), _O("", by_appointment=True, notes="home visits")), "free", "", "",
        ("en", "pl", "bfi"), "yes", "BSL interpreter by arrangement.",
    ),
    "Robin Hood Coffee Morning (demo)": _F(
        (_O("FR", "10:00", "12:00"),), "donation", "", "pay what you can", ("en",), "no",
        "The church hall is up six steps.",
    ),
    "Garforth Young Inventors (demo)": _F(
        (_O("SA", "10:00", "12:00"),), "fee", "2", "per session; free for families on benefits", ("en",), "yes",
    ),
    "St. Mary's Lunch Club (demo)": _F(
        (_O("WE", "12:00", "14:00"),), "fee", "4.50", "two courses and a drink", ("en",), "partly",
        "Ramp at the side door; no accessible toilet.",
    ),
    "Cross Gates Asylum Seekers' Drop-in (demo)": _F(
        (_O("TH", "10:00", "13:00"),), "free", "", "", ("en", "ar", "ku", "fa", "ti", "so"), "yes",
    ),
    "Dewsbury Digital Drop-in (demo)": _F(
        (_O("MO", "10:00", "12:30"),), "free", "", "", ("en", "ur", "pa", "gu"), "yes",
    ),
    "Dewsbury Mums and Tots (demo)": _F(
        (_O("WE", "09:30", "11:30"),), "donation", "1", "per family", ("en", "ur", "pl"), "yes",
        "Buggy park inside the entrance.",
    ),
    "Thornhill Lees Lunch Club (demo)": _F(
        (_O("TU", "12:00", "14:30"),), "fee", "5", "lunch and bingo", ("en",), "yes",
    ),
    "Batley Sewing Circle (demo)": _F(
        (_O("TH", "13:00", "15:00"),), "free", "", "", ("en", "ur", "gu", "bn"), "partly",
    ),
    "Batley West Community Pantry (demo)": _F(
        (_O("TU,FR", "10:00", "13:00"),), "fee", "4", "weekly membership", ("en", "ur", "pl", "ro"), "yes",
    ),
    "Huddersfield Refugee Welcome (demo)": _F(
        (_O("MO,TH", "10:00", "15:00"),), "free", "", "", ("en", "ar", "ku", "fa", "uk", "ti"), "yes",
    ),
    "Lindley Tuesday Choir (demo)": _F(
        (_O("TU", "10:30", "12:00", notes="term time only"),), "fee", "3", "per session", ("en",), "no",
        "Rehearsals are upstairs; no lift.",
    ),
    "Ashbrow Youth Hub (demo)": _F(
        (_O("MO,WE", "18:00", "20:30"),), "free", "", "", ("en", "ur", "bn"), "yes",
    ),
    "Colne Valley Walkers (demo)": _F(
        (_O("SA,SU", "09:30", "13:00", season=("04-01", "09-30")),), "free", "", "", ("en",), "no",
        "Hill walks on rough ground.",
    ),
    "Heckmondwike Job Club (demo)": _F(
        (_O("WE", "09:30", "12:00"),), "free", "", "", ("en", "pl", "ro"), "yes",
    ),
}
# fmt: on


# ---------------------------------------------------------------------------------------------
# Demo officer account (only with DEBUG on)
# ---------------------------------------------------------------------------------------------

OFFICER_USERNAME = "officer"
OFFICER_EMAIL = "officer@example.org"
OFFICER_PASSWORD_ENV = "DEMO_OFFICER_PASSWORD"
OFFICER_DEFAULT_PASSWORD = "anchornet-demo-officer"  # published: a demo-only account

# Demo people for each role (DEBUG only), all with DEMO_PASSWORD: (username, role, organisation
# slug or None, is_staff). Their scope follows from the membership and the organisation's role.
DEMO_PASSWORD_ENV = "DEMO_PASSWORD"
DEMO_DEFAULT_PASSWORD = "anchornet-demo-user"  # published: demo-only accounts
DEMO_USERS = (
    ("lead-editor", "editor", "batley-and-spen-lead-anchor-demo", False),
    ("local-editor", "editor", "batley-east-local-anchor-demo", False),
    ("leeds-editor", "editor", "chapel-allerton-anchor-demo", False),
    ("councillor", None, None, False),
)

# The demo councillor's term (fictional, like the account): (username, ward name, first day in
# office). Dewsbury West is in Dewsbury and Mirfield, whose demo plan is shared with councillors
# (``plans.demo_data``), so "Shared with you" lists it. Terms are dated because wards change at
# elections (docs/adr/0010-councillors-and-their-wards.md).
DEMO_COUNCILLOR_TERMS = (("councillor", "Dewsbury West", datetime.date(2026, 5, 8)),)

# Edits the demo people made to published profiles, waiting for an officer's review (the
# admin's "Profile edits for review"), made with the demo people (DEBUG only): (username,
# organisation slug, the fields they changed). Fictional contact details, as the groups'.
DEMO_PROFILE_EDITS = (
    (
        "local-editor",
        "batley-east-local-anchor-demo",
        {
            "description": (
                "A placeholder local anchor for the demo. It runs a weekly drop-in at the community "
                "room, with a hot drink, help with forms and a list of what groups run nearby."
            ),
            "email": "hello@batley-east-local-anchor-demo.example.org",
            "phone": "01632 960990",
        },
    ),
)
