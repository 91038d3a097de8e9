"""The places behind ``manage.py load_demo_data``, as plain Python data: public facts about the
Leeds and Kirklees districts, the Kirklees network's four areas, and their wards with ONS GSS
codes (the 2018 Leeds wards, the 2004 Kirklees wards and those of the May 2026 redraw), copied
from the team's research notes. The loader never reads files at run time.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils.text import slugify

# ---------------------------------------------------------------------------------------------
# Localities
# ---------------------------------------------------------------------------------------------

LEEDS = "Leeds"
KIRKLEES = "Kirklees"

# Kirklees's wards were redrawn at the elections of Thursday 7 May 2026 (The Kirklees
# (Electoral Changes) Order 2025). An abolished ward's last day is the day before.
KIRKLEES_NEW_WARDS_FROM = datetime.date(2026, 5, 7)
KIRKLEES_OLD_WARDS_TO = datetime.date(2026, 5, 6)


class DistrictFact(NamedTuple):
    name: str
    slug: str
    gss_code: str
    description: str


DISTRICTS: tuple[DistrictFact, ...] = (
    DistrictFact(
        LEEDS,
        "leeds",
        "E08000035",
        "Metropolitan district of Leeds, served by the Leeds Community Anchor Network. "
        "33 wards, in force since the May 2018 elections.",
    ),
    DistrictFact(
        KIRKLEES,
        "kirklees",
        "E08000034",
        "Metropolitan district of Kirklees, served by the Kirklees Community Anchor Network. "
        "23 wards; the ward boundaries were redrawn at the May 2026 elections "
        "(The Kirklees (Electoral Changes) Order 2025).",
    ),
)

AREA_GROUPING_ASSUMED = "The grouping of wards into areas is assumed: no public source lists it."


class AreaFact(NamedTuple):
    district: str
    name: str
    slug: str


# Kirklees Community Anchor Network's four areas, each with a lead anchor.
AREAS: tuple[AreaFact, ...] = (
    AreaFact(KIRKLEES, "Huddersfield", "huddersfield"),
    AreaFact(KIRKLEES, "Rural", "kirklees-rural"),
    AreaFact(KIRKLEES, "Batley and Spen", "batley-and-spen"),
    AreaFact(KIRKLEES, "Dewsbury and Mirfield", "dewsbury-and-mirfield"),
)


class WardFact(NamedTuple):
    district: str
    area: str  # "" where the ward sits straight under its district (Leeds)
    name: str
    gss_code: str  # "" where our boundary source has no code for the ward


# The 33 Leeds wards (May 2018 boundaries) and the 23 Kirklees wards of 2004 to May 2026.
# GSS codes only where the ONS December 2019 boundary file has the ward (45 of 56).
WARDS: tuple[WardFact, ...] = (
    WardFact(LEEDS, "", "Adel and Wharfedale", ""),
    WardFact(LEEDS, "", "Alwoodley", ""),
    WardFact(LEEDS, "", "Ardsley and Robin Hood", "E05011384"),
    WardFact(LEEDS, "", "Armley", "E05011385"),
    WardFact(LEEDS, "", "Beeston and Holbeck", ""),
    WardFact(LEEDS, "", "Bramley and Stanningley", "E05011387"),
    WardFact(LEEDS, "", "Burmantofts and Richmond Hill", "E05011388"),
    WardFact(LEEDS, "", "Calverley and Farsley", "E05011389"),
    WardFact(LEEDS, "", "Chapel Allerton", "E05011390"),
    WardFact(LEEDS, "", "Cross Gates and Whinmoor", "E05011391"),
    WardFact(LEEDS, "", "Farnley and Wortley", ""),
    WardFact(LEEDS, "", "Garforth and Swillington", "E05011393"),
    WardFact(LEEDS, "", "Gipton and Harehills", "E05011394"),
    WardFact(LEEDS, "", "Guiseley and Rawdon", "E05011395"),
    WardFact(LEEDS, "", "Harewood", "E05011396"),
    WardFact(LEEDS, "", "Headingley and Hyde Park", "E05011397"),
    WardFact(LEEDS, "", "Horsforth", ""),
    WardFact(LEEDS, "", "Hunslet and Riverside", "E05011399"),
    WardFact(LEEDS, "", "Killingbeck and Seacroft", "E05011400"),
    WardFact(LEEDS, "", "Kippax and Methley", "E05011401"),
    WardFact(LEEDS, "", "Kirkstall", "E05011402"),
    WardFact(LEEDS, "", "Little London and Woodhouse", "E05011403"),
    WardFact(LEEDS, "", "Middleton Park", "E05011404"),
    WardFact(LEEDS, "", "Moortown", "E05011405"),
    WardFact(LEEDS, "", "Morley North", "E05011406"),
    WardFact(LEEDS, "", "Morley South", "E05011407"),
    WardFact(LEEDS, "", "Otley and Yeadon", ""),
    WardFact(LEEDS, "", "Pudsey", "E05011409"),
    WardFact(LEEDS, "", "Rothwell", "E05011410"),
    WardFact(LEEDS, "", "Roundhay", "E05011411"),
    WardFact(LEEDS, "", "Temple Newsam", "E05011412"),
    WardFact(LEEDS, "", "Weetwood", "E05011413"),
    WardFact(LEEDS, "", "Wetherby", "E05011414"),
    WardFact(KIRKLEES, "Batley and Spen", "Batley East", "E05001390"),
    WardFact(KIRKLEES, "Batley and Spen", "Batley West", "E05001391"),
    WardFact(KIRKLEES, "Batley and Spen", "Birstall and Birkenshaw", "E05001392"),
    WardFact(KIRKLEES, "Batley and Spen", "Cleckheaton", "E05001393"),
    WardFact(KIRKLEES, "Batley and Spen", "Heckmondwike", "E05001403"),
    WardFact(KIRKLEES, "Batley and Spen", "Liversedge and Gomersal", "E05001408"),
    WardFact(KIRKLEES, "Dewsbury and Mirfield", "Dewsbury East", "E05001398"),
    WardFact(KIRKLEES, "Dewsbury and Mirfield", "Dewsbury South", "E05001399"),
    WardFact(KIRKLEES, "Dewsbury and Mirfield", "Dewsbury West", "E05001400"),
    WardFact(KIRKLEES, "Dewsbury and Mirfield", "Mirfield", "E05001409"),
    WardFact(KIRKLEES, "Huddersfield", "Almondbury", ""),
    WardFact(KIRKLEES, "Huddersfield", "Ashbrow", "E05001389"),
    WardFact(KIRKLEES, "Huddersfield", "Crosland Moor and Netherton", ""),
    WardFact(KIRKLEES, "Huddersfield", "Dalton", "E05001396"),
    WardFact(KIRKLEES, "Huddersfield", "Greenhead", "E05001402"),
    WardFact(KIRKLEES, "Huddersfield", "Lindley", "E05001407"),
    WardFact(KIRKLEES, "Huddersfield", "Newsome", "E05001410"),
    WardFact(KIRKLEES, "Huddersfield", "Golcar", "E05001401"),
    WardFact(KIRKLEES, "Rural", "Colne Valley", ""),
    WardFact(KIRKLEES, "Rural", "Denby Dale", "E05001397"),
    WardFact(KIRKLEES, "Rural", "Holme Valley North", ""),
    WardFact(KIRKLEES, "Rural", "Holme Valley South", "E05001405"),
    WardFact(KIRKLEES, "Rural", "Kirkburton", ""),
)

# Kirklees wards abolished at the May 2026 elections.
KIRKLEES_ABOLISHED_WARDS: frozenset[str] = frozenset(
    {"Colne Valley", "Crosland Moor and Netherton", "Golcar", "Newsome"}
)

# The new Kirklees wards of May 2026 that our sources name (area grouping assumed). The 2026
# set has one more new ward, not named in our sources; no GSS codes for any of them yet.
KIRKLEES_NEW_WARDS: tuple[WardFact, ...] = (
    WardFact(KIRKLEES, "Rural", "Colne Valley East", ""),
    WardFact(KIRKLEES, "Rural", "Colne Valley West", ""),
    WardFact(KIRKLEES, "Huddersfield", "Crosland Moor", ""),
)


def ward_description(ward: WardFact) -> str:
    """A short neutral description of a ward, built from the facts above."""
    if ward.district == LEEDS:
        return "Ward of Leeds (boundaries in force since the May 2018 elections)."
    parts = [f"Ward of Kirklees, in the {ward.area} area of the Kirklees Community Anchor Network."]
    if ward in KIRKLEES_NEW_WARDS:
        parts.append(
            "Created at the elections of 7 May 2026 (The Kirklees (Electoral Changes) Order 2025). "
            "The 2026 ward set has one more new ward, not recorded here, and the boundaries of "
            "continuing wards changed too. No GSS code is recorded yet: it is not in our sources."
        )
    elif ward.name in KIRKLEES_ABOLISHED_WARDS:
        parts.append(
            "Ward of 2004 to May 2026: abolished at the elections of 7 May 2026 "
            "(The Kirklees (Electoral Changes) Order 2025); its last day was 6 May 2026."
        )
    else:
        parts.append(
            "The ward continues under the 2026 ward set, but its boundaries changed at the "
            "May 2026 elections; any GSS code shown is for the 2004 to 2026 ward."
        )
    if ward.name == "Golcar":
        parts.append("The grouping is assumed: Golcar could belong to the Rural area.")
    else:
        parts.append(AREA_GROUPING_ASSUMED)
    return " ".join(parts)


def area_description(area: AreaFact) -> str:
    return (
        f"One of the four areas of the Kirklees Community Anchor Network, each with a lead "
        f"anchor. {AREA_GROUPING_ASSUMED}"
    )


def locality_slugs() -> dict[tuple[str, str], str]:
    """Slugs for every locality keyed by (kind, name): ``slugify(name)``, made unique by
    adding the district's slug when two names would clash."""
    slugs: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for district in DISTRICTS:
        slugs["district", district.name] = district.slug
        used.add(district.slug)
    for area in AREAS:
        slugs["area", area.name] = area.slug
        used.add(area.slug)
    for ward in (*WARDS, *KIRKLEES_NEW_WARDS):
        slug = slugify(ward.name)
        if slug in used:
            slug = f"{slugify(ward.district)}-{slug}"
        if slug in used:  # pragma: no cover - no such clash in the data today
            raise ValueError(f"Cannot make a unique slug for {ward.name}")
        slugs["ward", ward.name] = slug
        used.add(slug)
    return slugs
