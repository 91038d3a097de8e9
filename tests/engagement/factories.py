"""Factories for the network's activity; ``FACTORIES`` joins ``tests.factories.admin_factories``."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.models import (
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
    SupportRoute,
)
from tests.factories import AnchorRoleFactory, OrganisationFactory, TaxonomyFactory, TaxonomyTermFactory


class SupportRelationshipFactory(DjangoModelFactory):
    """An active relationship: a current anchor supports a published group since a year ago."""

    class Meta:
        model = SupportRelationship

    anchor = factory.LazyFunction(lambda: AnchorRoleFactory().organisation)
    group = factory.SubFactory(OrganisationFactory)
    kind = SupportKind.PEER_SUPPORT
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class EngagementFactory(DjangoModelFactory):
    """Advice given today; pass ``organisations=[...]``."""

    class Meta:
        model = Engagement
        skip_postgeneration_save = True

    anchor = factory.LazyFunction(lambda: AnchorRoleFactory().organisation)
    occurred_on = factory.LazyFunction(timezone.localdate)
    kind = EngagementKind.ADVICE

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            self.organisations.set(extracted if extracted is not None else [OrganisationFactory()])


class QuietNoteFactory(DjangoModelFactory):
    class Meta:
        model = QuietNote

    organisation = factory.SubFactory(OrganisationFactory)
    reason = QuietReason.NOT_KNOWN


class SkillTermFactory(TaxonomyTermFactory):
    """A term of the skills and assets taxonomy (which the data migration makes, and a test that
    flushed the database may have removed: hence its own terms)."""

    taxonomy = factory.SubFactory(TaxonomyFactory, name=SKILLS_TAXONOMY)
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class ExchangeEntryFactory(DjangoModelFactory):
    """A current offer of a published organisation; ``need=True`` for a need."""

    class Meta:
        model = ExchangeEntry

    class Params:
        need = factory.Trait(direction=ExchangeDirection.NEED)

    organisation = factory.SubFactory(OrganisationFactory)
    direction = ExchangeDirection.OFFER
    term = factory.SubFactory(SkillTermFactory)
    description = factory.Sequence(lambda n: f"Description {n}")


class SupportRequestFactory(DjangoModelFactory):
    """A new request, received now, routed to a current anchor."""

    class Meta:
        model = SupportRequest

    reference = factory.Sequence(lambda n: f"ANR-2026-{n + 1:05d}")
    group_name = factory.Sequence(lambda n: f"Friends of Park {n}")
    need = "Help with a funding bid for new kit."
    contact_name = "Sam Requester"
    contact_email = factory.Sequence(lambda n: f"requester{n}@example.org")
    consented_at = factory.LazyFunction(timezone.now)
    anchor = factory.LazyFunction(lambda: AnchorRoleFactory().organisation)
    route = SupportRoute.ANCHOR


FACTORIES = {
    SupportRelationship: SupportRelationshipFactory,
    Engagement: EngagementFactory,
    QuietNote: QuietNoteFactory,
    ExchangeEntry: ExchangeEntryFactory,
    SupportRequest: SupportRequestFactory,
}
