"""Factories for residents' voices; ``FACTORIES`` joins ``tests.factories.admin_factories``."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.factories import AnchorRoleFactory
from voices.models import HeardVia, Voice


class VoiceFactory(DjangoModelFactory):
    """A voice sent online today about a current anchor's place, routed to that anchor, with no
    contact details."""

    class Meta:
        model = Voice
        skip_postgeneration_save = True

    class Params:
        role = factory.SubFactory(AnchorRoleFactory)

    locality = factory.LazyAttribute(lambda voice: voice.role.locality)
    anchor = factory.LazyAttribute(lambda voice: voice.role.organisation)
    what_matters = factory.Sequence(lambda n: f"The bus stop on street {n} has no shelter.")
    heard_via = HeardVia.ONLINE

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


FACTORIES = {Voice: VoiceFactory}
