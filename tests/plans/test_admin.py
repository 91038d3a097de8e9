"""The officers' admin for plans: pages answer, lists cost a fixed number of queries, status
changes go through the services, a change through plan_update, and the admin is for officers only."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from plans.models import LocalityPlan, PlanItem, PlanReference, PlanStatus
from plans.services import plan_publish
from tests.admin_forms import form_data
from tests.factories import LocalityFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory, PlanReferenceFactory

pytestmark = pytest.mark.django_db

FACTORIES = {
    LocalityPlan: LocalityPlanFactory,
    PlanItem: PlanItemFactory,
    PlanReference: PlanReferenceFactory,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make(model):
    if model is LocalityPlan:
        return LocalityPlanFactory(locality=LocalityFactory(), published=True)
    return FACTORIES[model]()


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_every_plan_admin_page_answers(admin_client, model):
    obj = make(model)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ):
        assert admin_client.get(url).status_code == HTTPStatus.OK, url
    assert admin_client.get(admin_url(model, "changelist"), {"q": "plan"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_plan_changelists_cost_the_same_queries_for_3_and_23_rows(admin_client, model):
    url = admin_url(model, "changelist")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url, {"_facets": "True"}).status_code == HTTPStatus.OK
        return len(queries)

    for _ in range(3):
        make(model)
    admin_client.get(url)
    few = count()
    for _ in range(20):
        make(model)
    assert count() == few


def test_the_change_page_costs_no_query_per_item(admin_client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    url = admin_url(LocalityPlan, "change", plan.pk)
    counts = []
    for total in (2, 12):
        for number in range(plan.items.count(), total):
            PlanReferenceFactory(plan=plan, item=PlanItemFactory(plan=plan, order=number + 1))
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_publishing_from_the_admin_supersedes_the_current_plan(admin_client, world):
    old = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)
    new = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, shared=True)
    response = admin_client.post(
        admin_url(LocalityPlan, "changelist"),
        {"action": "publish", "_selected_action": [new.pk]},
        follow=True,
    )
    assert "Published 1 plan." in response.content.decode()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status, new.supersedes) == (
        PlanStatus.SUPERSEDED,
        PlanStatus.PUBLISHED,
        old,
    )


def test_an_invalid_admin_action_says_why(admin_client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)
    response = admin_client.post(
        admin_url(LocalityPlan, "changelist"),
        {"action": "share", "_selected_action": [plan.pk]},
        follow=True,
    )
    assert "Only a draft can be shared with councillors" in response.content.decode()


def test_status_is_not_editable_in_the_admin_form(admin_client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    form = admin_client.get(admin_url(LocalityPlan, "change", plan.pk)).context["adminform"].form
    assert "status" not in form.fields
    assert "locality" in form.fields
    plan.status, plan.published_on = PlanStatus.PUBLISHED, plan.created_at.date()
    plan.save()
    form = admin_client.get(admin_url(LocalityPlan, "change", plan.pk)).context["adminform"].form
    assert "locality" not in form.fields


def test_the_plan_admins_are_for_officers_only(world):
    """Editors write plans in the front end; in the admin, even their own plan is refused."""
    mine = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    theirs = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    PlanItemFactory(plan=mine)
    request = RequestFactory().get("/")
    request.user = world.alice
    plan_admin = admin.site._registry[LocalityPlan]
    item_admin = admin.site._registry[PlanItem]
    for model_admin in (plan_admin, item_admin):
        assert not model_admin.has_module_permission(request)
        assert not model_admin.has_view_permission(request)
    assert not plan_admin.has_change_permission(request, mine)
    request.user = world.officer
    assert plan_admin.has_change_permission(request, theirs)
    assert set(plan_admin.get_queryset(request)) == {mine, theirs}


def test_a_change_form_saved_after_the_plans_status_changed_is_refused_and_keeps_what_was_typed(client, world):
    client.force_login(world.officer)
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Batley and Spen plan")
    page = client.get(admin_url(LocalityPlan, "change", plan.pk))
    plan_publish(plan=plan, user=world.officer)
    data = form_data(page)
    data["title"] = "Officer's late correction"
    response = client.post(admin_url(LocalityPlan, "change", plan.pk), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Someone else changed this plan&#x27;s status to “published”")
    assertContains(response, 'value="Officer&#x27;s late correction"')
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("Batley and Spen plan", PlanStatus.PUBLISHED)


def test_an_officer_changes_a_plan_through_plan_update(client, world):
    client.force_login(world.officer)
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    PlanItemFactory(plan=plan, title="Old item title")
    data = form_data(client.get(admin_url(LocalityPlan, "change", plan.pk)))
    data["title"] = "Corrected title"
    data["items-0-title"] = "Corrected item"
    response = client.post(admin_url(LocalityPlan, "change", plan.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert plan.title == "Corrected title"
    assert plan.items.get().title == "Corrected item"
    assert plan.history.first().history_user == world.officer
