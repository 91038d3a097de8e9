"""``manage.py load_demo_data``: load the public facts and the fictional demo records.

Asks each app for its part, ground first (``localities.demo``, ``organisations.demo``,
``plans.demo``, ``meetings.demo``, ``engagement.demo``, ``voices.demo``), all in one
transaction. Idempotent: every record is looked up by its natural key, saved only when
something differs, and validated first (``core.demo.DemoLoader``); a second run changes
nothing. The data is in each app's ``demo_data.py``, except the wards' outlines, which
``localities.demo`` reads from the ONS files shipped in ``localities/data/`` (never from outside the project).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DemoLoader
from core.models import PublicationStatus
from engagement.demo import load_demo_engagement
from engagement.models import Engagement, SupportRelationship
from localities.demo import load_demo_localities
from localities.models import Locality, LocalityKind
from meetings.demo import load_demo_meetings
from meetings.models import Meeting
from organisations import demo_data as data
from organisations.demo import load_demo_organisations, load_demo_people
from organisations.models import AnchorRole, AnchorRoleKind, Initiative, Network, Organisation, TaxonomyTerm
from plans.demo import load_demo_plan_comments, load_demo_plans
from plans.models import LocalityPlan
from voices.demo import load_demo_voices
from voices.models import Voice


class Command(BaseCommand):
    help = (
        "Load the Leeds and Kirklees localities, services, initiatives, real organisations (public "
        "facts only), the two community anchor networks and fictional demo records. Safe to re-run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        loader = DemoLoader()
        with transaction.atomic():
            places = load_demo_localities(loader)
            organisations = load_demo_organisations(loader, places)
            load_demo_plans(loader, places, organisations)
            load_demo_meetings(loader, places, organisations)
            load_demo_engagement(loader, organisations)
            load_demo_voices(loader, organisations)
            officer_note = self.load_officer()
            people_note = self.load_people(loader)
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
        sign_in = f"Sign in at {settings.SITE_URL}/{settings.ADMIN_URL} as {data.OFFICER_USERNAME}"
        if User._default_manager.filter(username=data.OFFICER_USERNAME).exists():
            return f"{sign_in} (account already there; its password was left unchanged)."
        User._default_manager.create_superuser(
            username=data.OFFICER_USERNAME, email=data.OFFICER_EMAIL, password=password
        )
        shown = f"the password in {data.OFFICER_PASSWORD_ENV}" if env_password else password
        return f"{sign_in} / {shown}"

    def load_people(self, loader: DemoLoader) -> str:
        """One demo person per front-end role, and their edits waiting for review, with DEBUG
        on; never in production."""
        if not settings.DEBUG:
            return "DEBUG is off: no demo people created."
        env_password = os.environ.get(data.DEMO_PASSWORD_ENV)
        names = load_demo_people(env_password or data.DEMO_DEFAULT_PASSWORD, loader)
        load_demo_plan_comments(loader)
        shown = f"the password in {data.DEMO_PASSWORD_ENV}" if env_password else data.DEMO_DEFAULT_PASSWORD
        return f"Demo people at {settings.SITE_URL}/accounts/sign-in/: {', '.join(names)} / {shown}"

    def report(self, loader: DemoLoader) -> None:
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
            f"({wards.current().count()} current today, "
            f"{wards.filter(boundary__isnull=False).count()} with a boundary).",
            f"Services and needs: {terms.count()} terms. Initiatives: {Initiative.objects.count()}.",
            f"Organisations: {real.count()} real, {demo.total()} demo "
            f"({demo[PublicationStatus.PUBLISHED]} published, "
            f"{demo[PublicationStatus.DRAFT]} draft, {demo[PublicationStatus.ARCHIVED]} archived).",
        ]
        for network in Network.objects.order_by("name"):
            counts = Counter(roles.filter(network=network).values_list("role", flat=True))
            described = ", ".join(f"{n} {AnchorRoleKind(r).label.lower()}s" for r, n in sorted(counts.items()))
            lines.append(f"{network.name}: {sum(counts.values())} current anchors ({described}).")
        lines.append(
            f"Meetings: {Meeting.objects.count()} ({Meeting.objects.upcoming().count()} to come). "
            f"Locality plans: {LocalityPlan.objects.published().count()} published, "
            f"{LocalityPlan.objects.count()} in all."
        )
        lines.append(
            f"Network activity: {Engagement.objects.count()} engagements, "
            f"{SupportRelationship.objects.active().count()} support relationships active today, "
            f"{Voice.objects.counted().count()} residents' voices."
        )
        created, updated, links = (sum(c.values()) for c in (loader.created, loader.updated, loader.links))
        lines.append(
            f"This run: {created} records created, {updated} updated, {links} sets of links changed"
            + (" (nothing changed)." if not (created or updated or links) else ".")
        )
        for line in lines:
            self.stdout.write(line)
