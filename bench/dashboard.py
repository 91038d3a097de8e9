"""Time the monitoring dashboard (issue 14's performance target) on a throwaway database.

Builds one tiered network — 4 areas of 10 wards, 4 lead anchors and 56 local anchors (60),
500 community groups, five years of weekly engagements per anchor (about 15,600, each with one
to three groups), support relationships, requests and exchange entries — then renders
``/dashboard/`` for a whole network and a financial year as an officer, the network
coordinator's editor and a lead anchor's editor, and prints the server time's p50 and p95 and
the number of queries per page.

    .venv/bin/python bench/dashboard.py            # SQLite in a temporary file
    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py   # a database it may empty

The target (issue 14): under 250 ms at p95 for a whole network and a financial year.
"""

from __future__ import annotations

import datetime
import importlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="anchornet-bench-")
# BENCH_DB keeps the SQLite file between runs (built once, reused while it holds the network).
os.environ.setdefault("DATABASE_URL", f"sqlite:///{os.environ.get('BENCH_DB') or _tmp.name + '/bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anchornet.settings.test")

# Loaded as gunicorn loads it (anchornet.wsgi), so the timings include what the server does
# at start-up, such as freezing what it loaded out of the garbage collector's way.
importlib.import_module("anchornet.wsgi")

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from engagement.models import (  # noqa: E402
    Engagement,
    EngagementKind,
    SupportKind,
    SupportRelationship,
    SupportRequest,
    SupportRoute,
)
from localities.models import Locality, LocalityKind  # noqa: E402
from organisations.models import (  # noqa: E402
    AnchorRole,
    AnchorRoleKind,
    Membership,
    MembershipRole,
    Network,
    NetworkStructure,
    Organisation,
    OrganisationKind,
)
from portal.periods import financial_year_of  # noqa: E402

AREAS, WARDS_PER_AREA, LOCALS_PER_AREA, GROUPS, YEARS = 4, 10, 14, 500, 5
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
random.seed(14)


def build() -> dict:
    """The network, its people and five years of its records; returns the users to time."""
    from django.contrib.auth import get_user_model

    today = timezone.localdate()
    district = Locality.objects.create(name="Benchshire", slug="benchshire", kind=LocalityKind.DISTRICT)
    coordinator = Organisation.objects.create(
        name="Bench Voluntary Action", slug="bench-va", kind=OrganisationKind.INFRASTRUCTURE_CHARITY
    )
    network = Network.objects.create(
        name="Benchshire Anchors",
        slug="benchshire-anchors",
        district=district,
        coordinator=coordinator,
        structure=NetworkStructure.TIERED,
    )
    wards_by_area, anchors_by_area = {}, {}
    for a in range(AREAS):
        area = Locality.objects.create(name=f"Area {a}", slug=f"area-{a}", kind=LocalityKind.AREA, parent=district)
        wards = [
            Locality.objects.create(name=f"Ward {a}-{w}", slug=f"ward-{a}-{w}", parent=area)
            for w in range(WARDS_PER_AREA)
        ]
        lead_org = Organisation.objects.create(name=f"Lead {a}", slug=f"lead-{a}")
        lead = AnchorRole.objects.create(
            organisation=lead_org, network=network, role=AnchorRoleKind.LEAD_ANCHOR, locality=area
        )
        anchors = [lead_org]
        for n in range(LOCALS_PER_AREA):
            org = Organisation.objects.create(name=f"Local {a}-{n}", slug=f"local-{a}-{n}")
            AnchorRole.objects.create(
                organisation=org,
                network=network,
                role=AnchorRoleKind.LOCAL_ANCHOR,
                lead=lead,
                locality=wards[n % WARDS_PER_AREA],
            )
            anchors.append(org)
        wards_by_area[a], anchors_by_area[a] = wards, anchors
    groups_by_area: dict[int, list[Organisation]] = {a: [] for a in range(AREAS)}
    groups = Organisation.objects.bulk_create(
        Organisation(name=f"Group {g}", slug=f"group-{g}", name_key=f"group {g}", status="published")
        for g in range(GROUPS)
    )
    served = []
    for group in groups:
        area = random.randrange(AREAS)
        groups_by_area[area].append(group)
        for ward in random.sample(wards_by_area[area], random.choice([1, 1, 2])):
            served.append(Organisation.localities.through(organisation=group, locality=ward))
    Organisation.localities.through.objects.bulk_create(served)

    entries, links = [], []
    kinds = [kind for kind in EngagementKind.values if kind != EngagementKind.SUPPORT_REQUEST]
    for area, anchors in anchors_by_area.items():
        for anchor in anchors:
            for week in range(YEARS * 52):
                entries.append(
                    Engagement(
                        anchor=anchor,
                        occurred_on=today - datetime.timedelta(weeks=week, days=random.randrange(7)),
                        kind=random.choice(kinds),
                        follow_up_on=today + datetime.timedelta(days=random.randrange(-60, 60))
                        if random.random() < 0.1
                        else None,
                    )
                )
                links.append(random.sample(groups_by_area[area], random.choice([1, 1, 2, 3])))
    entries = Engagement.objects.bulk_create(entries, batch_size=2000)
    Engagement.organisations.through.objects.bulk_create(
        (
            Engagement.organisations.through(engagement=entry, organisation=group)
            for entry, involved in zip(entries, links, strict=True)
            for group in involved
        ),
        batch_size=5000,
    )
    relationships = []
    for area, anchors in anchors_by_area.items():
        for group in random.sample(groups_by_area[area], len(groups_by_area[area]) // 2):
            started = today - datetime.timedelta(days=random.randrange(YEARS * 365))
            ended = started + datetime.timedelta(days=random.randrange(30, 700)) if random.random() < 0.4 else None
            relationships.append(
                SupportRelationship(
                    anchor=random.choice(anchors),
                    group=group,
                    kind=random.choice(SupportKind.values),
                    started_on=started,
                    ended_on=ended if ended and ended < today else None,
                    end_reason="Finished" if ended and ended < today else "",
                )
            )
    SupportRelationship.objects.bulk_create(relationships)
    SupportRequest.objects.bulk_create(
        SupportRequest(
            reference=f"ANR-B-{n:05d}",
            group_name=f"Requester {n}",
            need="Help",
            contact_name="Sam",
            contact_email=f"r{n}@example.org",
            consented_at=timezone.now(),
            anchor=anchors_by_area[n % AREAS][0],
            locality=random.choice(wards_by_area[n % AREAS]),
            network=network,
            route=SupportRoute.LEAD_ANCHOR,
        )
        for n in range(300)
    )
    people = get_user_model().objects
    people.create_user("bench-officer", password="x", is_staff=True)
    Membership.objects.create(
        user=people.create_user("bench-coordinator", password="x"), organisation=coordinator, role=MembershipRole.EDITOR
    )
    Membership.objects.create(
        user=people.create_user("bench-anchor", password="x"),
        organisation=anchors_by_area[0][0],
        role=MembershipRole.EDITOR,
    )
    return users()


def users() -> dict:
    """The three people to time, by what they look at."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects
    officer, coordinator_editor, anchor_editor = (
        people.get(username=name) for name in ("bench-officer", "bench-coordinator", "bench-anchor")
    )
    return {
        "officer, whole network": (officer, "benchshire"),
        "coordinator, whole network": (coordinator_editor, "benchshire"),
        "lead anchor, its area": (anchor_editor, "area-0"),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    views = users() if Network.objects.filter(slug="benchshire-anchors").exists() else build()
    print(
        f"Built in {time.perf_counter() - started:.0f} s: {Organisation.objects.count()} organisations, "
        f"{Engagement.objects.count()} engagements, {Engagement.organisations.through.objects.count()} "
        f"engagement-organisation links ({connection.vendor})."
    )
    year = financial_year_of(timezone.localdate()) - 1  # the last whole financial year
    for name, (user, place) in views.items():
        client = Client()
        client.force_login(user)
        query = {"place": place, "period": "year", "year": str(year)}
        client.get("/dashboard/", query)  # warm caches (templates, the holiday calendar)
        times = []
        for _run in range(RUNS):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get("/dashboard/", query)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:30} p50 {statistics.median(times):6.0f} ms   p95 {p95:6.0f} ms   {len(captured)} queries")


if __name__ == "__main__":
    main()
