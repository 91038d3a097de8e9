"""The Atom feed of newly published plans."""

import datetime
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import TaxonomyTermFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("plans:feed")


def entries(response):
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_published_plans_newest_first_and_nothing_unpublished(client, world):
    food = TaxonomyTermFactory(name="Food support")
    older = LocalityPlanFactory(
        locality=world.dewsbury,
        owner=world.dewsbury_lead,
        title="Dewsbury plan",
        published=True,
        published_on=datetime.date(2025, 3, 1),
        summary="Dewsbury's priorities.",
    )
    newer = LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        title="Batley plan",
        published=True,
        published_on=datetime.date(2025, 6, 1),
    )
    PlanItemFactory(plan=newer, themes=[food])
    LocalityPlanFactory(locality=world.batley, title="Draft plan")
    LocalityPlanFactory(locality=world.dewsbury, title="Shared plan", shared=True)
    client.force_login(world.councillor)  # the feed is public: the same for everyone

    response = client.get(FEED)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    root, items = entries(response)
    assert "newly published locality plans" in root.findtext(f"{ATOM}title")
    titles = [entry.findtext(f"{ATOM}title") for entry in items]
    assert titles == [
        "Batley plan (Batley and Spen, 2025–2028)",
        "Dewsbury plan (Dewsbury, 2025–2028)",
    ]
    first = items[0]
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver{newer.get_absolute_url()}"
    assert first.findtext(f"{ATOM}id") == f"urn:uuid:{newer.uuid}"
    assert first.findtext(f"{ATOM}published").startswith("2025-06-01T00:00:00+01:00")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Batley lead anchor"
    assert [category.get("term") for category in first.findall(f"{ATOM}category")] == ["Food support"]
    assert items[1].findtext(f"{ATOM}summary") == "Dewsbury's priorities."
    assert older.get_absolute_url() in items[1].find(f"{ATOM}link").get("href")


def test_a_superseded_plan_stays_in_the_feed_marked_as_replaced(client, world):
    LocalityPlanFactory(locality=world.batley, title="Old plan", superseded=True)
    _root, items = entries(client.get(FEED))
    assert items[0].findtext(f"{ATOM}title").endswith("– since replaced")


def test_the_feed_costs_the_same_queries_for_few_and_many_plans(client, world, django_assert_max_num_queries):
    from tests.factories import LocalityFactory

    def add(count):
        for _ in range(count):
            plan = LocalityPlanFactory(locality=LocalityFactory(parent=world.batley), published=True)
            PlanItemFactory(plan=plan, themes=[TaxonomyTermFactory()])

    add(2)
    with django_assert_max_num_queries(3):
        assert len(entries(client.get(FEED))[1]) == 2
    add(25)
    with django_assert_max_num_queries(3):
        assert len(entries(client.get(FEED))[1]) == 20


def test_the_list_page_advertises_the_feed(client, world):
    response = client.get(reverse("plans:list"))
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        f'title="Newly published locality plans" href="{FEED}">' in response.content.decode()
    )


def test_an_editors_summary_goes_out_as_plain_text_never_as_html(client, world):
    """A feed reader renders a type="html" summary as a page would: the words an editor typed
    must reach it as text."""
    LocalityPlanFactory(
        locality=world.batley,
        owner=world.batley_lead,
        published=True,
        summary='<b>Bold</b> <img src="x" onerror="alert(1)">',
    )
    body = client.get(reverse("plans:feed")).content.decode()
    assert 'type="html"' not in body
    assert '<summary type="text">&lt;b&gt;Bold&lt;/b&gt; &lt;img src="x" onerror="alert(1)"&gt;</summary>' in body
