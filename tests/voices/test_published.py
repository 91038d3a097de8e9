"""The public counts of residents' voices: themes by place, with no count under five and no
total that gives one back, on the area's page and the ward's alike."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from localities.models import LocalityKind
from tests.factories import DistrictFactory, LocalityFactory, TaxonomyTermFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory
from tests.voices.factories import VoiceFactory
from voices.models import VoiceStatus
from voices.published import published_progress, published_voices

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR_START = TODAY - datetime.timedelta(days=30)


@pytest.fixture
def places():
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Dewsbury", slug="dewsbury", kind=LocalityKind.AREA, parent=district)
    return {
        "area": area,
        "east": LocalityFactory(name="Dewsbury East", slug="dewsbury-east", parent=area),
        "west": LocalityFactory(name="Dewsbury West", slug="dewsbury-west", parent=area),
        "other": LocalityFactory(name="Batley", slug="batley", kind=LocalityKind.AREA, parent=district),
    }


@pytest.fixture
def themes():
    return {
        "debt": TaxonomyTermFactory(name="Debt and money"),
        "transport": TaxonomyTermFactory(name="Transport"),
    }


def voices(n: int, place, *terms, **fields) -> list:
    return [VoiceFactory(locality=place, anchor=None, themes=list(terms), **fields) for _ in range(n)]


def table(place) -> dict[str, str]:
    published = published_voices(place, start=YEAR_START, end=TODAY)
    rows = {(row.term.name if row.term else "unsorted"): str(row.count) for row in published.rows}
    return {**rows, "people": str(published.people)}


def test_a_place_shows_each_theme_and_the_people_when_no_count_is_small(places, themes):
    voices(6, places["east"], themes["debt"])
    voices(5, places["west"], themes["debt"], themes["transport"])
    voices(2, places["west"], themes["transport"])

    # Debt: 6 + 5 = 11; transport 5 + 2 = 7; 13 people (five of them raised both).
    assert table(places["area"]) == {"Debt and money": "11", "Transport": "7", "people": "13"}
    assert list(table(places["area"])) == ["Debt and money", "Transport", "people"]


def test_a_small_count_is_withheld_and_a_total_that_would_give_it_back_too(places, themes):
    voices(8, places["east"], themes["debt"])
    voices(2, places["east"], themes["transport"])

    # 10 people less 8 for debt would say that 2 raised transport.
    assert table(places["east"]) == {"Debt and money": "8", "Transport": "fewer than 5", "people": "withheld"}


def test_an_areas_count_that_would_give_back_a_wards_small_count_is_withheld(places, themes):
    # East publishes 7 for debt, West "fewer than 5": the area's 9 would say West's is 2.
    voices(7, places["east"], themes["debt"])
    voices(2, places["west"], themes["debt"])

    assert table(places["east"]) == {"Debt and money": "7", "people": "7"}
    assert table(places["west"]) == {"Debt and money": "fewer than 5", "people": "fewer than 5"}
    assert table(places["area"]) == {"Debt and money": "withheld", "people": "withheld"}


def test_an_areas_count_is_shown_when_its_wards_small_counts_stay_ambiguous(places, themes):
    # West 3 and the area itself 4 (a voice about Dewsbury as a whole): the area's 14 less
    # East's 7 leaves 7 shared between two withheld counts.
    voices(7, places["east"], themes["debt"])
    voices(3, places["west"], themes["debt"])
    voices(4, places["area"], themes["debt"])

    assert table(places["area"]) == {"Debt and money": "14", "people": "14"}


def test_duplicates_count_once_and_a_voice_erased_at_the_residents_request_still_counts(places, themes):
    kept = voices(6, places["east"], themes["debt"])
    voices(2, places["east"], themes["debt"], merged_into=kept[0])
    voices(3, places["east"], themes["debt"], erased_at=timezone.now(), what_matters="")

    assert table(places["east"]) == {"Debt and money": "9", "people": "9"}


def test_only_the_period_and_the_place_count_and_unsorted_voices_have_a_row(places, themes):
    voices(5, places["east"])
    voices(6, places["other"], themes["debt"])
    old = voices(6, places["east"], themes["debt"])
    for voice in old:
        type(voice).objects.filter(pk=voice.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))

    assert table(places["east"]) == {"unsorted": "5", "people": "5"}


def test_the_page_lists_themes_without_anything_anyone_wrote(client, places, themes, django_assert_max_num_queries):
    voices(7, places["east"], themes["debt"], what_matters="Bailiffs at number 12 again")
    voices(2, places["east"], themes["transport"])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:area_voices", args=["dewsbury-east"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Debt and money" in page
    assert "fewer than 5" in page
    assert "withheld" in page
    assert "Bailiffs" not in page
    assert "Tell us what matters here" in page


def test_the_page_keeps_its_query_count_however_many_voices(client, places, themes, django_assert_max_num_queries):
    voices(40, places["east"], themes["debt"], themes["transport"])
    voices(30, places["west"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:area_voices", args=["dewsbury"]))
    assert response.status_code == 200


def test_a_place_nobody_has_spoken_about_says_so(client, places):
    response = client.get(reverse("portal:area_voices", args=["batley"]))

    assert "Nobody has told us what matters in Batley yet this year" in response.content.decode()
    assert "<table" not in response.content.decode()


def test_an_unknown_place_is_not_found(client):
    assert client.get("/areas/nowhere/what-residents-said/").status_code == 404


def test_the_area_page_links_to_it(client, places):
    page = client.get(places["area"].get_absolute_url()).content.decode()

    assert reverse("portal:area_voices", args=["dewsbury"]) in page


def progress(place) -> dict[str, str]:
    rows, total = published_progress(place, start=YEAR_START, end=TODAY)
    return {**{row.status.value: str(row.count) for row in rows}, "people": str(total)}


def test_you_said_we_did_counts_people_by_where_their_voice_stands(places, themes):
    voices(6, places["east"], themes["debt"], status=VoiceStatus.IN_PLAN)
    voices(5, places["east"], status=VoiceStatus.HEARD)
    voices(2, places["east"], themes["debt"], status=VoiceStatus.NOT_TAKEN_FORWARD, status_reason="Out of scope")

    # 13 people less 6 and 5 would say that 2 were not taken forward.
    assert progress(places["east"]) == {
        "heard": "5",
        "in_plan": "6",
        "acted_on": "0",
        "not_taken_forward": "fewer than 5",
        "people": "withheld",
    }


def test_the_page_names_the_published_plan_items_residents_raised(client, places):
    plan = LocalityPlanFactory(locality=places["area"], published=True)
    raised = PlanItemFactory(plan=plan, title="A warm space in Dewsbury East", residents_raised=14)
    few = PlanItemFactory(plan=plan, title="Bus shelters on the high street", residents_raised=2)
    PlanItemFactory(plan=plan, title="Nobody asked for this", residents_raised=0)
    draft = LocalityPlanFactory(locality=places["east"])
    PlanItemFactory(plan=draft, title="Still a draft", residents_raised=9)

    page = client.get(reverse("portal:area_voices", args=["dewsbury"])).content.decode()

    assert "raised by 14 residents" in page
    assert "raised by fewer than 5 residents" in page
    assert page.index(raised.title) < page.index(few.title)
    assert "Nobody asked for this" not in page
    assert "Still a draft" not in page


def test_the_plans_own_page_shows_a_residents_count_only_from_five(client, places):
    plan = LocalityPlanFactory(locality=places["area"], published=True)
    PlanItemFactory(plan=plan, title="A warm space", residents_raised=5)
    PlanItemFactory(plan=plan, title="Bus shelters", residents_raised=4)

    page = client.get(plan.get_absolute_url()).content.decode()

    assert "Raised by 5 residents" in page
    assert "Raised by fewer than 5 residents" in page
    assert "Raised by 4" not in page
