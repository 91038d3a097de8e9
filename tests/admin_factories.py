"""Factories with the defaults the admin tests want: places as district › area › ward and
organisations in draft. Built on tests/factories.py, which also holds ``FACTORIES``, the
registry of one factory per admin model (``admin_factories()``).
"""

from __future__ import annotations

import factory

from core.models import PublicationStatus
from localities.models import LocalityKind
from tests import factories
from tests.factories import (  # noqa: F401 - re-exported for the admin tests
    GroupFactory,
    ImportJobFactory,
    InitiativeFactory,
    LanguageFactory,
    NetworkFactory,
    SynonymGroupFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    UserFactory,
    admin_factories,
)


class LocalityFactory(factories.DistrictFactory):
    """A district by default; pass ``parent`` and ``kind`` for a place inside one."""

    slug = factory.Sequence(lambda n: f"place-{n}")


class AreaFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Area {n}")
    kind = LocalityKind.AREA
    parent = factory.SubFactory(LocalityFactory)


class WardFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = LocalityKind.WARD
    parent = factory.SubFactory(AreaFactory)


class OrganisationFactory(factories.OrganisationFactory):
    status = PublicationStatus.DRAFT


class AnchorRoleFactory(factories.AnchorRoleFactory):
    """A current anchor in a peer network, for a ward in an area of the network's district."""

    organisation = factory.SubFactory(OrganisationFactory)
    locality = factory.LazyAttribute(lambda role: WardFactory(parent=AreaFactory(parent=role.network.district)))


class MembershipFactory(factories.MembershipFactory):
    organisation = factory.SubFactory(OrganisationFactory)


class ScheduleFactory(factories.ScheduleFactory):
    organisation = factory.SubFactory(OrganisationFactory)
