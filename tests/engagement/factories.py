"""Factories for the network's activity; ``FACTORIES`` joins ``tests.factories.admin_factories``."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from engagement.models import (
    Engagement,
    EngagementKind,
    QuietNote,
    QuietReason,
    SupportKind,
    SupportRelationship,
)
from tests.factories import AnchorRoleFactory, OrganisationFactory


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


FACTORIES = {
    SupportRelationship: SupportRelationshipFactory,
    Engagement: EngagementFactory,
    QuietNote: QuietNoteFactory,
}
