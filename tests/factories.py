"""factory_boy factories for the domain models, shared by every test module.

Override through them, e.g. ``OrganisationFactory(localities=[ward], services=[food])`` or
``AnchorRoleFactory(role=AnchorRoleKind.LEAD_ANCHOR, network__structure="tiered")``.
"""

from __future__ import annotations

import datetime

import factory
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from core.models import ImportJob, PublicationStatus, SentEmail
from localities.models import Locality, LocalityKind, Postcode, PostcodeImport, WardBoundary, WardRepresentation
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    GroupSubmission,
    Initiative,
    Language,
    Membership,
    MembershipRole,
    Network,
    NetworkStructure,
    Organisation,
    OrganisationKind,
    ProfileRevision,
    Schedule,
    SynonymGroup,
    Taxonomy,
    TaxonomyTerm,
    Weekday,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    kind = LocalityKind.DISTRICT
    parent = None


class LocalityFactory(DjangoModelFactory):
    """A ward in a new district unless told otherwise."""

    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.Sequence(lambda n: f"ward-{n}")
    kind = LocalityKind.WARD
    parent = factory.SubFactory(DistrictFactory)


class PostcodeFactory(DjangoModelFactory):
    """A live postcode of ``ward`` (a new ward unless given), as an import leaves it."""

    class Meta:
        model = Postcode

    postcode = factory.Sequence(lambda n: f"LS{1 + n % 29} {n % 10}AB")
    key = factory.LazyAttribute(lambda o: o.postcode.replace(" ", ""))
    outward = factory.LazyAttribute(lambda o: o.postcode.split(" ")[0])
    council_code = "E08000035"
    ward = factory.SubFactory(LocalityFactory)
    ward_code = factory.LazyAttribute(lambda o: o.ward.gss_code or "" if o.ward else "")
    latitude = 53.8
    longitude = -1.45


class PostcodeImportFactory(DjangoModelFactory):
    class Meta:
        model = PostcodeImport

    source = "ONSPD_NOV_2025_UK.csv"
    ward_column = "wd25cd"
    councils = "E08000035"
    postcodes = 1
    retired = 0


class WardBoundaryFactory(DjangoModelFactory):
    """A small square outline near Leeds for a new ward."""

    class Meta:
        model = WardBoundary

    locality = factory.SubFactory(LocalityFactory)
    geometry = factory.LazyFunction(
        lambda: {
            "type": "MultiPolygon",
            "coordinates": [[[[-1.6, 53.8], [-1.5, 53.8], [-1.5, 53.9], [-1.6, 53.9], [-1.6, 53.8]]]],
        }
    )
    source = "ONS Wards (December 2019) Boundaries EW BGC"
    attribution = "Source: Office for National Statistics licensed under the Open Government Licence v.3.0."


class TaxonomyFactory(DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ("name",)

    name = "AnchorNet services and needs"


class TaxonomyTermFactory(DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    code = factory.LazyAttribute(lambda o: o.slug)


class SynonymGroupFactory(DjangoModelFactory):
    class Meta:
        model = SynonymGroup

    phrases = factory.Sequence(lambda n: f"word{n}, other word{n}")


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")


class OrganisationFactory(DjangoModelFactory):
    """A published community group; pass ``localities``, ``services`` or ``initiatives`` lists."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.COMMUNITY_GROUP
    description = "A community group that runs activities for local people."
    status = PublicationStatus.PUBLISHED

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)

    @factory.post_generation
    def initiatives(self, create, extracted, **kwargs):
        if create and extracted:
            self.initiatives.set(extracted)


class LanguageFactory(DjangoModelFactory):
    """A language; migration 0011 seeds the common ones (English is "en"), so use new codes."""

    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"x{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}")
    name = factory.Sequence(lambda n: f"Language {n}")


class ScheduleFactory(DjangoModelFactory):
    """Open on Mondays from 10am to 2pm, all year, at a published organisation."""

    class Meta:
        model = Schedule

    organisation = factory.SubFactory(OrganisationFactory)
    byday = Weekday.MONDAY
    opens_at = datetime.time(10)
    closes_at = datetime.time(14)


class NetworkFactory(DjangoModelFactory):
    """A peer network (no tiers) in a new district unless told otherwise."""

    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Community Anchor Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    district = factory.SubFactory(DistrictFactory)
    coordinator = None
    structure = NetworkStructure.PEER


class AnchorRoleFactory(DjangoModelFactory):
    """A plain anchor of a peer network for a ward of that network's district."""

    class Meta:
        model = AnchorRole

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SubFactory(NetworkFactory)
    role = AnchorRoleKind.ANCHOR
    locality = factory.LazyAttribute(lambda o: LocalityFactory(parent=o.network.district))
    lead = None


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.EDITOR


class WardRepresentationFactory(DjangoModelFactory):
    """A councillor's term in a new ward, from the May 2024 elections, still running. The
    account is not put in the ``Councillor`` group: tests that need one add it."""

    class Meta:
        model = WardRepresentation

    user = factory.SubFactory(UserFactory)
    ward = factory.SubFactory(LocalityFactory)
    starts_on = datetime.date(2024, 5, 3)
    ends_on = None


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class ProfileRevisionFactory(DjangoModelFactory):
    """An editor's edit to a published profile, waiting for review."""

    class Meta:
        model = ProfileRevision

    organisation = factory.SubFactory(OrganisationFactory)
    published = factory.LazyAttribute(lambda o: {"name": o.organisation.name})
    proposed = factory.LazyAttribute(lambda o: {"name": f"{o.organisation.name} (renamed)"})
    submitted_by = factory.SubFactory(UserFactory)


class GroupSubmissionFactory(DjangoModelFactory):
    """A new group sent through "Add your group": a draft organisation waiting for review."""

    class Meta:
        model = GroupSubmission

    organisation = factory.SubFactory(OrganisationFactory, status=PublicationStatus.DRAFT)
    submitter_name = "Sam Sender"
    submitter_email = factory.Sequence(lambda n: f"sender{n}@example.org")


class AccessAttemptFactory(DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    username = factory.Sequence(lambda n: f"someone{n}")
    ip_address = "127.0.0.1"
    user_agent = "pytest"
    failures_since_start = 1


class AccessLogFactory(DjangoModelFactory):
    class Meta:
        model = AccessLog

    username = factory.Sequence(lambda n: f"someone{n}")
    ip_address = "127.0.0.1"
    user_agent = "pytest"


class AccessFailureLogFactory(DjangoModelFactory):
    class Meta:
        model = AccessFailureLog

    username = factory.Sequence(lambda n: f"someone{n}")
    ip_address = "127.0.0.1"
    user_agent = "pytest"


class SentEmailFactory(DjangoModelFactory):
    class Meta:
        model = SentEmail

    key = factory.Sequence(lambda n: f"test-event-{n}")
    template = "support_request_new"
    recipient_count = 1


class ImportJobFactory(DjangoModelFactory):
    """A background import previewed and waiting for an officer's confirmation."""

    class Meta:
        model = ImportJob

    kind = "organisations.organisation"
    file_name = factory.Sequence(lambda n: f"organisations-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    state = "ready"
    rows_total = 2500
    rows_done = 2500
    new_count = 2500
    data = b"name\n"


FACTORIES: dict[type, type[DjangoModelFactory]] = {
    get_user_model(): UserFactory,
    Group: GroupFactory,
    Locality: LocalityFactory,
    Postcode: PostcodeFactory,
    PostcodeImport: PostcodeImportFactory,
    WardBoundary: WardBoundaryFactory,
    WardRepresentation: WardRepresentationFactory,
    Taxonomy: TaxonomyFactory,
    TaxonomyTerm: TaxonomyTermFactory,
    Initiative: InitiativeFactory,
    SynonymGroup: SynonymGroupFactory,
    Organisation: OrganisationFactory,
    Language: LanguageFactory,
    Schedule: ScheduleFactory,
    Network: NetworkFactory,
    AnchorRole: AnchorRoleFactory,
    Membership: MembershipFactory,
    ProfileRevision: ProfileRevisionFactory,
    GroupSubmission: GroupSubmissionFactory,
    AccessAttempt: AccessAttemptFactory,
    AccessLog: AccessLogFactory,
    AccessFailureLog: AccessFailureLogFactory,
    SentEmail: SentEmailFactory,
    ImportJob: ImportJobFactory,
}


def admin_factories() -> dict[type, type[DjangoModelFactory]]:
    """A factory for every model any app puts in the admin: these, and each app's test
    factories. ``FACTORIES`` (tests/plans, tests/meetings, tests/engagement, tests/portal and
    tests/voices factories.py)."""
    import importlib

    merged = dict(FACTORIES)
    for module in (
        "tests.plans.factories",
        "tests.meetings.factories",
        "tests.engagement.factories",
        "tests.portal.factories",
        "tests.voices.factories",
    ):
        try:
            merged.update(getattr(importlib.import_module(module), "FACTORIES", {}))
        except ModuleNotFoundError:
            continue
    return merged
