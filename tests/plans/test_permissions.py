"""Who may read, change, share and publish which plans (LocalityPlanQuerySet and plans.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from plans.models import LocalityPlan, PlanStatus
from plans.permissions import can_edit_plan, can_manage_plan, localities_user_may_plan_for, plan_owners_for
from tests.plans.factories import LocalityPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    """One plan of each status for Batley and Spen (Alice's), and a draft for Dewsbury (Bob's)."""
    batley = {
        status: LocalityPlanFactory(
            locality=world.batley,
            owner=world.batley_lead,
            title=f"Batley {status}",
            **({status: True} if status != "draft" else {}),
        )
        for status in ("draft", "shared", "published", "superseded")
    }
    return {
        **batley,
        "dewsbury_draft": LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead),
    }


def titles(queryset):
    return sorted(plan.title for plan in queryset)


PUBLIC = ["Batley published", "Batley superseded"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", PUBLIC),
        ("resident", PUBLIC),
        ("councillor", ["Batley published", "Batley shared", "Batley superseded"]),
        ("alice", ["Batley draft", "Batley published", "Batley shared", "Batley superseded"]),
        ("viewer", ["Batley draft", "Batley published", "Batley shared", "Batley superseded"]),
        ("bob", [*PUBLIC, "Locality plan"]),
        # The local anchors of Batley and Spen help write its draft (issue 16); never Dewsbury's.
        ("local_editor", ["Batley draft", *PUBLIC]),
        (
            "officer",
            [
                "Batley draft",
                "Batley published",
                "Batley shared",
                "Batley superseded",
                "Locality plan",
            ],
        ),
    ],
)
def test_who_sees_which_plans(world, plans, who, expected):
    plans["dewsbury_draft"].title = "Locality plan"
    plans["dewsbury_draft"].save()
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    assert titles(LocalityPlan.objects.visible_to(user)) == sorted(expected)


def test_an_editor_may_change_only_their_own_organisations_plans_and_not_superseded_ones(world, plans):
    assert titles(LocalityPlan.objects.editable_by(world.alice)) == [
        "Batley draft",
        "Batley published",
        "Batley shared",
    ]
    assert titles(LocalityPlan.objects.editable_by(world.bob)) == [plans["dewsbury_draft"].title]
    for who in ("councillor", "resident", "viewer", "local_editor"):
        assert not LocalityPlan.objects.editable_by(getattr(world, who)).exists(), who
    assert not LocalityPlan.objects.editable_by(AnonymousUser()).exists()
    assert LocalityPlan.objects.editable_by(world.officer).count() == 4


def test_can_edit_and_publish_follow_the_scope(world, plans):
    assert can_edit_plan(world.alice, plans["draft"])
    assert not can_edit_plan(world.alice, plans["superseded"])
    assert not can_edit_plan(world.alice, plans["dewsbury_draft"])
    assert not can_edit_plan(world.councillor, plans["shared"])
    assert can_manage_plan(world.alice, plans["shared"])
    assert not can_manage_plan(world.bob, plans["shared"])
    assert can_manage_plan(world.officer, plans["dewsbury_draft"])
    assert not can_manage_plan(AnonymousUser(), plans["draft"])


def test_an_editor_loses_the_plans_when_their_organisation_stops_leading_the_area(world):
    plan = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    world.dewsbury_lead.anchor_roles.update(left_on="2026-01-01")
    assert not can_edit_plan(world.bob, plan)
    # ...but, as a member of the organisation, can still read its draft.
    assert LocalityPlan.objects.visible_to(world.bob).filter(pk=plan.pk).exists()


def test_an_inactive_editor_gets_nothing(world, plans):
    world.alice.is_active = False
    world.alice.save()
    assert not LocalityPlan.objects.editable_by(world.alice).exists()
    assert titles(LocalityPlan.objects.visible_to(world.alice)) == PUBLIC


def test_localities_an_editor_may_plan_for_are_their_area_and_the_places_inside_it(world):
    assert {place.slug for place in localities_user_may_plan_for(world.alice)} == {
        "batley-and-spen",
        "batley-east",
    }
    assert {place.slug for place in localities_user_may_plan_for(world.carol)} == {"armley"}
    assert not localities_user_may_plan_for(world.local_editor).exists()
    assert not localities_user_may_plan_for(world.councillor).exists()
    assert localities_user_may_plan_for(world.officer).count() == 7


def test_plan_owners_are_the_lead_anchors_and_peer_anchors_the_user_edits(world):
    assert list(plan_owners_for(world.alice)) == [world.batley_lead]
    assert list(plan_owners_for(world.local_editor)) == []
    assert set(plan_owners_for(world.officer)) == {
        world.batley_lead,
        world.dewsbury_lead,
        world.armley_anchor,
    }


def test_statuses_are_what_the_issue_names():
    assert PlanStatus.values == ["draft", "shared", "published", "superseded"]
