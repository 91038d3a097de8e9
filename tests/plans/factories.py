"""factory_boy factories for locality plans. Override through them as elsewhere:
``LocalityPlanFactory(locality=ward, owner=lead.organisation, published=True)``.

The factories write straight to the database (no ``full_clean``): a plan's owner need not hold
an anchor role unless a test is about that rule.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from plans.models import (
    CommentRole,
    LocalityPlan,
    PlanComment,
    PlanItem,
    PlanItemKind,
    PlanItemProposal,
    PlanOpening,
    PlanReference,
    PlanReferenceKind,
    PlanShare,
    PlanStatus,
)
from tests.factories import LocalityFactory, OrganisationFactory, UserFactory

PUBLISHED_ON = datetime.date(2025, 4, 1)


class LocalityPlanFactory(DjangoModelFactory[LocalityPlan]):
    """A draft plan for a new ward, 2025–2028. Traits: ``shared``, ``published``, ``superseded``."""

    class Meta:
        model = LocalityPlan

    locality = factory.SubFactory(LocalityFactory)
    owner = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Locality plan {n}")
    period_start = 2025
    period_end = 2028
    summary = "What local people told us matters most, and what we will do about it."
    status = PlanStatus.DRAFT

    class Params:
        shared = factory.Trait(status=PlanStatus.SHARED, shared_on=datetime.date(2025, 3, 1))
        published = factory.Trait(status=PlanStatus.PUBLISHED, published_on=PUBLISHED_ON)
        superseded = factory.Trait(status=PlanStatus.SUPERSEDED, published_on=datetime.date(2024, 4, 1))


class PlanItemFactory(DjangoModelFactory[PlanItem]):
    """A priority; pass ``themes=[...]`` or ``organisations=[...]`` to add them."""

    class Meta:
        model = PlanItem
        skip_postgeneration_save = True

    plan = factory.SubFactory(LocalityPlanFactory)
    kind = PlanItemKind.PRIORITY
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Plan item {n}")
    detail = "People told us this again and again."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class PlanReferenceFactory(DjangoModelFactory[PlanReference]):
    class Meta:
        model = PlanReference

    plan = factory.SubFactory(LocalityPlanFactory)
    item = None
    kind = PlanReferenceKind.WARD_PLAN
    title = factory.Sequence(lambda n: f"Ward plan {n}")
    owner = "Kirklees Council"
    url = "https://www.example.org/ward-plan"


class PlanShareFactory(DjangoModelFactory[PlanShare]):
    """The record of a shared plan with a snapshot of one priority."""

    class Meta:
        model = PlanShare

    plan = factory.SubFactory(LocalityPlanFactory, shared=True)
    shared_on = factory.LazyAttribute(lambda share: share.plan.shared_on or datetime.date(2025, 3, 1))
    shared_by = factory.SubFactory(UserFactory)
    snapshot = factory.LazyAttribute(
        lambda share: {
            "title": share.plan.title,
            "summary": share.plan.summary,
            "items": [{"id": None, "kind": "priority", "order": 1, "title": "Somewhere warm to meet", "detail": ""}],
        }
    )


class PlanOpeningFactory(DjangoModelFactory[PlanOpening]):
    class Meta:
        model = PlanOpening

    plan = factory.SubFactory(LocalityPlanFactory, shared=True)
    user = factory.SubFactory(UserFactory)
    first_opened_at = factory.LazyFunction(timezone.now)


class PlanCommentFactory(DjangoModelFactory[PlanComment]):
    """A councillor's comment on a shared plan (about the whole plan). A reply: pass ``parent``
    (and ``plan=parent.plan``); a question: ``is_question=True``."""

    class Meta:
        model = PlanComment

    plan = factory.SubFactory(LocalityPlanFactory, shared=True)
    author = factory.SubFactory(UserFactory)
    author_role = CommentRole.COUNCILLOR
    body = factory.Sequence(lambda n: f"Comment {n}: how will the warm spaces be paid for?")


class PlanItemProposalFactory(DjangoModelFactory[PlanItemProposal]):
    """A waiting proposed priority from a local anchor."""

    class Meta:
        model = PlanItemProposal

    plan = factory.SubFactory(LocalityPlanFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    proposer = factory.SubFactory(UserFactory)
    kind = PlanItemKind.PRIORITY
    title = factory.Sequence(lambda n: f"Proposed item {n}")
    detail = "Parents at the school gate asked for this."
    note = "We heard this at our coffee mornings."


# Picked up by tests/factories.py ``admin_factories()`` for the project-wide admin tests.
FACTORIES: dict[type, type[DjangoModelFactory]] = {
    LocalityPlan: LocalityPlanFactory,
    PlanItem: PlanItemFactory,
    PlanReference: PlanReferenceFactory,
    PlanShare: PlanShareFactory,
    PlanOpening: PlanOpeningFactory,
    PlanComment: PlanCommentFactory,
    PlanItemProposal: PlanItemProposalFactory,
}
