"""Time an officer's large organisations import (issue 17) on a throwaway database.

Builds two councils (Leeds and Kirklees, 4 areas of 8 wards each), a peer network with a lead
anchor in each area, 12 service terms and 2,000 organisations already in the directory; writes
a CSV of ``BENCH_ROWS`` rows (20,000 unless told) as an officer's list would be — names of
groups and charities, real-shaped postcodes in the councils' districts, charity and company
numbers, kinds, one or two wards each, service terms, an anchor role on one Leeds row in a
hundred, and one row in twenty a record we already hold (by charity number, or by the same
name spelt another way with the same postcode) — then measures, through the resource the admin
and the commands use, the rows a second and the queries a row of the preview (a dry run) and of
the apply.

    .venv/bin/python bench/imports.py                           # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/imports.py   # a database it may empty
    BENCH_ROWS=200 .venv/bin/python bench/imports.py            # the small run CI's smoke test makes

Figures are in docs/performance.md. ``BENCH_PROFILE=1`` prints the preview's 25 costliest
functions (cProfile, cumulative time).
"""

from __future__ import annotations

import cProfile
import csv
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(ROOT))
    _tmp = tempfile.TemporaryDirectory(prefix="anchornet-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anchornet.settings.test")
    import django

    django.setup()

from django.db import connection

from core.imports import import_failed, read_table, row_messages
from localities.models import Locality, LocalityKind
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    Network,
    NetworkStructure,
    Organisation,
    OrganisationKind,
    Taxonomy,
    TaxonomyTerm,
    name_key,
)
from organisations.resources import OrganisationResource

COUNCILS = {
    "Leeds": ("E08000035", ["LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS13", "LS14"]),
    "Kirklees": ("E08000034", ["HD1", "HD2", "HD3", "HD4", "WF12", "WF13", "WF15", "WF17"]),
}
AREAS_PER_COUNCIL, WARDS_PER_AREA, EXISTING = 4, 8, 2000
TERMS = ["Food support", "Youth activities", "Older people", "Mental health", "Advice", "Digital skills",
         "Arts and culture", "Sport", "Employment support", "Housing", "Family support", "Faith"]  # fmt: skip
PLACES = ["Armley", "Bramley", "Seacroft", "Harehills", "Beeston", "Holbeck", "Gipton", "Chapeltown", "Dewsbury",
          "Batley", "Heckmondwike", "Ravensthorpe", "Almondbury", "Lockwood", "Deighton", "Thornhill"]  # fmt: skip
ACTIVITIES = ["Food Bank", "Youth Club", "Lunch Club", "Community Choir", "Tenants Association", "Men's Shed",
              "Toddler Group", "Allotment Society", "Boxing Club", "Credit Union", "Sewing Circle",
              "Walking Group", "Mosque Trust", "Parish Hall", "Wellbeing Hub", "Carers Network", "Repair Cafe",
              "Cricket Club"]  # fmt: skip
SUFFIXES = ["", "", " CIC", " Trust", " and Friends", " Association", " Project"]
HEADERS = ["name", "kind", "postcode", "charity_number", "company_number", "council", "areas_served",
           "taxonomy_terms", "anchor_roles", "url"]  # fmt: skip


def build(existing: int = EXISTING) -> dict:
    """The councils, their wards, a peer network with one anchor, the service terms and
    ``existing`` organisations. Returns what the file generator reads."""
    rng = random.Random(17)
    wards_by_council: dict[str, list[Locality]] = {}
    network = None
    for council, (code, _districts) in COUNCILS.items():
        district = Locality.objects.create(
            name=council, slug=council.lower(), kind=LocalityKind.DISTRICT, gss_code=code
        )
        wards_by_council[council] = []
        for a in range(AREAS_PER_COUNCIL):
            area = Locality.objects.create(
                name=f"{council} Area {a}", slug=f"{council.lower()}-area-{a}", kind=LocalityKind.AREA, parent=district
            )
            for w in range(WARDS_PER_AREA):
                place = PLACES[(a * WARDS_PER_AREA + w) % len(PLACES)]
                wards_by_council[council].append(
                    Locality.objects.create(
                        name=f"{place} {council} {a}-{w}",
                        slug=f"{council.lower()}-ward-{a}-{w}",
                        parent=area,
                        gss_code=f"E05{code[-3:]}{a}{w:02d}",
                    )
                )
        if council == "Leeds":
            coordinator = Organisation.objects.create(name="Bench Voluntary Action", slug="bench-va")
            network = Network.objects.create(
                name="Leeds Anchors",
                slug="leeds-anchors",
                district=district,
                coordinator=coordinator,
                structure=NetworkStructure.PEER,
            )
    taxonomy, _created = Taxonomy.objects.get_or_create(name="AnchorNet services and needs")
    TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(taxonomy=taxonomy, name=name, slug=f"bench-{n}", code=f"bench-{n}") for n, name in enumerate(TERMS)
    )
    held = []
    for n in range(existing):
        council = rng.choice(list(COUNCILS))
        name = f"{rng.choice(PLACES)} {rng.choice(ACTIVITIES)}{rng.choice(SUFFIXES)} {n}"
        held.append(
            Organisation(
                name=name,
                slug=f"existing-{n}",
                name_key=name_key(name),
                postcode=_postcode(rng, council),
                postcode_outward="",
                charity_number=str(1_100_000 + n) if n % 3 == 0 else "",
            )
        )
    for organisation in held:
        organisation.postcode_outward = organisation.postcode.split(" ")[0]
    Organisation.objects.bulk_create(held, batch_size=1000)
    lead = Organisation.objects.create(name="Bench Anchor", slug="bench-anchor")
    AnchorRole.objects.create(
        organisation=lead, network=network, role=AnchorRoleKind.ANCHOR, locality=wards_by_council["Leeds"][0]
    )
    return {"wards": wards_by_council, "existing": list(Organisation.objects.exclude(charity_number="")[:400])}


def _postcode(rng: random.Random, council: str) -> str:
    district = rng.choice(COUNCILS[council][1])
    return f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def write_csv(rows: int, world: dict, *, seed: int = 20, start: int = 0) -> bytes:
    """An officer's organisations list of ``rows`` rows (see the module docstring), as UTF-8
    CSV bytes with a byte-order mark, as Excel saves "CSV UTF-8". Rows are numbered from
    ``start`` (names, charity and company numbers), so two files can hold different groups."""
    rng = random.Random(seed)
    kinds = [label for _value, label in OrganisationKind.choices]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    existing = world["existing"]
    for n in range(start, start + rows):
        council = "Leeds" if n % 3 else "Kirklees"
        wards = rng.sample(world["wards"][council], rng.choice([1, 1, 2]))
        row = {
            "name": f"{rng.choice(PLACES)} {rng.choice(ACTIVITIES)}{rng.choice(SUFFIXES)} No {n}",
            "kind": rng.choice(kinds),
            "postcode": _postcode(rng, council),
            "charity_number": str(1_200_000 + n) if n % 4 == 0 else "",
            "company_number": f"{10_000_000 + n}" if n % 10 == 5 else "",
            "council": council,
            "areas_served": "; ".join(ward.name for ward in wards),
            "taxonomy_terms": "; ".join(rng.sample(TERMS, rng.choice([0, 1, 1, 2]))),
            "anchor_roles": "",
            "url": f"https://example.org/{n}" if n % 2 else "",
        }
        if n % 100 == 7 and council == "Leeds":
            row["anchor_roles"] = f"Leeds Anchors | Anchor | {wards[0].name}"
        if n % 20 == 3:
            # One row in twenty is a record we hold: by its charity number, under another spelling.
            held = existing[(n // 20) % len(existing)]
            row.update(name=held.name.upper().replace(" AND ", " & "), charity_number=held.charity_number)
            row.update(postcode=held.postcode, council="", areas_served="", anchor_roles="")
        writer.writerow([row[name] for name in HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class QueryCounter:
    """A database execute wrapper that counts the queries it sees (``CaptureQueriesContext``
    keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(data: bytes, *, dry_run: bool, profile: bool = False) -> dict:
    """Read ``data`` and import it (``dry_run``: the preview). Returns the rows, seconds, rows
    a second, queries and the result totals.

    Raises:
        RuntimeError: the import failed (with its first problems).
    """
    resource = OrganisationResource()
    started = time.perf_counter()
    dataset = read_table(data, known_columns=resource.known_columns(), max_bytes=len(data) + 1)
    profiler = cProfile.Profile() if profile else None
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        if profiler:
            profiler.enable()
        result = resource.import_data(dataset, dry_run=dry_run, file_name="bench.csv")
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - started
    if import_failed(result):
        raise RuntimeError("; ".join(row_messages(result)[:5]))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    rows = len(dataset)
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else float("inf"),
        "queries": counter.count,
        "totals": dict(result.totals),
    }


def report(step: str, figures: dict) -> str:
    totals = figures["totals"]
    return (
        f"{step:8} {figures['rows']:>7,} rows in {figures['seconds']:6.1f} s: "
        f"{figures['rows_per_second']:7,.0f} rows/s, "
        f"{figures['queries'] / figures['rows']:5.1f} queries a row "
        f"({totals['new']:,} new, {totals['update']:,} updated, {totals['skip']:,} unchanged)"
    )


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = int(os.environ.get("BENCH_ROWS", "20000"))
    world = build()
    data = write_csv(rows, world)
    held = Organisation.objects.count()
    print(f"{rows:,}-row organisations CSV, {len(data) / 1e6:.1f} MB; {held:,} held ({connection.vendor})")
    print(report("preview", measure(data, dry_run=True, profile=bool(os.environ.get("BENCH_PROFILE")))))
    print(report("apply", measure(data, dry_run=False)))


if __name__ == "__main__":
    main()
