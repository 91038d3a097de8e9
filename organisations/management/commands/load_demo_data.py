"""``manage.py load_demo_data``: load the public facts and the fictional demo records.

Idempotent: every record is looked up by its natural key (slug, name, or organisation +
network + locality for anchor roles), saved only when something differs, and validated with
``full_clean()`` first (field validators and ``clean()``; the database enforces uniqueness and
the check constraints). A second run changes nothing. All of it runs in one transaction.

The data lives in ``organisations/demo_data.py``; nothing is read from files at run time.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils.text import slugify

from core.models import PublicationStatus
from localities.models import Locality, LocalityKind
from organisations import demo_data as data
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    Initiative,
    Network,
    Organisation,
    Taxonomy,
    TaxonomyTerm,
)

M = TypeVar("M", bound=models.Model)


class DemoDataLoader:
    """Writes the demo data, counting what it created and changed."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.links: Counter[str] = Counter()  # many-to-many fields (re)set
        self.localities: dict[tuple[str, str], Locality] = {}
        self.terms: dict[str, TaxonomyTerm] = {}
        self.initiatives: dict[str, Initiative] = {}
        self.organisations: dict[str, Organisation] = {}
        self.organisations_by_slug: dict[str, Organisation] = {}
        self.networks: dict[str, Network] = {}
        self.lead_roles: dict[str, AnchorRole] = {}

    # -- generic helpers -----------------------------------------------------------------------

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Create the record matching ``lookup``, or update the fields of ``values`` that
        differ; validated before every save, no save when nothing differs."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            _validate(obj)
            obj.save()
            self.created[model.__name__] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            _validate(obj)
            obj.save()
            self.updated[model.__name__] += 1
        return obj

    def set_related(self, obj: models.Model, field: str, items: list[models.Model]) -> None:
        """Make a many-to-many field hold exactly ``items``, touching nothing if it already does."""
        manager = getattr(obj, field)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in items}:
            manager.set(items)
            self.links[f"{type(obj).__name__}.{field}"] += 1

    def locality(self, key: tuple[str, str]) -> Locality:
        return self.localities[key]

    # -- the steps -----------------------------------------------------------------------------

    def load(self) -> None:
        self.load_localities()
        self.load_taxonomy()
        self.load_initiatives()
        self.load_real_organisations()
        self.load_networks()
        self.load_anchor_roles()
        self.load_demo_groups()
        self.load_demo_plans()
        self.load_demo_meetings()

    def load_localities(self) -> None:
        slugs = data.locality_slugs()
        for district in data.DISTRICTS:
            self.localities["district", district.name] = self.upsert(
                Locality,
                {"slug": district.slug},
                {
                    "name": district.name,
                    "kind": LocalityKind.DISTRICT,
                    "parent": None,
                    "gss_code": district.gss_code,
                    "description": district.description,
                    "valid_from": None,
                    "valid_to": None,
                },
            )
        for area in data.AREAS:
            self.localities["area", area.name] = self.upsert(
                Locality,
                {"slug": area.slug},
                {
                    "name": area.name,
                    "kind": LocalityKind.AREA,
                    "parent": self.locality(("district", area.district)),
                    "gss_code": None,
                    "description": data.area_description(area),
                    "valid_from": None,
                    "valid_to": None,
                },
            )
        for ward in (*data.WARDS, *data.KIRKLEES_NEW_WARDS):
            parent_key = ("area", ward.area) if ward.area else ("district", ward.district)
            is_new = ward in data.KIRKLEES_NEW_WARDS
            is_abolished = ward.district == data.KIRKLEES and ward.name in data.KIRKLEES_ABOLISHED_WARDS
            self.localities["ward", ward.name] = self.upsert(
                Locality,
                {"slug": slugs["ward", ward.name]},
                {
                    "name": ward.name,
                    "kind": LocalityKind.WARD,
                    "parent": self.locality(parent_key),
                    "gss_code": ward.gss_code or None,
                    "description": data.ward_description(ward),
                    "valid_from": data.KIRKLEES_NEW_WARDS_FROM if is_new else None,
                    "valid_to": data.KIRKLEES_OLD_WARDS_TO if is_abolished else None,
                },
            )

    def load_taxonomy(self) -> None:
        taxonomy = self.upsert(Taxonomy, {"name": data.TAXONOMY_NAME}, {"description": data.TAXONOMY_DESCRIPTION})
        for term in data.TERMS:
            self.terms[term.code] = self.upsert(
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

    def load_initiatives(self) -> None:
        for initiative in data.INITIATIVES:
            self.initiatives[initiative.slug] = self.upsert(
                Initiative,
                {"slug": initiative.slug},
                {"name": initiative.name, "description": initiative.description},
            )

    def save_organisation(
        self,
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
        organisation = self.upsert(
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
        self.set_related(organisation, "localities", localities)
        self.set_related(organisation, "services", [self.terms[code] for code in services])
        self.set_related(organisation, "initiatives", [self.initiatives[slug] for slug in initiatives])
        self.organisations[name] = organisation
        self.organisations_by_slug[organisation.slug] = organisation
        return organisation

    def load_real_organisations(self) -> None:
        for fact in data.REAL_ORGANISATIONS:
            self.save_organisation(
                name=fact.name,
                kind=fact.kind,
                description=fact.description + data.DEMO_SOURCE_SUFFIX,
                is_demo=False,
                localities=[self.locality(fact.locality)],
                services=fact.services,
                initiatives=fact.initiatives,
            )

    def load_networks(self) -> None:
        for fact in data.NETWORKS:
            self.networks[fact.slug] = self.upsert(
                Network,
                {"slug": fact.slug},
                {
                    "name": fact.name,
                    "district": self.locality(("district", fact.district)),
                    "structure": fact.structure,
                    "coordinator": self.organisations[fact.coordinator],
                    "description": fact.description,
                },
            )

    def save_role(
        self,
        *,
        organisation: Organisation,
        network: str,
        role: str,
        locality: tuple[str, str],
        lead_area: str = "",
        joined_on: datetime.date | None = None,
        agreement_signed_on: datetime.date | None = None,
    ) -> AnchorRole:
        return self.upsert(
            AnchorRole,
            {
                "organisation": organisation,
                "network": self.networks[network],
                "locality": self.locality(locality),
                "left_on": None,
            },
            {
                "role": role,
                "lead": self.lead_roles[lead_area] if role == AnchorRoleKind.LOCAL_ANCHOR else None,
                "joined_on": joined_on,
                "agreement_signed_on": agreement_signed_on,
            },
        )

    def load_anchor_roles(self) -> None:
        # Lead anchors first: a local anchor's lead must exist (and be current) before it.
        for placeholder in data.KIRKLEES_LEAD_PLACEHOLDERS:
            organisation = self.save_placeholder(placeholder)
            self.lead_roles[placeholder.locality[1]] = self.save_role(
                organisation=organisation,
                network=placeholder.network,
                role=placeholder.role,
                locality=placeholder.locality,
                joined_on=placeholder.joined_on,
                agreement_signed_on=placeholder.agreement_signed_on,
            )
        for fact in data.REAL_ANCHOR_ROLES:
            self.save_role(
                organisation=self.organisations[fact.organisation],
                network=fact.network,
                role=fact.role,
                locality=fact.locality,
                lead_area=fact.lead_area,
            )
        for placeholder in (*data.KIRKLEES_LOCAL_PLACEHOLDERS, *data.LEEDS_PLACEHOLDERS):
            self.save_role(
                organisation=self.save_placeholder(placeholder),
                network=placeholder.network,
                role=placeholder.role,
                locality=placeholder.locality,
                lead_area=placeholder.lead_area,
                joined_on=placeholder.joined_on,
                agreement_signed_on=placeholder.agreement_signed_on,
            )

    def save_placeholder(self, placeholder: data.PlaceholderAnchor) -> Organisation:
        return self.save_organisation(
            name=placeholder.name,
            kind="other",
            description=placeholder.description,
            is_demo=True,
            localities=[self.locality(placeholder.locality)],
        )

    def load_demo_groups(self) -> None:
        for district, groups in (
            (data.LEEDS, data.LEEDS_GROUPS),
            (data.KIRKLEES, data.KIRKLEES_GROUPS),
        ):
            for index, group in enumerate(groups):
                localities = [
                    self.locality(("district", name) if name == district else ("ward", name)) for name in group.wards
                ]
                self.save_organisation(
                    name=group.name,
                    kind=group.kind,
                    description=group.description,
                    is_demo=True,
                    status=group.status,
                    localities=localities,
                    services=group.services,
                    initiatives=group.initiatives,
                    contact=data.demo_contact(group, index, district),
                )

    def organisation(self, slug: str) -> Organisation:
        """An organisation this load saved, by slug (no query: plans and meetings name many)."""
        return self.organisations_by_slug[slug]

    def load_demo_plans(self) -> None:
        """The fictional published locality plan(s) of ``plans.demo_data``, with their items
        (numbered in each section in the order given) and references."""
        from plans import demo_data as plan_data
        from plans.models import METHOD_FIELDS, LocalityPlan, PlanItem, PlanReference, PlanStatus

        for fact in plan_data.PLANS:
            plan = self.upsert(
                LocalityPlan,
                {"slug": fact.slug},
                {
                    "title": fact.title,
                    "locality": self.locality(("area", fact.area)),
                    "owner": self.organisation(fact.owner),
                    "period_start": fact.period_start,
                    "period_end": fact.period_end,
                    "summary": fact.summary,
                    "status": PlanStatus.PUBLISHED,
                    "published_on": fact.published_on,
                },
            )
            numbers: Counter[str] = Counter()
            for item in fact.items:
                numbers[item.kind] += 1
                saved = self.upsert(
                    PlanItem,
                    {"plan": plan, "kind": item.kind, "order": numbers[item.kind]},
                    {
                        "title": item.title,
                        "detail": item.detail,
                        "people_heard": item.people_heard,
                        **{field: method in item.methods for method, field in METHOD_FIELDS.items()},
                    },
                )
                self.set_related(saved, "themes", [self.terms[code] for code in item.themes])
                self.set_related(saved, "organisations", [self.organisation(slug) for slug in item.organisations])
            for kind, title, owner in fact.references:
                self.upsert(PlanReference, {"plan": plan, "title": title}, {"kind": kind, "owner": owner})

    def load_demo_meetings(self) -> None:
        """The fictional series (with a year and more of occurrences, made by the same service
        officers use) and meetings of ``meetings.demo_data``, with attendance and actions."""
        from meetings import demo_data as meeting_data
        from meetings.models import Action, Attendance, Meeting, MeetingSeries
        from meetings.services import series_create_occurrences

        networks = {network.slug: network for network in Network.objects.all()}
        for fact in meeting_data.SERIES:
            series = self.upsert(
                MeetingSeries,
                {"title": fact.title, "network": networks[fact.network]},
                {
                    "kind": fact.kind,
                    "organiser": self.organisation(fact.organiser),
                    "rrule": fact.rrule,
                    "dtstart": fact.dtstart,
                    "duration_minutes": fact.duration_minutes,
                    "visibility": fact.visibility,
                    "venue": fact.venue,
                    "joining_url": fact.joining_url,
                },
            )
            self.set_related(series, "localities", [self.locality(place) for place in fact.places])
            made = series_create_occurrences(series=series, until=meeting_data.SERIES_UNTIL)
            self.created["Meeting"] += len(made)
        for fact in meeting_data.MEETINGS:
            meeting = self.upsert(
                Meeting,
                {"title": fact.title, "network": networks[fact.network], "start": fact.start},
                {
                    "kind": fact.kind,
                    "organiser": self.organisation(fact.organiser),
                    "end": fact.start + datetime.timedelta(minutes=fact.minutes_long),
                    "visibility": fact.visibility,
                    "venue": fact.venue,
                    "agenda": fact.agenda,
                    "minutes": fact.minutes,
                    "minutes_published": bool(fact.minutes),
                },
            )
            self.set_related(meeting, "localities", [self.locality(place) for place in fact.places])
            for slug, status in fact.attendance:
                self.upsert(
                    Attendance, {"meeting": meeting, "organisation": self.organisation(slug)}, {"status": status}
                )
            for action in fact.actions:
                self.upsert(
                    Action,
                    {"raised_at": meeting, "description": action.description},
                    {"owner": self.organisation(action.owner), "due_on": action.due_on, "status": action.status},
                )


def _validate(obj: models.Model) -> None:
    """Run the field validators (postcode, phone, GSS code formats) and the model's ``clean()``.

    Uniqueness and check constraints are left to the database, which enforces them anyway (an
    error rolls the whole load back): checking them here would cost a query each and double
    the time the load takes.
    """
    obj.full_clean(validate_unique=False, validate_constraints=False)


def _same(obj: models.Model, name: str, value: Any) -> bool:
    """True when ``obj.name`` already equals ``value`` (foreign keys compared by id)."""
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class Command(BaseCommand):
    help = (
        "Load the Leeds and Kirklees localities, services, initiatives, real organisations (public "
        "facts only), the two community anchor networks and fictional demo records. Safe to re-run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        loader = DemoDataLoader()
        with transaction.atomic():
            loader.load()
            officer_note = self.load_officer()
            people_note = self.load_demo_people()
        self.report(loader)
        self.stdout.write(officer_note)
        self.stdout.write(people_note)

    def load_officer(self) -> str:
        """Create the demo officer (staff and superuser) with DEBUG on; never in production."""
        if not settings.DEBUG:
            return "DEBUG is off: no demo officer account created."
        User = get_user_model()
        env_password = os.environ.get(data.OFFICER_PASSWORD_ENV)
        password = env_password or data.OFFICER_DEFAULT_PASSWORD
        sign_in = f"Sign in at http://127.0.0.1:8000/{settings.ADMIN_URL} as {data.OFFICER_USERNAME}"
        if User._default_manager.filter(username=data.OFFICER_USERNAME).exists():
            return f"{sign_in} (account already there; its password was left unchanged)."
        User._default_manager.create_superuser(
            username=data.OFFICER_USERNAME, email=data.OFFICER_EMAIL, password=password
        )
        shown = f"the password in {data.OFFICER_PASSWORD_ENV}" if env_password else password
        return f"{sign_in} / {shown}"

    def load_demo_people(self) -> str:
        """Create one demo person per front-end role with DEBUG on: lead- and local-anchor
        editors (memberships of placeholder anchors) and a councillor. Never in production."""
        if not settings.DEBUG:
            return "DEBUG is off: no demo people created."
        from django.contrib.auth.models import Group

        from core.permissions import COUNCILLOR_GROUP
        from organisations.models import Membership, MembershipRole

        User = get_user_model()
        env_password = os.environ.get(data.DEMO_PASSWORD_ENV)
        names = []
        for username, role, organisation_slug, is_staff in data.DEMO_USERS:
            user = User._default_manager.filter(username=username).first()
            if user is None:
                user = User._default_manager.create_user(
                    username=username,
                    email=f"{username}@example.org",
                    password=env_password or data.DEMO_DEFAULT_PASSWORD,
                    is_staff=is_staff,
                )
            if organisation_slug:
                organisation = Organisation.objects.get(slug=organisation_slug)
                Membership.objects.get_or_create(
                    user=user, organisation=organisation, defaults={"role": role or MembershipRole.EDITOR}
                )
            else:
                user.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
            names.append(username)
        shown = f"the password in {data.DEMO_PASSWORD_ENV}" if env_password else data.DEMO_DEFAULT_PASSWORD
        return f"Demo people at http://127.0.0.1:8000/accounts/sign-in/: {', '.join(names)} / {shown}"

    def report(self, loader: DemoDataLoader) -> None:
        """Print what the database now holds, and what this run changed."""
        localities = Counter(Locality.objects.values_list("kind", flat=True))
        wards = Locality.objects.filter(kind=LocalityKind.WARD)
        terms = TaxonomyTerm.objects.filter(taxonomy__name=data.TAXONOMY_NAME)
        real = Organisation.objects.filter(is_demo=False)
        demo = Counter(Organisation.objects.filter(is_demo=True).values_list("status", flat=True))
        roles = AnchorRole.objects.current()
        lines = [
            f"Localities: {localities[LocalityKind.DISTRICT]} districts, "
            f"{localities[LocalityKind.AREA]} areas, {localities[LocalityKind.WARD]} wards "
            f"({wards.current().count()} current today).",
            f"Services and needs: {terms.count()} terms. Initiatives: {Initiative.objects.count()}.",
            f"Organisations: {real.count()} real, {demo.total()} demo "
            f"({demo[PublicationStatus.PUBLISHED]} published, "
            f"{demo[PublicationStatus.DRAFT]} draft, {demo[PublicationStatus.ARCHIVED]} archived).",
        ]
        for network in Network.objects.order_by("name"):
            counts = Counter(roles.filter(network=network).values_list("role", flat=True))
            described = ", ".join(f"{n} {AnchorRoleKind(r).label.lower()}s" for r, n in sorted(counts.items()))
            lines.append(f"{network.name}: {sum(counts.values())} current anchors ({described}).")
        from meetings.models import Meeting
        from plans.models import LocalityPlan

        upcoming = Meeting.objects.upcoming().count()
        lines.append(
            f"Meetings: {Meeting.objects.count()} ({upcoming} to come). "
            f"Locality plans: {LocalityPlan.objects.published().count()} published."
        )
        created, updated, links = (sum(c.values()) for c in (loader.created, loader.updated, loader.links))
        lines.append(
            f"This run: {created} records created, {updated} updated, {links} sets of links changed"
            + (" (nothing changed)." if not (created or updated or links) else ".")
        )
        for line in lines:
            self.stdout.write(line)
