"""The rules a plan's data keeps, in the database and in plain-English validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import LocalityPlan, PlanItem, PlanItemKind, PlanStatus
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_published_plan_for_a_locality(world):
    LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)


def test_other_localities_and_other_statuses_may_have_plans_side_by_side(world):
    LocalityPlanFactory(locality=world.batley, published=True)
    LocalityPlanFactory(locality=world.batley, superseded=True)
    LocalityPlanFactory(locality=world.batley, superseded=True)
    LocalityPlanFactory(locality=world.batley, shared=True)
    LocalityPlanFactory(locality=world.batley)
    LocalityPlanFactory(locality=world.dewsbury, published=True)
    assert LocalityPlan.objects.published().count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"period_start": 2028, "period_end": 2025},
        {"status": PlanStatus.PUBLISHED, "published_on": None},
        {"status": PlanStatus.DRAFT, "published_on": datetime.date(2025, 1, 1)},
        {"status": PlanStatus.SHARED, "shared_on": None},
    ],
    ids=["period-backwards", "published-without-date", "draft-with-date", "shared-without-date"],
)
def test_the_database_refuses_inconsistent_plans(world, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalityPlanFactory(locality=world.batley, **fields)


def test_items_keep_their_order_within_a_section(world):
    plan = LocalityPlanFactory(locality=world.batley)
    PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1)
    PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1)


def test_an_item_cannot_be_numbered_zero(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItemFactory(order=0)


def test_a_plan_gets_a_readable_address_once_and_keeps_it(world):
    first = LocalityPlanFactory(locality=world.batley, period_start=2025, period_end=2028)
    second = LocalityPlanFactory(locality=world.batley, period_start=2025, period_end=2028)
    assert first.slug == "batley-and-spen-2025-2028"
    assert second.slug == "batley-and-spen-2025-2028-2"
    first.period_end = 2029
    first.save()
    first.refresh_from_db()
    assert first.slug == "batley-and-spen-2025-2028"
    assert first.get_absolute_url() == "/plans/batley-and-spen-2025-2028/"


def test_the_owner_must_lead_or_anchor_the_plans_area(world):
    plan = LocalityPlan(
        locality=world.batley_east,
        owner=world.dewsbury_lead,
        title="Plan",
        period_start=2025,
        period_end=2026,
    )
    with pytest.raises(ValidationError) as error:
        plan.full_clean(exclude=["slug"])
    assert "Dewsbury lead anchor is not the lead anchor" in error.value.message_dict["owner"][0]


@pytest.mark.parametrize(
    ("owner", "place", "valid"),
    [
        ("batley_lead", "batley", True),
        ("batley_lead", "batley_east", True),  # a ward inside the area it leads
        ("batley_lead", "kirklees", False),  # not the whole district
        ("batley_local", "batley_east", False),  # a local anchor does not own plans
        ("armley_anchor", "armley", True),  # an anchor in a network without tiers does
    ],
)
def test_who_may_own_a_plan(world, owner, place, valid):
    plan = LocalityPlan(
        locality=getattr(world, place),
        owner=getattr(world, owner),
        title="Plan",
        period_start=2025,
        period_end=2026,
    )
    if valid:
        plan.full_clean(exclude=["slug"])
    else:
        with pytest.raises(ValidationError):
            plan.full_clean(exclude=["slug"])


def test_a_published_plan_keeps_its_owner_after_the_role_ends(world):
    plan = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead, published=True)
    world.dewsbury_lead.anchor_roles.update(left_on=datetime.date(2026, 1, 1))
    plan.full_clean()


def test_evidence_reads_as_a_sentence(world):
    item = PlanItem(
        people_heard=45,
        heard_in_conversations=True,
        heard_through_survey=True,
        heard_other="door knocking",
        heard_from=datetime.date(2025, 1, 6),
        heard_to=datetime.date(2025, 3, 28),
    )
    assert item.evidence_summary == (
        "45 people, through conversations, a survey and door knocking, from 6 January 2025 to 28 March 2025"
    )
    assert PlanItem(people_heard=1).evidence_summary == "1 person"
    assert PlanItem().evidence_summary == ""
    assert not PlanItem().has_evidence


def test_period_label(world):
    assert LocalityPlan(period_start=2025, period_end=2028).period_label == "2025–2028"
    assert LocalityPlan(period_start=2025, period_end=2025).period_label == "2025"
