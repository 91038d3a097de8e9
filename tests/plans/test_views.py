"""The public plan pages, as residents and councillors use them."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from plans.models import PlanItemKind
from plans.selectors import plan_current_for_locality
from tests.factories import OrganisationFactory, TaxonomyTermFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory, PlanReferenceFactory

pytestmark = pytest.mark.django_db

PLANS = reverse("plans:list")


def plan_titles(response):
    return [plan.title for plan in response.context["plans"]]


# ------------------------------------------------------------------------------
# Who sees a plan page
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        ("draft", None, HTTPStatus.NOT_FOUND),
        ("draft", "resident", HTTPStatus.NOT_FOUND),
        ("draft", "councillor", HTTPStatus.NOT_FOUND),
        ("draft", "bob", HTTPStatus.NOT_FOUND),
        ("draft", "alice", HTTPStatus.OK),
        ("draft", "viewer", HTTPStatus.OK),
        ("draft", "officer", HTTPStatus.OK),
        ("shared", None, HTTPStatus.NOT_FOUND),
        ("shared", "resident", HTTPStatus.NOT_FOUND),
        ("shared", "bob", HTTPStatus.NOT_FOUND),
        ("shared", "councillor", HTTPStatus.OK),
        ("shared", "alice", HTTPStatus.OK),
        ("published", None, HTTPStatus.OK),
        ("published", "resident", HTTPStatus.OK),
        ("published", "councillor", HTTPStatus.OK),
        ("superseded", None, HTTPStatus.OK),
        ("superseded", "bob", HTTPStatus.OK),
    ],
)
def test_who_may_read_a_plan_of_each_status(client, world, status, who, expected):
    plan = LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        **({status: True} if status != "draft" else {}),
    )
    if who:
        client.force_login(getattr(world, who))
    assert client.get(plan.get_absolute_url()).status_code == expected
    assert client.get(reverse("plans:detail", kwargs={"key": str(plan.uuid)})).status_code == expected


def test_the_public_list_shows_only_published_plans(client, world):
    LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Published Batley", published=True)
    LocalityPlanFactory(locality=world.batley, title="Old Batley", superseded=True)
    LocalityPlanFactory(locality=world.dewsbury, title="Shared Dewsbury", shared=True)
    LocalityPlanFactory(locality=world.dewsbury, title="Draft Dewsbury")
    client.force_login(world.councillor)  # even a councillor's list is the published plans
    response = client.get(PLANS)
    assert response.status_code == HTTPStatus.OK
    assert plan_titles(response) == ["Published Batley"]
    assertContains(response, "1 published plan")
    assertNotContains(response, "Draft Dewsbury")


# ------------------------------------------------------------------------------
# The list: filters, empty state, pagination
# ------------------------------------------------------------------------------
@pytest.fixture
def published(world):
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    youth = TaxonomyTermFactory(name="Young people", slug="young-people")
    batley = LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        title="Batley and Spen plan",
        published=True,
        published_on=datetime.date(2025, 5, 1),
    )
    ward = LocalityPlanFactory(
        locality=world.batley_east,
        owner=world.batley_lead,
        title="Batley East plan",
        published=True,
        published_on=datetime.date(2025, 6, 1),
    )
    dewsbury = LocalityPlanFactory(
        locality=world.dewsbury,
        owner=world.dewsbury_lead,
        title="Dewsbury plan",
        published=True,
        published_on=datetime.date(2025, 4, 1),
    )
    armley = LocalityPlanFactory(
        locality=world.armley,
        owner=world.armley_anchor,
        title="Armley plan",
        published=True,
        published_on=datetime.date(2025, 3, 1),
    )
    PlanItemFactory(plan=batley, themes=[food])
    PlanItemFactory(plan=dewsbury, themes=[youth])
    PlanItemFactory(plan=armley, themes=[food, youth])
    return {
        "food": food,
        "youth": youth,
        "batley": batley,
        "ward": ward,
        "dewsbury": dewsbury,
        "armley": armley,
    }


def test_the_list_is_newest_first(client, published):
    assert plan_titles(client.get(PLANS)) == [
        "Batley East plan",
        "Batley and Spen plan",
        "Dewsbury plan",
        "Armley plan",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "kirklees"}, ["Batley East plan", "Batley and Spen plan", "Dewsbury plan"]),
        ({"area": "batley-and-spen"}, ["Batley East plan", "Batley and Spen plan"]),
        ({"area": "batley-east"}, ["Batley East plan"]),
        ({"area": "leeds"}, ["Armley plan"]),
        ({"theme": "food-support"}, ["Batley and Spen plan", "Armley plan"]),
        ({"theme": "young-people", "area": "kirklees"}, ["Dewsbury plan"]),
    ],
)
def test_filtering_by_area_and_theme(client, published, params, expected):
    response = client.get(PLANS, params)
    assert plan_titles(response) == expected


def test_filters_stay_in_the_page_and_the_address(client, published):
    response = client.get(PLANS, {"area": "batley-and-spen", "theme": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{PLANS}?area=batley-and-spen"
    response = client.get(response.url)
    assertContains(
        response,
        '<option value="batley-and-spen" selected>Batley and Spen area</option>',
        html=True,
    )
    assertContains(response, "2 published plans in Batley and Spen")


def test_a_ward_without_its_own_plan_points_to_its_areas_plan(client, world, published):
    published["ward"].delete()
    response = client.get(PLANS, {"area": "batley-east"})
    assert plan_titles(response) == []
    assertContains(response, "No published plans match your filters.")
    assertContains(response, "Plans for the wider area")
    assertContains(response, published["batley"].get_absolute_url())


def test_an_unknown_filter_value_is_explained_not_an_error(client, published):
    response = client.get(PLANS, {"area": "atlantis"})
    assert response.status_code == HTTPStatus.OK
    assert plan_titles(response) == []
    assertContains(response, "There is a problem")
    assertContains(response, "Choose an option from the list.")


def test_an_empty_list_says_so(client, world):
    assertContains(client.get(PLANS), "No locality plans have been published yet.")


def test_the_list_is_paginated_keeping_the_filters(client, world):
    from tests.factories import LocalityFactory

    for _ in range(25):  # one published plan per place: a ward each
        LocalityPlanFactory(locality=LocalityFactory(parent=world.dewsbury), published=True)
    response = client.get(PLANS, {"area": "dewsbury", "page": "2"})
    assert response.context["page_obj"].number == 2
    assert len(response.context["plans"]) == 5
    assertContains(response, "?area=dewsbury&amp;page=1")
    assert client.get(PLANS, {"page": "99"}).context["page_obj"].number == 2


# ------------------------------------------------------------------------------
# The plan page
# ------------------------------------------------------------------------------
def test_the_plan_page_shows_the_summary_then_the_four_sections_in_order(client, world):
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    pantry = OrganisationFactory(name="Batley Pantry", slug="batley-pantry")
    hidden = OrganisationFactory(name="Unlisted Group", status=PublicationStatus.DRAFT)
    plan = LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        published=True,
        summary="We spoke to 300 people in 2024.",
    )
    PlanItemFactory(
        plan=plan,
        kind=PlanItemKind.CONNECTION,
        order=1,
        title="Link the pantry with schools",
        organisations=[pantry, hidden],
    )
    PlanItemFactory(plan=plan, kind=PlanItemKind.PRIORITY, order=2, title="Warm spaces", themes=[food])
    PlanItemFactory(
        plan=plan,
        kind=PlanItemKind.PRIORITY,
        order=1,
        title="Food for families",
        people_heard=45,
        heard_in_conversations=True,
        heard_from=datetime.date(2025, 1, 6),
        heard_to=datetime.date(2025, 3, 28),
    )
    PlanItemFactory(plan=plan, kind=PlanItemKind.CONCERN, order=1, title="Bus cuts")
    item = PlanItemFactory(plan=plan, kind=PlanItemKind.OPPORTUNITY, order=1, title="Empty shop units")
    PlanReferenceFactory(
        plan=plan,
        title="Batley East ward plan",
        owner="Kirklees Council",
        url="https://www.example.org/ward",
    )
    PlanReferenceFactory(plan=plan, item=item, title="Town centre strategy", url="")

    response = client.get(plan.get_absolute_url())
    text = response.content.decode()

    positions = [
        text.index(heading)
        for heading in (
            "We spoke to 300 people",
            'id="priority"',
            "Food for families",
            "Warm spaces",
            'id="concern"',
            "Bus cuts",
            'id="opportunity"',
            "Empty shop units",
            'id="connection"',
            "Link the pantry",
        )
    ]
    assert positions == sorted(positions)
    assertContains(
        response,
        '<a class="govuk-link" href="/organisations/batley-pantry/">Batley Pantry</a>',
        html=True,
    )
    assertNotContains(response, "Unlisted Group")
    assertContains(response, "45 people, through conversations, from 6 January 2025 to 28 March 2025")
    assertContains(response, "Food support")
    assertContains(response, "Batley East ward plan")
    assertContains(response, "Town centre strategy")
    assertContains(response, "plans/print.css")
    assertNotContains(response, 'name="robots"')


def test_a_superseded_plan_says_so_and_points_to_the_current_one(client, world):
    old = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Plan 2022", superseded=True)
    current = LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        title="Plan 2025",
        published=True,
        supersedes=old,
    )

    response = client.get(old.get_absolute_url())
    assertContains(response, "govuk-notification-banner")
    assertContains(response, "This plan has been replaced")
    assertContains(response, f'href="{current.get_absolute_url()}"')

    response = client.get(current.get_absolute_url())
    assertNotContains(response, "This plan has been replaced")
    assertContains(response, "Replaces")
    assertContains(response, old.get_absolute_url())


def test_drafts_are_marked_and_not_indexed(client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    client.force_login(world.alice)
    response = client.get(plan.get_absolute_url())
    assertContains(response, "This plan is a draft")
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    assertContains(response, "Edit this plan")


def test_a_councillor_reading_a_shared_plan_is_told_it_is_not_public(client, world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, shared=True)
    client.force_login(world.councillor)
    response = client.get(plan.get_absolute_url())
    assertContains(response, "shared with councillors on 1 March 2025")
    assertNotContains(response, "Edit this plan")


def test_the_current_plan_for_a_locality_falls_back_to_the_place_it_is_part_of(world):
    assert plan_current_for_locality(world.batley_east) is None
    area_plan = LocalityPlanFactory(locality=world.batley, published=True)
    LocalityPlanFactory(locality=world.batley_east, shared=True)
    assert plan_current_for_locality(world.batley_east) == area_plan
    ward_plan = LocalityPlanFactory(locality=world.batley_east, published=True)
    assert plan_current_for_locality(world.batley_east) == ward_plan
    assert plan_current_for_locality(world.batley) == area_plan
    assert plan_current_for_locality(world.dewsbury) is None


# ------------------------------------------------------------------------------
# Constant query counts
# ------------------------------------------------------------------------------
def fill(plan, count: int, themes, organisations):
    kinds = list(PlanItemKind)
    for number in range(count):
        item = PlanItemFactory(
            plan=plan,
            kind=kinds[number % 4],
            order=number + 1,
            themes=themes,
            organisations=organisations,
        )
        PlanReferenceFactory(plan=plan, item=item)


@pytest.mark.parametrize("who", [None, "alice"])
def test_the_plan_page_costs_the_same_queries_for_5_and_30_items(client, world, django_assert_max_num_queries, who):
    themes = TaxonomyTermFactory.create_batch(3)
    organisations = OrganisationFactory.create_batch(3)
    old = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, superseded=True)
    small = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, published=True, supersedes=old)
    large = LocalityPlanFactory(locality=world.batley_east, owner=world.batley_lead, published=True)
    fill(small, 5, themes, organisations)
    fill(large, 30, themes, organisations)
    if who:
        client.force_login(getattr(world, who))
    client.get(small.get_absolute_url())  # warm up (session, content types)
    counts = {}
    for name, plan in (("5", small), ("30", large)):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(plan.get_absolute_url()).status_code == HTTPStatus.OK
        counts[name] = len(queries)
    print(f"plan page queries ({who or 'anonymous'}): {counts}")
    assert counts["5"] == counts["30"]
    with django_assert_max_num_queries(counts["5"]):
        client.get(large.get_absolute_url())


def test_the_list_costs_the_same_queries_for_5_and_100_items(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import LocalityFactory

    theme = TaxonomyTermFactory(slug="food-support")

    def make(plans: int, items: int) -> None:
        for _ in range(plans):
            plan = LocalityPlanFactory(locality=LocalityFactory(parent=world.batley), published=True)
            fill(plan, items, [theme], [])

    make(5, 1)
    client.get(PLANS)
    counts = {}
    for label, params in (
        ("plain", {}),
        ("filtered", {"area": "batley-and-spen", "theme": "food-support"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            client.get(PLANS, params)
        counts[label] = [len(queries)]
    make(15, 100 // 15 + 1)
    for label, params in (
        ("plain", {}),
        ("filtered", {"area": "batley-and-spen", "theme": "food-support"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PLANS, params)
        assert len(response.context["plans"]) == 20
        counts[label].append(len(queries))
    print(f"plan list queries (5 plans, 20 plans x 7 items): {counts}")
    assert counts["plain"][0] == counts["plain"][1]
    assert counts["filtered"][0] == counts["filtered"][1]
    with django_assert_max_num_queries(counts["plain"][0]):
        client.get(PLANS)
