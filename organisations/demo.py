"""The organisations of the demo data (see ``core.demo``): the services-and-needs taxonomy,
initiatives, real organisations (public facts only), the two networks, their anchor roles and
the fictional community groups, from ``organisations.demo_data``; and, with DEBUG on, one demo
person per front-end role, with the profile edits they made waiting for an officer's review."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

from core.demo import DemoLoader, validate
from core.models import PublicationStatus
from core.permissions import COUNCILLOR_GROUP
from localities.demo import Places
from localities.models import Locality, LocalityKind, WardRepresentation

from . import demo_data as data
from .models import (
    AnchorRole,
    AnchorRoleKind,
    Initiative,
    Language,
    Membership,
    MembershipRole,
    Network,
    Organisation,
    ProfileRevision,
    ProfileRevisionStatus,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from .services import profile_values


@dataclass
class DemoOrganisations:
    """What the organisations part saved, for the parts that name its records (no queries)."""

    terms: dict[str, TaxonomyTerm] = field(default_factory=dict)  # by code
    initiatives: dict[str, Initiative] = field(default_factory=dict)  # by slug
    by_name: dict[str, Organisation] = field(default_factory=dict)
    by_slug: dict[str, Organisation] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)  # by slug
    lead_roles: dict[str, AnchorRole] = field(default_factory=dict)  # by area name


def load_demo_organisations(loader: DemoLoader, places: Places) -> DemoOrganisations:
    """Save the taxonomy, initiatives, organisations, networks and anchor roles; returns them."""
    saved = DemoOrganisations()
    _load_taxonomy(loader, saved)
    for initiative in data.INITIATIVES:
        saved.initiatives[initiative.slug] = loader.upsert(
            Initiative, {"slug": initiative.slug}, {"name": initiative.name, "description": initiative.description}
        )
    for fact in data.REAL_ORGANISATIONS:
        _save_organisation(
            loader,
            saved,
            name=fact.name,
            kind=fact.kind,
            description=fact.description + data.DEMO_SOURCE_SUFFIX,
            is_demo=False,
            localities=[places[fact.locality]],
            services=fact.services,
            initiatives=fact.initiatives,
        )
    for fact in data.NETWORKS:
        saved.networks[fact.slug] = loader.upsert(
            Network,
            {"slug": fact.slug},
            {
                "name": fact.name,
                "district": places["district", fact.district],
                "structure": fact.structure,
                "coordinator": saved.by_name[fact.coordinator],
                "description": fact.description,
            },
        )
    _load_anchor_roles(loader, saved, places)
    _load_demo_groups(loader, saved, places)
    return saved


def _load_taxonomy(loader: DemoLoader, saved: DemoOrganisations) -> None:
    taxonomy = loader.upsert(Taxonomy, {"name": data.TAXONOMY_NAME}, {"description": data.TAXONOMY_DESCRIPTION})
    for term in data.TERMS:
        saved.terms[term.code] = loader.upsert(
            TaxonomyTerm,
            {"slug": term.code},
            {
                "taxonomy": taxonomy,
                "code": term.code,
                "name": term.name,
                "description": term.description,
                "parent": None,
            },
        )


def _save_organisation(
    loader: DemoLoader,
    saved: DemoOrganisations,
    *,
    name: str,
    kind: str,
    description: str,
    is_demo: bool,
    status: str = PublicationStatus.PUBLISHED,
    localities: list[Locality],
    services: tuple[str, ...] = (),
    initiatives: tuple[str, ...] = (),
    contact: dict[str, str] | None = None,
) -> Organisation:
    contact = contact or {}
    organisation = loader.upsert(
        Organisation,
        {"slug": slugify(name)},
        {
            "name": name,
            "kind": kind,
            "description": description,
            "is_demo": is_demo,
            "status": status,
            # Only demo records carry (fictional) contact details; real ones never do.
            "email": contact.get("email", ""),
            "phone": contact.get("phone", ""),
            "address": contact.get("address", ""),
            "postcode": contact.get("postcode", ""),
            "website": "",
            "charity_number": "",
            "company_number": "",
        },
    )
    loader.set_related(organisation, "localities", localities)
    loader.set_related(organisation, "services", [saved.terms[code] for code in services])
    loader.set_related(organisation, "initiatives", [saved.initiatives[slug] for slug in initiatives])
    saved.by_name[name] = organisation
    saved.by_slug[organisation.slug] = organisation
    return organisation


def _save_role(
    loader: DemoLoader,
    saved: DemoOrganisations,
    places: Places,
    *,
    organisation: Organisation,
    network: str,
    role: str,
    locality: tuple[str, str],
    lead_area: str = "",
    joined_on: datetime.date | None = None,
    agreement_signed_on: datetime.date | None = None,
) -> AnchorRole:
    return loader.upsert(
        AnchorRole,
        {
            "organisation": organisation,
            "network": saved.networks[network],
            "locality": places[locality],
            "left_on": None,
        },
        {
            "role": role,
            "lead": saved.lead_roles[lead_area] if role == AnchorRoleKind.LOCAL_ANCHOR else None,
            "joined_on": joined_on,
            "agreement_signed_on": agreement_signed_on,
        },
    )


def _save_placeholder(
    loader: DemoLoader, saved: DemoOrganisations, places: Places, placeholder: data.PlaceholderAnchor
) -> Organisation:
    return _save_organisation(
        loader,
        saved,
        name=placeholder.name,
        kind="other",
        description=placeholder.description,
        is_demo=True,
        localities=[places[placeholder.locality]],
    )


def _load_anchor_roles(loader: DemoLoader, saved: DemoOrganisations, places: Places) -> None:
    # Lead anchors first: a local anchor's lead must exist (and be current) before it.
    for placeholder in data.KIRKLEES_LEAD_PLACEHOLDERS:
        saved.lead_roles[placeholder.locality[1]] = _save_role(
            loader,
            saved,
            places,
            organisation=_save_placeholder(loader, saved, places, placeholder),
            network=placeholder.network,
            role=placeholder.role,
            locality=placeholder.locality,
            joined_on=placeholder.joined_on,
            agreement_signed_on=placeholder.agreement_signed_on,
        )
    for fact in data.REAL_ANCHOR_ROLES:
        _save_role(
            loader,
            saved,
            places,
            organisation=saved.by_name[fact.organisation],
            network=fact.network,
            role=fact.role,
            locality=fact.locality,
            lead_area=fact.lead_area,
        )
    for placeholder in (*data.KIRKLEES_LOCAL_PLACEHOLDERS, *data.LEEDS_PLACEHOLDERS):
        _save_role(
            loader,
            saved,
            places,
            organisation=_save_placeholder(loader, saved, places, placeholder),
            network=placeholder.network,
            role=placeholder.role,
            locality=placeholder.locality,
            lead_area=placeholder.lead_area,
            joined_on=placeholder.joined_on,
            agreement_signed_on=placeholder.agreement_signed_on,
        )


def _load_demo_groups(loader: DemoLoader, saved: DemoOrganisations, places: Places) -> None:
    for district, groups in ((data.LEEDS, data.LEEDS_GROUPS), (data.KIRKLEES, data.KIRKLEES_GROUPS)):
        for index, group in enumerate(groups):
            _save_organisation(
                loader,
                saved,
                name=group.name,
                kind=group.kind,
                description=group.description,
                is_demo=True,
                status=group.status,
                localities=[places[("district", name) if name == district else ("ward", name)] for name in group.wards],
                services=group.services,
                initiatives=group.initiatives,
                contact=data.demo_contact(group, index, district),
            )
    languages = Language.objects.in_bulk(field_name="code")
    today = datetime.date.today()  # noqa: DTZ011 - a season's year, on the server's calendar
    for name, facts in data.DEMO_FACTS.items():
        _save_demo_facts(loader, saved.by_name[name], facts, languages, today)


def _save_demo_facts(
    loader: DemoLoader,
    organisation: Organisation,
    facts: data.DemoFacts,
    languages: dict[str, Language],
    today: datetime.date,
) -> None:
    """A demo group's cost, languages, access and weekly openings (``demo_data.DEMO_FACTS``).
    A season is dated in the year it next ends, so the demo always shows one."""
    loader.upsert(
        Organisation,
        {"pk": organisation.pk},
        {
            "cost_option": facts.cost,
            "cost_amount": Decimal(facts.amount) if facts.amount else None,
            "cost_amount_description": facts.cost_note,
            "step_free_access": facts.step_free,
            "accessibility_details": facts.access_note,
            "opening_hours": facts.hours,
        },
    )
    loader.set_related(organisation, "languages", [languages[code] for code in facts.languages])
    wanted = set()
    for opening in facts.openings:
        season = (None, None)
        if opening.season:
            start, end = (datetime.date.fromisoformat(f"{today.year}-{day}") for day in opening.season)
            if end < today:
                start, end = start.replace(year=today.year + 1), end.replace(year=today.year + 1)
            season = (start, end)
        for day in opening.days.split(",") if opening.days else [""]:
            wanted.add(
                (
                    day,
                    datetime.time.fromisoformat(opening.opens) if opening.opens else None,
                    datetime.time.fromisoformat(opening.closes) if opening.closes else None,
                    *season,
                    opening.by_appointment,
                    opening.notes,
                )
            )
    fields = ("byday", "opens_at", "closes_at", "valid_from", "valid_to", "by_appointment", "notes")
    if set(organisation.schedules.values_list(*fields)) == wanted:
        return
    # Opening times have no natural key: replace them all when any differs.
    organisation.schedules.all().delete()
    for row in sorted(wanted, key=str):
        schedule = Schedule(organisation=organisation, **dict(zip(fields, row, strict=True)))
        validate(schedule)
        schedule.save()
        loader.created["Schedule"] += 1


def load_demo_people(password: str, loader: DemoLoader) -> list[str]:
    """One demo person per front-end role (``demo_data.DEMO_USERS``): lead- and local-anchor
    editors (memberships of placeholder anchors) and a councillor (with the ward they represent),
    with ``password`` for new accounts (existing accounts keep theirs), and the profile edits
    they made, waiting for review (``demo_data.DEMO_PROFILE_EDITS``). Returns their usernames.
    Only with DEBUG on."""
    User = get_user_model()
    names = []
    for username, role, organisation_slug, is_staff in data.DEMO_USERS:
        user = User._default_manager.filter(username=username).first()
        if user is None:
            user = User._default_manager.create_user(
                username=username, email=f"{username}@example.org", password=password, is_staff=is_staff
            )
        if organisation_slug:
            Membership.objects.get_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=organisation_slug),
                defaults={"role": role or MembershipRole.EDITOR},
            )
        else:
            user.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
        names.append(username)
    _load_councillor_terms(loader)
    _load_profile_edits(loader)
    return names


def _load_councillor_terms(loader: DemoLoader) -> None:
    """The demo councillor's ward (``demo_data.DEMO_COUNCILLOR_TERMS``), still in office."""
    User = get_user_model()
    for username, ward_name, starts_on in data.DEMO_COUNCILLOR_TERMS:
        loader.upsert(
            WardRepresentation,
            {
                "user": User._default_manager.get(username=username),
                "ward": Locality.objects.get(kind=LocalityKind.WARD, name=ward_name),
                "starts_on": starts_on,
            },
            {"ends_on": None},
        )


def _load_profile_edits(loader: DemoLoader) -> None:
    """Each demo person's pending edit, as ``services.organisation_profile_edit`` holds one: what
    was live when they made it, and that with their changes."""
    User = get_user_model()
    for username, slug, changes in data.DEMO_PROFILE_EDITS:
        organisation = Organisation.objects.get(slug=slug)
        published = profile_values(organisation)
        loader.upsert(
            ProfileRevision,
            {
                "organisation": organisation,
                "submitted_by": User._default_manager.get(username=username),
                "status": ProfileRevisionStatus.PENDING,
            },
            {"published": published, "proposed": {**published, **changes}},
        )
