"""Sharing, publishing and starting a new version of a plan (plans.services)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core.concurrency import EditConflict, version_of
from plans.models import LocalityPlan, PlanItemKind, PlanStatus
from plans.services import plan_create, plan_new_version, plan_publish, plan_share, plan_update
from tests.factories import OrganisationFactory, TaxonomyTermFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory, PlanReferenceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


def draft(world, **kwargs):
    return LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, **kwargs)


def test_a_draft_is_shared_then_published(world):
    plan = draft(world)
    plan = plan_share(plan=plan, user=world.alice, on=TODAY)
    assert (plan.status, plan.shared_on) == (PlanStatus.SHARED, TODAY)
    plan = plan_publish(plan=plan, user=world.alice, on=TODAY)
    plan.refresh_from_db()
    assert (plan.status, plan.published_on, plan.supersedes) == (PlanStatus.PUBLISHED, TODAY, None)


def test_a_draft_may_be_published_without_sharing_first(world):
    plan = plan_publish(plan=draft(world), user=world.alice, on=TODAY)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.shared_on is None


def test_publishing_supersedes_the_current_plan_in_the_same_step(world):
    old = draft(world, published=True)
    new = draft(world, shared=True)
    plan_publish(plan=new, user=world.alice, on=TODAY)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == PlanStatus.SUPERSEDED
    assert old.published_on is not None  # kept: when it was published
    assert new.status == PlanStatus.PUBLISHED
    assert new.supersedes == old
    assert old.superseded_by == new
    assert LocalityPlan.objects.published().filter(locality=world.batley).count() == 1


def test_a_plan_for_another_locality_is_not_superseded(world):
    ward_plan = LocalityPlanFactory(locality=world.batley_east, owner=world.batley_lead, published=True)
    plan_publish(plan=draft(world), user=world.alice, on=TODAY)
    ward_plan.refresh_from_db()
    assert ward_plan.status == PlanStatus.PUBLISHED


@pytest.mark.parametrize(
    ("service", "status", "message"),
    [
        (
            plan_share,
            "shared",
            "Only a draft can be shared with councillors: this plan is shared with councillors.",
        ),
        (
            plan_share,
            "published",
            "Only a draft can be shared with councillors: this plan is published.",
        ),
        (
            plan_publish,
            "published",
            "Only a draft or shared plan can be published: this plan is published.",
        ),
        (
            plan_publish,
            "superseded",
            "Only a draft or shared plan can be published: this plan is superseded.",
        ),
    ],
)
def test_an_invalid_transition_is_refused_in_plain_english(world, service, status, message):
    plan = draft(world, **{status: True})
    with pytest.raises(ValidationError) as error:
        service(plan=plan, user=world.officer)
    assert error.value.messages == [message]
    plan.refresh_from_db()
    assert plan.status == status


@pytest.mark.parametrize("who", ["bob", "councillor", "resident", "local_editor", "viewer"])
@pytest.mark.parametrize("service", [plan_share, plan_publish, plan_new_version])
def test_only_the_plans_editors_and_officers_may_share_publish_or_copy_it(world, who, service):
    plan = draft(world)
    with pytest.raises(PermissionDenied):
        service(plan=plan, user=getattr(world, who))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert LocalityPlan.objects.count() == 1


def test_an_officer_may_publish_any_plan(world):
    plan = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    assert plan_publish(plan=plan, user=world.officer).status == PlanStatus.PUBLISHED


def test_publishing_is_refused_when_the_owner_no_longer_leads_the_area(world):
    plan = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    world.dewsbury_lead.anchor_roles.update(left_on="2026-01-01")
    with pytest.raises(ValidationError) as error:
        plan_publish(plan=plan, user=world.officer)
    assert "is not the lead anchor" in error.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_creating_a_plan_checks_the_area_and_the_owner(world):
    plan = plan_create(
        user=world.alice,
        locality=world.batley_east,
        owner=world.batley_lead,
        title="Batley East",
        period_start=2025,
        period_end=2027,
    )
    assert (plan.status, plan.slug) == (PlanStatus.DRAFT, "batley-east-2025-2027")
    with pytest.raises(PermissionDenied):
        plan_create(
            user=world.alice,
            locality=world.dewsbury,
            owner=world.batley_lead,
            title="X",
            period_start=2025,
            period_end=2027,
        )
    with pytest.raises(PermissionDenied):
        plan_create(
            user=world.alice,
            locality=world.batley,
            owner=world.dewsbury_lead,
            title="X",
            period_start=2025,
            period_end=2027,
        )
    with pytest.raises(ValidationError):
        plan_create(
            user=world.officer,
            locality=world.batley,
            owner=world.dewsbury_lead,
            title="X",
            period_start=2025,
            period_end=2027,
        )


def test_a_new_version_copies_items_and_references_and_leaves_the_original_alone(world):
    food = TaxonomyTermFactory(name="Food support")
    pantry = OrganisationFactory(name="Batley Pantry")
    old = draft(world, published=True, period_start=2023, period_end=2025)
    priority = PlanItemFactory(plan=old, kind=PlanItemKind.PRIORITY, order=1, themes=[food], people_heard=30)
    PlanItemFactory(
        plan=old,
        kind=PlanItemKind.CONNECTION,
        order=1,
        organisations=[pantry],
        heard_at_events=True,
    )
    PlanReferenceFactory(plan=old, title="Batley East ward plan")
    PlanReferenceFactory(plan=old, item=priority, title="Youth services aspirations")

    new = plan_new_version(plan=old, user=world.alice)

    assert new.pk != old.pk
    assert (new.status, new.locality, new.owner, new.supersedes) == (
        PlanStatus.DRAFT,
        world.batley,
        world.batley_lead,
        None,
    )
    assert new.period_end - new.period_start == 2
    copied = {item.kind: item for item in new.items.all()}
    assert list(copied[PlanItemKind.PRIORITY].themes.all()) == [food]
    assert copied[PlanItemKind.PRIORITY].people_heard == 30
    assert list(copied[PlanItemKind.CONNECTION].organisations.all()) == [pantry]
    assert copied[PlanItemKind.CONNECTION].heard_at_events
    assert {(ref.title, ref.item_id) for ref in new.references.all()} == {
        ("Batley East ward plan", None),
        ("Youth services aspirations", copied[PlanItemKind.PRIORITY].pk),
    }
    old.refresh_from_db()
    assert old.status == PlanStatus.PUBLISHED
    assert old.items.count() == 2


def test_history_records_each_status_change(world):
    plan = draft(world)
    plan_share(plan=plan, user=world.alice)
    plan_publish(plan=plan, user=world.alice)
    assert [h.status for h in plan.history.order_by("history_date")] == [
        "draft",
        "shared",
        "published",
    ]


# ------------------------------------------------------------------------------
# Two publishes racing (PostgreSQL: real row locks across two connections)
# ------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_publishes_racing_end_with_exactly_one_published_plan(world):
    draft(world, published=True, title="Current")
    first = draft(world, title="First")
    second = draft(world, title="Second")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def publish(plan):
        try:
            barrier.wait(timeout=10)
            plan_publish(plan=plan, user=world.alice)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(plan,)) for plan in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    plans = {plan.title: plan for plan in LocalityPlan.objects.filter(locality=world.batley)}
    published = [plan for plan in plans.values() if plan.status == PlanStatus.PUBLISHED]
    assert len(published) == 1
    winner = published[0]
    loser = plans["Second"] if winner.title == "First" else plans["First"]
    # The publishes ran one after the other: the first replaced the old plan, the second the first.
    assert plans["Current"].status == PlanStatus.SUPERSEDED
    assert loser.status == PlanStatus.SUPERSEDED
    assert loser.supersedes == plans["Current"]
    assert winner.supersedes == loser


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_publishes_waits_for_the_first_to_commit(world):
    """Hold the first publish open inside its transaction; the second must wait on the lock,
    then see the first as the current plan."""
    from django.db import transaction

    first = draft(world, title="First")
    second = draft(world, title="Second")
    first_done = threading.Event()
    second_started = threading.Event()
    result: dict = {}

    def publish_second():
        try:
            second_started.set()
            plan_publish(plan=second, user=world.alice)
            result["second_after_first"] = first_done.is_set()
        except BaseException as exc:
            result["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        plan_publish(plan=first, user=world.alice)
        thread = threading.Thread(target=publish_second)
        thread.start()
        second_started.wait(timeout=10)
        thread.join(timeout=1)  # it must still be waiting on our row locks
        assert thread.is_alive()
        first_done.set()
    thread.join(timeout=30)

    assert "error" not in result
    assert result["second_after_first"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.supersedes) == (
        PlanStatus.SUPERSEDED,
        PlanStatus.PUBLISHED,
        first,
    )


# ------------------------------------------------------------------------------
# plan_update: the one way the editor and the admin change a plan
# ------------------------------------------------------------------------------
def test_a_plan_is_updated_with_the_status_the_editor_saw(world):
    plan = draft(world)
    saved = plan_update(
        plan=plan,
        user=world.alice,
        expected_status=PlanStatus.DRAFT,
        expected_version=version_of(plan),
        values={"title": "New title"},
    )
    plan.refresh_from_db()
    assert (saved.title, plan.title, plan.status) == ("New title", "New title", PlanStatus.DRAFT)


def test_an_update_made_on_a_stale_status_is_refused_and_saves_nothing(world):
    plan = draft(world)
    plan_publish(plan=plan, user=world.officer, on=TODAY)
    with pytest.raises(ValidationError) as refused:
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={"title": "Late edit"},
        )
    assert refused.value.error_list[0].code == "stale"
    plan.refresh_from_db()
    assert plan.title != "Late edit"


def test_related_rows_are_saved_only_when_the_plan_is(world):
    plan = draft(world, shared=True)
    saved_related = []
    with pytest.raises(ValidationError):
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={},
            save_related=saved_related.append,
        )
    assert saved_related == []


def test_an_update_cannot_move_a_plan_out_of_the_editors_scope_whatever_the_form_offered(world):
    plan = draft(world)
    with pytest.raises(PermissionDenied):
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={"owner": world.dewsbury_lead},
        )
    with pytest.raises(PermissionDenied):
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={"locality": world.dewsbury},
        )
    plan.refresh_from_db()
    assert (plan.owner, plan.locality) == (world.batley_lead, world.batley)


def test_only_the_plans_own_details_can_be_updated(world):
    plan = draft(world)
    with pytest.raises(ValueError, match="status"):
        plan_update(
            plan=plan,
            user=world.officer,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={"status": "published"},
        )


def test_someone_outside_the_plans_scope_cannot_update_it(world):
    plan = draft(world)
    with pytest.raises(PermissionDenied):
        plan_update(
            plan=plan,
            user=world.bob,
            expected_status=PlanStatus.DRAFT,
            expected_version=version_of(plan),
            values={"title": "Hijacked"},
        )


def test_an_update_made_on_a_stale_copy_is_refused_naming_what_changed_and_who(world):
    plan = draft(world, title="Batley plan")
    loaded = version_of(plan)
    first = plan_update(
        plan=plan,
        user=world.officer,
        expected_status=PlanStatus.DRAFT,
        expected_version=loaded,
        values={"summary": "The officer's wording."},
    )
    with pytest.raises(EditConflict) as refused:
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=loaded,
            values={"summary": "Alice's wording."},
        )
    conflict = refused.value
    assert [(c.name, c.before, c.after) for c in conflict.changes] == [
        ("summary", plan.summary, "The officer's wording.")
    ]
    assert conflict.current_version == version_of(first)
    assert "Someone else changed this plan while you were editing it" in conflict.messages[0]
    assert "Summary was" in conflict.messages[0]
    plan.refresh_from_db()
    assert plan.summary == "The officer's wording."


@pytest.mark.parametrize("version", [None, "", "yesterday", "2026-01-01T00:00:00"])
def test_an_update_that_cannot_say_which_version_it_was_made_on_is_refused(world, version):
    plan = draft(world)
    with pytest.raises(EditConflict):
        plan_update(
            plan=plan,
            user=world.alice,
            expected_status=PlanStatus.DRAFT,
            expected_version=version,
            values={"title": "X"},
        )
