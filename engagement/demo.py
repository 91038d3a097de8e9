"""The network's activity in the demo data (see ``core.demo``): three and a half years of
support relationships and engagements between the demo anchors and the demo groups of their
localities, with one Kirklees area (Rural) visibly quieter than the others, and a reason
recorded for each of its groups that has gone quiet, so the monitoring has a story to tell.

The skills and assets exchange gets current and met offers and needs of demo anchors and groups
in Batley and Spen (Kirklees) and Chapel Allerton (Leeds), so that the demo lead-anchor and Leeds
editors see needs they could meet, and a met need shows its engagement on the log.

Only fictional records take part: real organisations get no invented activity. The records
are generated from fixed seeds and dates, so every run makes the same ones; they are written
in bulk (a few queries in all), and a second run finds them all and writes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from core.demo import DemoLoader
from core.models import PublicationStatus
from localities.models import Locality
from organisations.demo import DemoOrganisations
from organisations.models import AnchorRole, GroupSubmission, Organisation, TaxonomyTerm

from .models import (
    SKILLS_TAXONOMY,
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
    QuietNote,
    QuietReason,
    SupportKind,
    SupportRelationship,
    SupportRequest,
    SupportRequestStatus,
)
from .routing import route_for
from .selectors import quiet_after_days
from .services import exchange_anchor_for

START = datetime.date(2023, 4, 3)
END = datetime.date(2026, 11, 27)
# The area whose anchors log far less: the scrutiny panel's question, in the demo.
QUIET_AREA = "kirklees-rural"
BUSY_GAP_DAYS = (20, 60)
QUIET_GAP_DAYS = (150, 300)

OUTCOMES = {
    EngagementKind.FIRST_CONTACT: "Introduced the network; the group would like to hear more.",
    EngagementKind.ADVICE: "Talked through the group's questions; notes sent afterwards.",
    EngagementKind.TRAINING: "Attended the safeguarding refresher.",
    EngagementKind.FUNDING_BID_SUPPORT: "Reviewed a draft bid to a local community fund.",
    EngagementKind.SIGNPOSTING: "Pointed to the council's community grants and the CVS.",
    EngagementKind.REFERRAL: "Referred a resident to the group's drop-in.",
    EngagementKind.EVENT: "Came to the network's winter get-together.",
    EngagementKind.VISIT: "Visited a session; the group is thriving.",
}
# Skills-exchange contacts come from accepted matches (``_load_exchange``), and a request's
# steps are logged by the request queue: neither is invented from the log's rhythm.
LATER_KINDS = [
    kind
    for kind in EngagementKind
    if kind not in {EngagementKind.FIRST_CONTACT, EngagementKind.SKILLS_EXCHANGE, EngagementKind.SUPPORT_REQUEST}
]


@dataclass(frozen=True)
class _Entry:
    anchor: Organisation
    occurred_on: datetime.date
    kind: str
    groups: tuple[Organisation, ...]
    follow_up_on: datetime.date | None


def _plan(anchor: Organisation, groups: list[Organisation], quiet: bool, rng: random.Random) -> list[_Entry]:
    """One anchor's log: a first contact with each group before anything else with it."""
    entries = []
    contacted: set[int] = set()
    low, high = QUIET_GAP_DAYS if quiet else BUSY_GAP_DAYS
    day = START + datetime.timedelta(days=rng.randint(0, 30))
    while day <= END and groups:
        chosen = rng.sample(groups, k=min(len(groups), rng.choice([1, 1, 1, 2, 3])))
        new = [group for group in chosen if group.pk not in contacted]
        kind = EngagementKind.FIRST_CONTACT if new else rng.choice(LATER_KINDS)
        involved = tuple(new or chosen)
        contacted.update(group.pk for group in involved)
        follow_up = day + datetime.timedelta(days=28) if rng.random() < 0.2 else None
        entries.append(_Entry(anchor, day, kind, involved, follow_up))
        day += datetime.timedelta(days=rng.randint(low, high))
    return entries


def _quiet_at_end(groups: list[Organisation], log: list[_Entry]) -> list[Organisation]:
    """The groups nothing in ``log`` involved in the ``QUIET_AFTER_DAYS`` before END: the ones
    the anchor records a reason for."""
    since = END - datetime.timedelta(days=quiet_after_days())
    recent = {group.pk for entry in log if entry.occurred_on > since for group in entry.groups}
    return [group for group in groups if group.pk not in recent]


def load_demo_engagement(loader: DemoLoader, organisations: DemoOrganisations) -> None:
    # The demo groups were on the network's books before the log begins: the dashboard counts
    # a closed quarter's "groups known" from when each record was made (or first met).
    Organisation.objects.filter(is_demo=True, created_at__date__gt=START).update(
        created_at=timezone.make_aware(datetime.datetime.combine(START, datetime.time(9)))
    )
    roles = (
        AnchorRole.objects.current()
        .filter(organisation__is_demo=True)
        .select_related("organisation", "locality__parent")
        .order_by("organisation__slug", "locality__slug")
    )
    entries: list[_Entry] = []
    relationships: list[SupportRelationship] = []
    quiet_groups: list[Organisation] = []
    for role in roles:
        anchor = role.organisation
        groups = list(
            Organisation.objects.public()
            .community_groups()
            .filter(is_demo=True)
            .serving(role.locality)
            .order_by("slug")
        )
        rng = random.Random(f"{anchor.slug}/{role.locality.slug}")
        quiet = role.locality.slug == QUIET_AREA or (
            role.locality.parent_id is not None and role.locality.parent.slug == QUIET_AREA
        )
        log = _plan(anchor, groups, quiet, rng)
        entries += log
        if quiet:
            quiet_groups += _quiet_at_end(groups, log)
            continue
        # A third of the groups get support of their own, from a while after first contact;
        # one in four of those has ended.
        for group in groups[: max(1, len(groups) // 3)]:
            first = min((entry.occurred_on for entry in log if group in entry.groups), default=None)
            if first is None:
                continue
            started = first + datetime.timedelta(days=rng.randint(30, 120))
            ended = started + datetime.timedelta(days=rng.randint(200, 500)) if rng.random() < 0.25 else None
            relationships.append(
                SupportRelationship(
                    anchor=anchor,
                    group=group,
                    kind=rng.choice(list(SupportKind)),
                    started_on=started,
                    ended_on=ended if ended and ended <= END else None,
                    end_reason="The group now runs it without help." if ended and ended <= END else "",
                )
            )
    _save_entries(loader, entries)
    _save_relationships(loader, relationships)
    _save_quiet_notes(loader, quiet_groups)
    _load_exchange(loader, organisations)
    _save_support_requests(loader)
    _save_group_submissions(loader)


def _save_entries(loader: DemoLoader, entries: list[_Entry]) -> None:
    existing = set(Engagement.objects.values_list("anchor_id", "occurred_on", "kind"))
    new = [entry for entry in entries if (entry.anchor.pk, entry.occurred_on, entry.kind) not in existing]
    made = Engagement.objects.bulk_create(
        [
            Engagement(
                anchor=entry.anchor,
                occurred_on=entry.occurred_on,
                kind=entry.kind,
                outcome=OUTCOMES[entry.kind],
                follow_up_on=entry.follow_up_on,
                follow_up_done=entry.follow_up_on is not None and entry.follow_up_on < END,
            )
            for entry in new
        ]
    )
    through = Engagement.organisations.through
    through.objects.bulk_create(
        [
            through(engagement_id=engagement.pk, organisation_id=group.pk)
            for engagement, entry in zip(made, new, strict=True)
            for group in entry.groups
        ]
    )
    loader.created["Engagement"] += len(made)


def _save_relationships(loader: DemoLoader, relationships: list[SupportRelationship]) -> None:
    existing = set(SupportRelationship.objects.values_list("anchor_id", "group_id", "kind", "started_on"))
    new = [
        relationship
        for relationship in relationships
        if (relationship.anchor.pk, relationship.group.pk, relationship.kind, relationship.started_on) not in existing
    ]
    SupportRelationship.objects.bulk_create(new)
    loader.created["SupportRelationship"] += len(new)


def _save_quiet_notes(loader: DemoLoader, groups: list[Organisation]) -> None:
    noted = set(QuietNote.objects.values_list("organisation_id", flat=True))
    reasons = [QuietReason.NO_CAPACITY, QuietReason.NOT_KNOWN, QuietReason.FOLDED, QuietReason.DECLINED_CONTACT]
    notes = [
        QuietNote(organisation=group, reason=reasons[index % len(reasons)], note="Recorded at the quarterly review.")
        for index, group in enumerate(dict.fromkeys(groups))
        if group.pk not in noted
    ]
    QuietNote.objects.bulk_create(notes)
    loader.created["QuietNote"] += len(notes)


class ExchangeFact(NamedTuple):
    organisation: str  # slug
    direction: str
    term: str  # slug, in SKILLS_TAXONOMY
    description: str
    met_by: str = ""  # slug of the organisation that met the need
    closed_on: datetime.date | None = None


OFFER, NEED = ExchangeDirection.OFFER, ExchangeDirection.NEED
BATLEY_LEAD = "batley-and-spen-lead-anchor-demo"
BATLEY_EAST = "batley-east-local-anchor-demo"
CHAPEL_ALLERTON = "chapel-allerton-anchor-demo"
EXCHANGE = (
    # Batley and Spen: the lead anchor and a local anchor offer; groups in its wards need.
    ExchangeFact(
        BATLEY_LEAD, OFFER, "safeguarding-training", "Termly safeguarding refresher for volunteers, at our centre."
    ),
    ExchangeFact(
        BATLEY_LEAD, OFFER, "funding-bids", "A worker to read a draft bid and suggest changes within a fortnight."
    ),
    ExchangeFact(BATLEY_LEAD, OFFER, "minibus", "16-seat minibus with a driver, weekday daytimes."),
    ExchangeFact(BATLEY_LEAD, OFFER, "dbs-checks", "We process DBS checks for small groups' volunteers, free."),
    ExchangeFact(
        BATLEY_EAST, OFFER, "premises-and-rooms", "Community room for up to 30, free for groups on weekday evenings."
    ),
    ExchangeFact(BATLEY_EAST, OFFER, "digital-skills", "Drop-in help with laptops, email and online forms."),
    ExchangeFact(
        BATLEY_EAST, OFFER, "interpreting", "Urdu and Punjabi interpreting.", closed_on=datetime.date(2026, 9, 1)
    ),
    ExchangeFact(
        "batley-sewing-circle-demo", NEED, "safeguarding-training", "Two new volunteers need safeguarding training."
    ),
    ExchangeFact(
        "batley-west-community-pantry-demo",
        NEED,
        "minibus",
        "Collecting surplus food from supermarkets, Saturday mornings.",
    ),
    ExchangeFact("spen-valley-mens-shed-demo", NEED, "funding-bids", "Help with a bid for a new workshop roof."),
    ExchangeFact("heckmondwike-job-club-demo", NEED, "digital-skills", "Someone to show members how to apply online."),
    ExchangeFact("birstall-walking-group-demo", NEED, "first-aid-training", "First aid training for our walk leaders."),
    ExchangeFact(
        "cleckheaton-community-cinema-demo", NEED, "event-equipment", "A projector screen for outdoor screenings."
    ),
    ExchangeFact(
        "birkenshaw-carers-support-demo",
        NEED,
        "dbs-checks",
        "DBS checks for three new befrienders.",
        met_by=BATLEY_LEAD,
        closed_on=datetime.date(2026, 10, 14),
    ),
    # Chapel Allerton (Leeds, anchors as peers): the ward's anchor and its groups.
    ExchangeFact(CHAPEL_ALLERTON, OFFER, "digital-skills", "Volunteers who set up online rotas and shared calendars."),
    ExchangeFact(CHAPEL_ALLERTON, OFFER, "premises-and-rooms", "A hall for 60 with a kitchen, evenings and weekends."),
    ExchangeFact(CHAPEL_ALLERTON, OFFER, "event-equipment", "Gazebos, tables and a PA system to lend."),
    ExchangeFact(
        "chapel-allerton-carers-circle-demo", NEED, "digital-skills", "Help setting up an online rota for carers."
    ),
    ExchangeFact(
        "chapeltown-steel-pan-collective-demo",
        NEED,
        "premises-and-rooms",
        "Rehearsal space for 12 players, Tuesday evenings.",
    ),
    ExchangeFact(
        "chapeltown-steel-pan-collective-demo",
        NEED,
        "marketing-and-social-media",
        "Posters and posts for our summer concert.",
    ),
    ExchangeFact(
        "chapeltown-steel-pan-collective-demo",
        NEED,
        "event-equipment",
        "A PA system for the carnival stage.",
        met_by=CHAPEL_ALLERTON,
        closed_on=datetime.date(2026, 8, 3),
    ),
)


def _load_exchange(loader: DemoLoader, organisations: DemoOrganisations) -> None:
    """The exchange's offers and needs (``EXCHANGE``); a met need with its engagement on the
    log of the anchor ``exchange_anchor_for`` names, as accepting the match would have made."""
    terms = {term.slug: term for term in TaxonomyTerm.objects.in_taxonomy(SKILLS_TAXONOMY)}
    for fact in EXCHANGE:
        organisation = organisations.by_slug[fact.organisation]
        met_by = organisations.by_slug[fact.met_by] if fact.met_by else None
        closed_at = (
            datetime.datetime.combine(fact.closed_on, datetime.time(10), tzinfo=datetime.UTC)
            if fact.closed_on
            else None
        )
        engagement = None
        if met_by is not None:
            term = terms[fact.term]
            engagement = loader.upsert(
                Engagement,
                {
                    "anchor": exchange_anchor_for(offerer=met_by, need_organisation=organisation),
                    "occurred_on": fact.closed_on,
                    "kind": EngagementKind.SKILLS_EXCHANGE,
                },
                {"outcome": f"Skills exchange: {met_by.name} meets {organisation.name}'s need ({term.name})."},
            )
            loader.set_related(engagement, "organisations", [organisation, met_by])
        loader.upsert(
            ExchangeEntry,
            {"organisation": organisation, "direction": fact.direction, "term": terms[fact.term]},
            {"description": fact.description, "closed_at": closed_at, "met_by": met_by, "engagement": engagement},
        )


# Open requests for support in Batley and Spen (routed, by the rule, to its lead anchor, whose
# demo editor signs in as lead-editor): one received long ago and never acknowledged, so it is
# overdue; one received as the demo is loaded; two being worked on. Fictional people, with
# example.org addresses.
DEMO_REQUESTS = [
    # reference, days before END received (None: when loaded), status, group, need
    (
        "ANR-2026-90001",
        57,
        SupportRequestStatus.NEW,
        "Birstall Allotment Friends (demo)",
        "We would like help applying for a small grant to fix the shared shed.",
    ),
    (
        "ANR-2026-90002",
        None,
        SupportRequestStatus.NEW,
        "Batley Knit and Natter (demo)",
        "We are looking for a free room for twelve people on Tuesday afternoons.",
    ),
    (
        "ANR-2026-90003",
        11,
        SupportRequestStatus.ACKNOWLEDGED,
        "Heckmondwike Youth Football (demo)",
        "Our coaches need safeguarding training before the spring season.",
    ),
    (
        "ANR-2026-90004",
        30,
        SupportRequestStatus.IN_PROGRESS,
        "Cleckheaton Litter Pickers (demo)",
        "We want to recruit more volunteers and do not know where to start.",
    ),
]
DEMO_REQUEST_AREA = "batley-and-spen"


def _save_support_requests(loader: DemoLoader) -> None:
    existing = set(
        SupportRequest.objects.filter(reference__startswith="ANR-2026-9").values_list("reference", flat=True)
    )
    area = Locality.objects.filter(slug=DEMO_REQUEST_AREA).first()
    if area is None:
        return
    route = route_for(area)
    now = timezone.now()
    end = timezone.make_aware(datetime.datetime.combine(END, datetime.time(10)))
    for number, (reference, days_before, status, group, need) in enumerate(DEMO_REQUESTS, start=1):
        if reference in existing:
            continue
        received = now if days_before is None else end - datetime.timedelta(days=days_before)
        request = SupportRequest.objects.create(
            reference=reference,
            group_name=group,
            need=need,
            locality=area,
            postcode_district="WF17",
            contact_name=f"Demo Requester {number}",
            contact_email=f"requester{number}@example.org",
            consented_at=received,
            anchor=route.anchor,
            network=route.network,
            route=route.route,
            status=status,
            acknowledged_at=None if status == SupportRequestStatus.NEW else received + datetime.timedelta(days=2),
        )
        # created_at is set on save; the demo back-dates it to when the request arrived.
        SupportRequest.objects.filter(pk=request.pk).update(created_at=received)
        loader.created["SupportRequest"] += 1


# New groups sent through "Add your group" for Batley and Spen, waiting in its lead anchor's
# review queue (/new-groups/, demo editor lead-editor). The first is the same group as the
# listed "Batley Sewing Circle (demo)" under another spelling, so the queue shows a likely
# duplicate. Fictional senders, with example.org addresses.
DEMO_NEW_GROUPS = [
    # slug, name, ward, postcode, days before END sent, description
    (
        "the-batley-sewing-circle-demo-new",
        "The Batley Sewing Circle (demo)",
        "Batley East",
        "WF17 5BQ",
        9,
        "We sew, mend and chat on Thursday mornings at the community centre.",
    ),
    (
        "batley-knit-and-natter-demo-new",
        "Batley Knit and Natter (demo)",
        "Batley East",
        "WF17 5AB",
        4,
        "Knitting, crochet and a cuppa every Tuesday afternoon; beginners welcome.",
    ),
    (
        "birstall-bat-walks-demo-new",
        "Birstall Bat Walks (demo)",
        "Birstall and Birkenshaw",
        "WF17 9AA",
        1,
        "Summer evening walks to spot bats in Oakwell Hall country park.",
    ),
]


def _save_group_submissions(loader: DemoLoader) -> None:
    """The open new groups of ``DEMO_NEW_GROUPS``, each a draft with its submission, routed as
    the form routes them (``route_for``). Made once: a group already there (perhaps decided
    meanwhile by someone trying the demo) is left as it is."""
    existing = set(
        Organisation.objects.filter(slug__in=[slug for slug, *_ in DEMO_NEW_GROUPS]).values_list("slug", flat=True)
    )
    wards = {
        ward.name: ward
        for ward in Locality.objects.filter(
            parent__slug=DEMO_REQUEST_AREA, name__in={ward for _, _, ward, *_ in DEMO_NEW_GROUPS}
        )
    }
    end = timezone.make_aware(datetime.datetime.combine(END, datetime.time(11)))
    for number, (slug, name, ward_name, postcode, days_before, description) in enumerate(DEMO_NEW_GROUPS, start=1):
        ward = wards.get(ward_name)
        if slug in existing or ward is None:
            continue
        draft = loader.upsert(
            Organisation,
            {"slug": slug},
            {
                "name": name,
                "description": description,
                "postcode": postcode,
                "status": PublicationStatus.DRAFT,
                "is_demo": True,
            },
        )
        draft.localities.set([ward])
        submission = loader.upsert(
            GroupSubmission,
            {"organisation": draft},
            {
                "reviewer": route_for(ward).anchor,
                "locality": ward,
                "submitter_name": f"Demo Sender {number}",
                "submitter_email": f"sender{number}@example.org",
            },
        )
        # created_at is set on save; the demo back-dates it to when the group was sent.
        GroupSubmission.objects.filter(pk=submission.pk).update(created_at=end - datetime.timedelta(days=days_before))
