"""The front-end plan editor: starting, writing, ordering, sharing and publishing a plan, and
nobody touching another organisation's plan."""

import datetime
from http import HTTPStatus

import pytest
from django.conf import settings
from django.forms import MultiWidget
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from plans.models import LocalityPlan, PlanItem, PlanItemKind, PlanStatus
from plans.services import plan_share
from tests.factories import OrganisationFactory, TaxonomyTermFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory, PlanReferenceFactory

pytestmark = pytest.mark.django_db

MINE = reverse("plans:mine")
NEW = reverse("plans:create")


def form_data(response) -> dict:
    """What a browser sends back for the rendered editor: the plan form and both formsets with
    their management forms, so a test can change a field or two and submit."""
    data: dict = {}

    def add(form) -> None:
        for bound_field in form:
            value = bound_field.value()
            widget = bound_field.field.widget
            if isinstance(widget, MultiWidget):
                parts = value if isinstance(value, list | tuple) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{bound_field.html_name}_{index}"] = "" if part is None else str(part)
                continue
            if value is None or value is False:
                continue
            if value is True:
                data[bound_field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound_field.html_name] = [str(item) for item in value]
            else:
                data[bound_field.html_name] = str(value)

    context = response.context
    add(context["form"])
    for name in ("items", "references"):
        if name in context and context[name] is not None and hasattr(context[name], "management_form"):
            add(context[name].management_form)
            for form in context[name].forms:
                add(form)
    return data


def blank_item_prefix(response, kind: str) -> str:
    """The prefix of the blank "add" form in a section."""
    for section in response.context["item_sections"]:
        if section["kind"] == kind:
            return next(form.prefix for form in section["forms"] if form.instance.pk is None)
    raise AssertionError(kind)


def saved_item_prefix(response, item: PlanItem) -> str:
    return next(form.prefix for form in response.context["items"].forms if form.instance.pk == item.pk)


@pytest.fixture
def alice(client, world):
    client.force_login(world.alice)
    return client


# ------------------------------------------------------------------------------
# Signing in and scope
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [MINE, NEW])
def test_the_editor_needs_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def test_your_plans_lists_only_the_plans_you_may_change(alice, world):
    LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Our draft")
    LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Our old plan", superseded=True)
    LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead, title="Dewsbury draft")
    response = alice.get(MINE)
    assert [plan.title for plan in response.context["plans"]] == ["Our draft"]
    assertContains(response, "Start a new plan")
    assertNotContains(response, "Dewsbury draft")


@pytest.mark.parametrize("status", ["draft", "shared", "published"])
def test_an_editor_cannot_open_change_share_or_publish_another_anchors_plan(alice, world, status):
    plan = LocalityPlanFactory(
        locality=world.dewsbury,
        owner=world.dewsbury_lead,
        **({status: True} if status != "draft" else {}),
    )
    key = plan.slug
    assert alice.get(reverse("plans:update", kwargs={"key": key})).status_code == HTTPStatus.NOT_FOUND
    assert alice.get(reverse("plans:update", kwargs={"key": str(plan.uuid)})).status_code == HTTPStatus.NOT_FOUND
    assert (
        alice.post(reverse("plans:update", kwargs={"key": key}), {"title": "Hijacked"}).status_code
        == HTTPStatus.NOT_FOUND
    )
    for action in ("share", "publish", "new_version"):
        assert alice.post(reverse(f"plans:{action}", kwargs={"key": key})).status_code == HTTPStatus.NOT_FOUND
    plan.refresh_from_db()
    assert (plan.status, plan.title) == (status, plan.title)
    assert LocalityPlan.objects.count() == 1
    expected = HTTPStatus.NOT_FOUND if status == "draft" or status == "shared" else HTTPStatus.OK
    assert alice.get(plan.get_absolute_url()).status_code == expected


def test_a_councillor_cannot_edit_a_shared_plan(client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, shared=True)
    client.force_login(world.councillor)
    assert client.get(plan.get_edit_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.post(reverse("plans:publish", kwargs={"key": plan.slug})).status_code == HTTPStatus.NOT_FOUND


def test_a_superseded_plan_cannot_be_edited_even_by_its_owner(alice, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, superseded=True)
    assert alice.get(plan.get_edit_url()).status_code == HTTPStatus.NOT_FOUND


def test_someone_who_leads_no_area_is_told_why_they_cannot_start_a_plan(client, world):
    client.force_login(world.local_editor)
    response = client.get(NEW)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assertContains(response, "You cannot write a plan", status_code=HTTPStatus.FORBIDDEN)


@pytest.mark.parametrize("action", ["share", "publish", "new_version"])
def test_actions_answer_only_post(alice, world, action):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    assert alice.get(reverse(f"plans:{action}", kwargs={"key": plan.slug})).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_actions_need_the_csrf_token(world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post(reverse("plans:publish", kwargs={"key": plan.slug}))
    assert response.status_code == HTTPStatus.FORBIDDEN
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# ------------------------------------------------------------------------------
# Starting a plan
# ------------------------------------------------------------------------------
def test_starting_a_plan_offers_only_the_editors_places_and_organisation(alice, world):
    response = alice.get(NEW)
    form = response.context["form"]
    assert [place.slug for place in form.fields["locality"].queryset] == [
        "batley-and-spen",
        "batley-east",
    ]
    assert list(form.fields["owner"].queryset) == [world.batley_lead]
    assert form.initial["owner"] == world.batley_lead.pk


def test_starting_a_plan_saves_a_draft_and_goes_on_to_the_items(alice, world):
    response = alice.post(
        NEW,
        {
            "title": "Batley and Spen locality plan",
            "locality": world.batley.pk,
            "owner": world.batley_lead.pk,
            "period_start": "2025",
            "period_end": "2028",
            "summary": "Written with 300 residents.",
        },
    )
    plan = LocalityPlan.objects.get()
    assertRedirects(response, plan.get_edit_url())
    assert (plan.status, plan.locality, plan.owner, plan.period_label) == (
        PlanStatus.DRAFT,
        world.batley,
        world.batley_lead,
        "2025–2028",
    )


def test_starting_a_plan_with_mistakes_explains_them_and_keeps_what_was_typed(alice, world):
    response = alice.post(
        NEW,
        {
            "title": "",
            "locality": world.dewsbury.pk,
            "owner": world.batley_lead.pk,
            "period_start": "twenty",
            "period_end": "2024",
            "summary": "Written with 300 residents.",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert not LocalityPlan.objects.exists()
    assertContains(response, "There is a problem")
    messages = [message for _target, message in response.context["error_links"]]
    assert "Enter a title for the plan" in messages
    assert "Choose an area from the list" in messages
    assert "Enter the first year as 4 digits, for example 2025" in messages
    assertContains(response, "Written with 300 residents.")
    assertContains(response, 'value="twenty"')
    assertContains(response, '<a href="#id_title">Enter a title for the plan</a>', html=True)


def test_the_years_must_run_forwards(alice, world):
    response = alice.post(
        NEW,
        {
            "title": "Plan",
            "locality": world.batley.pk,
            "owner": world.batley_lead.pk,
            "period_start": "2028",
            "period_end": "2025",
        },
    )
    assert "The last year must be the same as or after the first year." in [
        m for _t, m in response.context["error_links"]
    ]


# ------------------------------------------------------------------------------
# Writing items
# ------------------------------------------------------------------------------
@pytest.fixture
def plan(world):
    return LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Batley and Spen plan")


def test_adding_items_in_several_sections_in_one_save(alice, world, plan):
    food = TaxonomyTermFactory(name="Food support")
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.batley_east])
    OrganisationFactory(name="Far Away Group", localities=[world.armley])
    page = alice.get(plan.get_edit_url())
    organisations = [label for _pk, label in page.context["items"].forms[0].fields["organisations"].choices]
    # Published, in the district or its network (tests/plans/test_connections.py): not Armley's.
    assert "Batley Pantry" in organisations
    assert "Far Away Group" not in organisations
    data = form_data(page)
    priority, connection = (
        blank_item_prefix(page, "priority"),
        blank_item_prefix(page, "connection"),
    )
    data.update(
        {
            f"{priority}-title": "Food for families",
            f"{priority}-themes": [str(food.pk)],
            f"{priority}-people_heard": "45",
            f"{priority}-methods": ["conversation", "survey"],
            f"{priority}-heard_from_0": "6",
            f"{priority}-heard_from_1": "1",
            f"{priority}-heard_from_2": "2025",
            f"{connection}-title": "Batley Pantry and the schools",
            f"{connection}-organisations": [str(pantry.pk)],
        }
    )
    response = alice.post(plan.get_edit_url(), data)
    assertRedirects(response, plan.get_edit_url())
    items = {item.kind: item for item in plan.items.all()}
    assert set(items) == {PlanItemKind.PRIORITY, PlanItemKind.CONNECTION}
    food_item = items[PlanItemKind.PRIORITY]
    assert (food_item.title, food_item.order, food_item.people_heard) == (
        "Food for families",
        1,
        45,
    )
    assert food_item.methods == ["conversation", "survey"]
    assert food_item.heard_from == datetime.date(2025, 1, 6)
    assert list(food_item.themes.all()) == [food]
    assert list(items[PlanItemKind.CONNECTION].organisations.all()) == [pantry]


def test_items_are_reordered_by_their_numbers_and_gaps_close(alice, world, plan):
    first = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1, title="First")
    second = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=2, title="Second")
    third = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=3, title="Third")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data[f"{saved_item_prefix(page, first)}-order"] = "7"
    data[f"{saved_item_prefix(page, second)}-order"] = ""
    data[f"{saved_item_prefix(page, third)}-order"] = "1"
    new = blank_item_prefix(page, "priority")
    data.update({f"{new}-title": "New one", f"{new}-order": "2"})
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    order = list(plan.items.filter(kind=PlanItemKind.PRIORITY).order_by("order").values_list("title", "order"))
    assert order == [("Third", 1), ("New one", 2), ("First", 3), ("Second", 4)]


def test_swapping_two_items_never_breaks_the_one_number_per_item_rule(alice, world, plan):
    first = PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=1, title="First")
    second = PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=2, title="Second")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data[f"{saved_item_prefix(page, first)}-order"] = "2"
    data[f"{saved_item_prefix(page, second)}-order"] = "1"
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    assert list(plan.items.order_by("order").values_list("title", flat=True)) == ["Second", "First"]


def test_moving_an_item_to_another_section_puts_it_last_there_unless_numbered(alice, world, plan):
    PlanItemFactory(plan=plan, kind=PlanItemKind.OPPORTUNITY, order=1, title="Opportunity")
    moving = PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=1, title="Actually an opportunity")
    staying = PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=2, title="Concern")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data[f"{saved_item_prefix(page, moving)}-kind"] = "opportunity"
    data[f"{saved_item_prefix(page, moving)}-order"] = ""
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    moving.refresh_from_db()
    staying.refresh_from_db()
    assert (moving.kind, moving.order) == ("opportunity", 2)
    assert staying.order == 1


def test_removing_an_item(alice, world, plan):
    gone = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1, title="Gone")
    kept = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=2, title="Kept")
    reference = PlanReferenceFactory(plan=plan, item=gone, title="Linked to the gone item")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data[f"{saved_item_prefix(page, gone)}-DELETE"] = "on"
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    assert list(plan.items.values_list("title", "order")) == [("Kept", 1)]
    kept.refresh_from_db()
    reference.refresh_from_db()
    assert reference.item is None  # kept, for the whole plan


def test_two_items_with_the_same_number_are_explained_and_nothing_is_lost(alice, world, plan):
    PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1, title="Food")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    new = blank_item_prefix(page, "priority")
    data.update(
        {
            f"{new}-title": "Warm spaces",
            f"{new}-order": "1",
            f"{new}-detail": "Libraries and churches.",
        }
    )
    data["title"] = "A better title"
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    messages = [message for _target, message in response.context["error_links"]]
    assert "Priority 2: “Food” and “Warm spaces” are both priority number 1. Give each a different number" in messages
    assertContains(response, "Libraries and churches.")
    assertContains(response, 'value="A better title"')
    assert plan.items.count() == 1
    plan.refresh_from_db()
    assert plan.title == "Batley and Spen plan"


def test_item_errors_are_listed_at_the_top_linked_to_their_inputs(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    new = blank_item_prefix(page, "concern")
    data.update(
        {
            f"{new}-detail": "No title typed",
            f"{new}-people_heard": "lots",
            f"{new}-heard_to_0": "31",
            f"{new}-heard_to_1": "2",
            f"{new}-heard_to_2": "2025",
        }
    )
    response = alice.post(plan.get_edit_url(), data)
    links = response.context["error_links"]
    assert (f"id_{new}-title", "Concern 1: Enter a title for the item") in links
    assert (
        f"id_{new}-people_heard",
        "Concern 1: Enter how many people as a whole number, such as 25",
    ) in links
    assert (
        f"id_{new}-heard_to_0",
        "Concern 1: Enter a real date, for example 27 3 2025",
    ) in links
    assertContains(response, "No title typed")
    assertContains(response, 'value="lots"')
    assert not plan.items.exists()


def test_adding_a_reference_to_an_item(alice, world, plan):
    item = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1, title="Youth club")
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data.update(
        {
            "references-0-kind": "council_strategy",
            "references-0-title": "Youth services aspirations",
            "references-0-owner": "Kirklees Council",
            "references-0-url": "https://www.example.org/youth",
            "references-0-item": str(item.pk),
        }
    )
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    reference = plan.references.get()
    assert (reference.title, reference.item, reference.kind) == (
        "Youth services aspirations",
        item,
        "council_strategy",
    )
    assertContains(alice.get(plan.get_absolute_url()), "Youth services aspirations")


def test_the_history_records_who_changed_an_items_themes_and_organisations(alice, world, plan):
    food = TaxonomyTermFactory(name="Food support")
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.batley_east])
    item = PlanItemFactory(plan=plan, kind=PlanItemKind.CONNECTION, order=1)
    page = alice.get(plan.get_edit_url())
    prefix = next(form.prefix for form in page.context["items"].forms if form.instance.pk == item.pk)
    data = form_data(page)
    data.update({f"{prefix}-themes": [str(food.pk)], f"{prefix}-organisations": [str(pantry.pk)]})
    alice.post(plan.get_edit_url(), data)

    latest = item.history.latest()
    assert latest.history_user.username == "alice"
    assert list(latest.themes.values_list("taxonomyterm_id", flat=True)) == [food.pk]
    assert list(latest.organisations.values_list("organisation_id", flat=True)) == [pantry.pk]


def test_saving_unchanged_items_writes_nothing(alice, world, plan):
    item = PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=1)
    page = alice.get(plan.get_edit_url())
    alice.post(plan.get_edit_url(), form_data(page))
    assert item.history.count() == 1


# ------------------------------------------------------------------------------
# Sharing and publishing from the editor
# ------------------------------------------------------------------------------
def test_share_then_publish_from_the_editor_saving_first(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    data["title"] = "Shared title"
    data["action"] = "share"
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    plan.refresh_from_db()
    assert (plan.status, plan.title) == (PlanStatus.SHARED, "Shared title")

    page = alice.get(plan.get_edit_url())
    assertNotContains(page, 'value="share"')
    data = form_data(page)
    data["action"] = "publish"
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_absolute_url())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED


def test_publishing_a_new_version_supersedes_the_old_one(alice, world):
    old = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="2024 plan", published=True)
    PlanItemFactory(plan=old, kind=PlanItemKind.PRIORITY, order=1, title="Food")
    response = alice.post(reverse("plans:new_version", kwargs={"key": old.slug}))
    new = LocalityPlan.objects.exclude(pk=old.pk).get()
    assertRedirects(response, new.get_edit_url())
    page = alice.get(new.get_edit_url())
    assertContains(page, "replaces the current plan for Batley and Spen")
    data = form_data(page)
    data.update({"title": "2026 plan", "action": "publish"})
    assertRedirects(alice.post(new.get_edit_url(), data), new.get_absolute_url())
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status, new.supersedes) == (
        PlanStatus.SUPERSEDED,
        PlanStatus.PUBLISHED,
        old,
    )
    assertContains(alice.get(old.get_absolute_url()), "This plan has been replaced")


def test_the_publish_button_refuses_an_invalid_transition_politely(alice, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True)
    response = alice.post(reverse("plans:publish", kwargs={"key": plan.slug}), follow=True)
    assertContains(response, "Only a draft or shared plan can be published: this plan is published.")


def test_publish_and_share_buttons_work_outside_the_editor(alice, world, plan):
    assertRedirects(alice.post(reverse("plans:share", kwargs={"key": plan.slug})), plan.get_absolute_url())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED
    assertRedirects(alice.post(reverse("plans:publish", kwargs={"key": plan.slug})), plan.get_absolute_url())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED


def test_a_published_plan_can_be_corrected_but_not_moved(alice, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True, title="Tpyo")
    page = alice.get(plan.get_edit_url())
    assert "locality" not in page.context["form"].fields
    assertNotContains(page, 'value="publish"')
    data = form_data(page)
    data["title"] = "Typo fixed"
    data["locality"] = str(world.batley_east.pk)  # ignored: not offered
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    plan.refresh_from_db()
    assert (plan.title, plan.locality, plan.status) == (
        "Typo fixed",
        world.batley,
        PlanStatus.PUBLISHED,
    )


def test_the_editor_page_costs_no_query_per_item(alice, world, plan, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TaxonomyTermFactory.create_batch(5)
    OrganisationFactory.create_batch(5, localities=[world.batley])
    counts = []
    for total in (5, 40):
        for number in range(plan.items.count(), total):
            PlanItemFactory(plan=plan, kind=list(PlanItemKind)[number % 4], order=number + 1)
        with CaptureQueriesContext(connection) as queries:
            alice.get(plan.get_edit_url())
        counts.append(len(queries))
    print(f"editor page queries (5, 40 items): {counts}")
    assert counts[0] == counts[1]


def test_a_refused_publish_saves_nothing_and_keeps_what_was_typed(client, world):
    plan = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    client.force_login(world.officer)
    page = client.get(plan.get_edit_url())
    # The anchor leaves its role while the plan is being written: it may not publish now.
    world.dewsbury_lead.anchor_roles.update(left_on=datetime.date(2026, 1, 1))
    data = form_data(page)
    new = blank_item_prefix(page, "priority")
    data.update({f"{new}-title": "Safe streets", "title": "Dewsbury plan", "action": "publish"})
    response = client.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert any("is not the lead anchor" in message for _t, message in response.context["error_links"])
    assertContains(response, 'value="Safe streets"')
    assertContains(response, "Priority 1 (new)")
    plan.refresh_from_db()
    assert (plan.status, plan.items.count()) == (PlanStatus.DRAFT, 0)
    assert plan.title != "Dewsbury plan"


def test_a_save_after_someone_else_published_the_plan_does_not_undo_it(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    from plans.services import plan_publish

    plan_publish(plan=plan, user=world.officer)
    data = form_data(page)
    data["title"] = "Late edit"
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Someone else changed this plan&#x27;s status to “published”")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.title == "Batley and Spen plan"


def test_saving_the_editor_costs_no_query_per_unchanged_item(alice, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for total in (5, 40):
        for number in range(plan.items.count(), total):
            PlanItemFactory(plan=plan, kind=list(PlanItemKind)[number % 4], order=number // 4 + 1)
        data = form_data(alice.get(plan.get_edit_url()))
        with CaptureQueriesContext(connection) as queries:
            response = alice.post(plan.get_edit_url(), data)
        assert response.status_code == 302
        counts.append(len(queries))
    print(f"editor save queries (5, 40 items): {counts}")
    assert counts[0] == counts[1]


def test_a_save_that_does_not_say_which_status_it_was_made_on_is_refused(alice, world, plan):
    """A form from before the check existed, or a forged one, cannot skip it."""
    data = form_data(alice.get(plan.get_edit_url()))
    del data["expected_status"]
    data["title"] = "Unchecked edit"
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "This changed while you were editing it")
    plan.refresh_from_db()
    assert plan.title == "Batley and Spen plan"


def test_after_a_stale_save_is_refused_saving_again_is_a_deliberate_choice(alice, world, plan):
    page = alice.get(plan.get_edit_url())
    plan_share(plan=plan, user=world.officer)
    data = form_data(page)
    data["title"] = "Seen the change, saving anyway"
    refused = alice.post(plan.get_edit_url(), data)
    assertContains(refused, "Someone else changed this plan&#x27;s status to “shared with councillors”")
    assertContains(refused, 'value="Seen the change, saving anyway"')  # what was typed is kept
    again = form_data(refused)
    assert again["expected_status"] == PlanStatus.SHARED
    assert alice.post(plan.get_edit_url(), again).status_code == HTTPStatus.FOUND
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("Seen the change, saving anyway", PlanStatus.SHARED)
