"""What a plan's items may name (issue 16): any published organisation in the plan's district
or its anchor network, not only those of the plan's own area; read once for the whole editor."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertRedirects

from core.models import PublicationStatus
from organisations.models import AnchorRoleKind
from tests.factories import AnchorRoleFactory, LocalityFactory, NetworkFactory, OrganisationFactory
from tests.plans.factories import PlanItemFactory
from tests.plans.test_editor import blank_item_prefix, form_data

pytestmark = pytest.mark.django_db


def offered(client, plan) -> list[str]:
    page = client.get(plan.get_edit_url())
    return [label for _pk, label in page.context["items"].forms[0].fields["organisations"].choices]


def test_items_may_name_published_organisations_anywhere_in_the_district_or_network(alice, world, plan):
    OrganisationFactory(name="Batley Pantry", localities=[world.batley_east])
    OrganisationFactory(name="Dewsbury Food Bank", localities=[world.dewsbury_west])  # another area
    OrganisationFactory(name="Kirklees Carers", localities=[world.kirklees])  # the whole district
    OrganisationFactory(name="Draft Dewsbury Group", localities=[world.dewsbury_west], status=PublicationStatus.DRAFT)
    OrganisationFactory(name="Armley Lunch Club", localities=[world.armley])  # Leeds
    names = offered(alice, plan)
    assert names == sorted(names)
    assert {"Batley Pantry", "Dewsbury Food Bank", "Kirklees Carers"} <= set(names)
    # The network's anchors are offered too, wherever they are recorded as serving.
    assert {"Dewsbury lead anchor", "Batley East local anchor"} <= set(names)
    assert "Draft Dewsbury Group" not in names
    assert "Armley Lunch Club" not in names
    assert "Armley anchor" not in names  # another district's network


def test_another_networks_anchor_in_the_district_is_offered_only_through_the_district(alice, world, plan):
    """A second network in the same district (its own coordinator): its anchors are in the
    district, so serving a place there makes them nameable; its coordinator, serving nowhere in
    Kirklees and not in the plan's network, is not."""
    coordinator = OrganisationFactory(name="Faraway Coordinator", localities=[world.armley])
    other = NetworkFactory(name="Kirklees Youth Network", district=world.kirklees, coordinator=coordinator)
    AnchorRoleFactory(
        organisation__name="Youth anchor",
        organisation__localities=[world.dewsbury_west],
        network=other,
        role=AnchorRoleKind.ANCHOR,
        locality=world.dewsbury_west,
    )
    names = offered(alice, plan)
    assert "Youth anchor" in names
    assert "Faraway Coordinator" not in names


def test_a_connection_naming_an_organisation_of_another_area_is_saved(alice, world, plan):
    food_bank = OrganisationFactory(name="Dewsbury Food Bank", localities=[world.dewsbury_west])
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    row = blank_item_prefix(page, "connection")
    data.update({f"{row}-title": "Share surplus food with Dewsbury", f"{row}-organisations": [str(food_bank.pk)]})
    assertRedirects(alice.post(plan.get_edit_url(), data), plan.get_edit_url())
    assert list(plan.items.get().organisations.all()) == [food_bank]


def test_an_organisation_outside_the_district_and_network_is_refused(alice, world, plan):
    armley = OrganisationFactory(name="Armley Lunch Club", localities=[world.armley])
    page = alice.get(plan.get_edit_url())
    data = form_data(page)
    row = blank_item_prefix(page, "connection")
    data.update({f"{row}-title": "Lunch in Leeds", f"{row}-organisations": [str(armley.pk)]})
    response = alice.post(plan.get_edit_url(), data)
    assert response.status_code == HTTPStatus.OK
    assert (f"id_{row}-organisations_1", "Connection 1: Choose organisations from the list") in response.context[
        "error_links"
    ]
    assert not plan.items.exists()


def test_an_organisation_already_named_stays_offered_after_it_moves_away(alice, world, plan):
    moved = OrganisationFactory(name="Moved Away Group", localities=[world.armley])
    PlanItemFactory(plan=plan, organisations=[moved])
    assert "Moved Away Group" in offered(alice, plan)


def test_the_choices_cost_the_same_queries_however_many_organisations_and_places(alice, world, plan):
    PlanItemFactory(plan=plan)
    counts = []
    for extra in (1, 15):
        for number in range(extra):
            ward = LocalityFactory(parent=world.dewsbury)
            OrganisationFactory(localities=[ward])
            OrganisationFactory(localities=[world.kirklees], name=f"District group {extra}-{number}")
        with CaptureQueriesContext(connection) as queries:
            assert alice.get(plan.get_edit_url()).status_code == HTTPStatus.OK
        counts.append(len(queries))
    print(f"editor page queries (1, 16 more organisations): {counts}")
    assert counts[0] == counts[1]
