"""``/plans/themes/``: priorities and concerns across the locality plans, by theme and place,
for whoever may read the plans, with counts that make a concern raised in many places stand
out, links to each item, and a fixed number of queries."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.permissions import COUNCILLOR_GROUP
from plans.models import PlanItemKind
from plans.selectors import plan_themes_visible_to
from tests.factories import LocalityFactory, TaxonomyTermFactory, UserFactory, WardRepresentationFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

THEMES = reverse("plans:themes")


@pytest.fixture
def terms():
    return {name: TaxonomyTermFactory(name=name) for name in ("Loneliness", "Transport", "Food")}


def _plan(place: str, *items: tuple[str, str, list], **traits):
    plan = LocalityPlanFactory(locality=LocalityFactory(name=place), **traits)
    for order, (kind, title, themes) in enumerate(items, start=1):
        PlanItemFactory(plan=plan, kind=kind, order=order, title=title, themes=themes)
    return plan


def test_a_concern_raised_in_many_places_comes_first_with_its_counts(client, terms):
    loneliness, transport = terms["Loneliness"], terms["Transport"]
    _plan("Batley", (PlanItemKind.CONCERN, "Older people alone", [loneliness]), published=True)
    _plan("Dewsbury", (PlanItemKind.CONCERN, "Nobody to talk to", [loneliness]), published=True)
    _plan(
        "Heckmondwike",
        (PlanItemKind.PRIORITY, "A lunch club", [loneliness]),
        (PlanItemKind.CONCERN, "Buses stop at six", [transport]),
        published=True,
    )

    response = client.get(THEMES)

    assert response.status_code == HTTPStatus.OK
    themes = response.context["themes"]
    assert [theme.term for theme in themes] == [loneliness, transport]
    first = themes[0]
    assert [place.locality.name for place in first.places] == ["Batley", "Dewsbury", "Heckmondwike"]
    assert (first.priority_count, first.concern_count) == (1, 2)
    tag = '<strong class="govuk-tag govuk-tag--blue">Raised in 3 places</strong>'
    assertContains(response, tag, html=True, count=1)
    assertNotContains(response, "Raised in 1 places")


def test_each_item_links_to_itself_in_its_plan(client, terms):
    plan = _plan("Batley", (PlanItemKind.CONCERN, "Older people alone", [terms["Loneliness"]]), published=True)
    item = plan.items.get()

    response = client.get(THEMES)

    assertContains(response, f'href="{plan.get_absolute_url()}#item-{item.pk}"')
    assertContains(client.get(plan.get_absolute_url()), f'id="item-{item.pk}"')


def test_opportunities_and_connections_are_left_out_and_unthemed_items_come_last(client, terms):
    _plan(
        "Batley",
        (PlanItemKind.OPPORTUNITY, "An empty shop", [terms["Food"]]),
        (PlanItemKind.PRIORITY, "Something with no theme", []),
        (PlanItemKind.CONCERN, "Buses", [terms["Transport"]]),
        published=True,
    )

    themes = client.get(THEMES).context["themes"]

    assert [theme.term for theme in themes] == [terms["Transport"], None]
    assert themes[-1].places[0].items[0].title == "Something with no theme"


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("anonymous", {"Published concern"}),
        ("councillor", {"Published concern", "Shared concern"}),
        ("officer", {"Published concern", "Shared concern", "Draft concern"}),
    ],
)
def test_each_reader_sees_the_items_of_the_plans_they_may_read_and_no_replaced_plan(client, terms, who, seen):
    theme = [terms["Loneliness"]]
    _plan("Batley", (PlanItemKind.CONCERN, "Published concern", theme), published=True)
    shared = _plan("Dewsbury", (PlanItemKind.CONCERN, "Shared concern", theme), shared=True)
    _plan("Mirfield", (PlanItemKind.CONCERN, "Draft concern", theme))
    _plan("Ossett", (PlanItemKind.CONCERN, "Replaced concern", theme), superseded=True)
    if who == "councillor":
        user = UserFactory(username="councillor")
        user.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
        # A councillor reads the shared plans of the wards they represent (ADR 0010).
        WardRepresentationFactory(user=user, ward=shared.locality)
        client.force_login(user)
    elif who == "officer":
        client.force_login(UserFactory(username="officer", is_staff=True))

    response = client.get(THEMES)

    shown = {item.title for theme in response.context["themes"] for place in theme.places for item in place.items}
    assert shown == seen
    assertNotContains(response, "Replaced concern")


def test_a_councillor_never_sees_the_items_of_a_plan_shared_for_another_ward(client, terms):
    theme = [terms["Loneliness"]]
    mine = _plan("Batley East", (PlanItemKind.CONCERN, "My ward's concern", theme), shared=True)
    _plan("Dewsbury West", (PlanItemKind.CONCERN, "Another ward's concern", theme), shared=True)
    user = UserFactory(username="councillor")
    user.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    WardRepresentationFactory(user=user, ward=mine.locality)
    client.force_login(user)

    response = client.get(THEMES)

    shown = {item.title for theme in response.context["themes"] for place in theme.places for item in place.items}
    assert shown == {"My ward's concern"}
    assertNotContains(response, "Another ward")


def test_with_no_plans_the_page_says_so(client):
    assertContains(client.get(THEMES), "There are no priorities or concerns in the locality plans you can read yet.")


def test_the_query_count_is_the_same_for_3_or_30_plans(client, terms, django_assert_max_num_queries):
    def add_plans(count: int, start: int) -> None:
        for index in range(start, start + count):
            _plan(
                f"Place {index}",
                (PlanItemKind.CONCERN, f"Concern {index}", [terms["Loneliness"], terms["Transport"]]),
                (PlanItemKind.PRIORITY, f"Priority {index}", [terms["Food"]]),
                published=True,
            )

    add_plans(3, 0)
    with django_assert_max_num_queries(10) as few:
        client.get(THEMES)
    add_plans(27, 3)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(THEMES)
    assert len(response.context["themes"][0].places) == 30
    assert len(plan_themes_visible_to(user=None)) == 3
