"""Minimal factory_boy factories for the admin tests: one valid object per registered model.

``FACTORIES`` maps each model to its factory; tests/test_admin.py walks the admin registry and
fails for a registered model that has none here.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from core.models import PublicationStatus
from localities.models import Locality, LocalityKind
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    Initiative,
    Membership,
    MembershipRole,
    Network,
    NetworkStructure,
    Organisation,
    Taxonomy,
    TaxonomyTerm,
)

User = get_user_model()


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"officer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.uk")
    password = factory.django.Password("a long test password")


class GroupFactory(DjangoModelFactory[Group]):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class LocalityFactory(DjangoModelFactory[Locality]):
    """A district by default; pass ``parent`` and ``kind`` for a place inside one."""

    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = LocalityKind.DISTRICT
    parent = None


class AreaFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Area {n}")
    kind = LocalityKind.AREA
    parent = factory.SubFactory(LocalityFactory)


class WardFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = LocalityKind.WARD
    parent = factory.SubFactory(AreaFactory)


class TaxonomyFactory(DjangoModelFactory[Taxonomy]):
    class Meta:
        model = Taxonomy

    name = factory.Sequence(lambda n: f"Taxonomy {n}")


class TaxonomyTermFactory(DjangoModelFactory[TaxonomyTerm]):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class InitiativeFactory(DjangoModelFactory[Initiative]):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    status = PublicationStatus.DRAFT


class NetworkFactory(DjangoModelFactory[Network]):
    """A peer network (plain anchors) by default; ``structure=NetworkStructure.TIERED`` for
    lead and local anchors."""

    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    district = factory.SubFactory(LocalityFactory)
    structure = NetworkStructure.PEER


class AnchorRoleFactory(DjangoModelFactory[AnchorRole]):
    """A current anchor in a peer network, for a ward of the network's district."""

    class Meta:
        model = AnchorRole

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SubFactory(NetworkFactory)
    role = AnchorRoleKind.ANCHOR
    locality = factory.LazyAttribute(
        lambda role: WardFactory(parent=AreaFactory(parent=role.network.district))
    )
    lead = None


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.EDITOR


FACTORIES: dict[type, type[DjangoModelFactory]] = {
    User: UserFactory,
    Group: GroupFactory,
    Locality: LocalityFactory,
    Taxonomy: TaxonomyFactory,
    TaxonomyTerm: TaxonomyTermFactory,
    Initiative: InitiativeFactory,
    Organisation: OrganisationFactory,
    Network: NetworkFactory,
    AnchorRole: AnchorRoleFactory,
    Membership: MembershipFactory,
}
