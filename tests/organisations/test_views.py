"""The public directory, organisation and network pages, as a resident uses them."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    InitiativeFactory,
    LocalityFactory,
    NetworkFactory,
    OrganisationFactory,
    PostcodeFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


@pytest.fixture
def places():
    """Kirklees › Batley and Spen › Batley East, Kirklees › Huddersfield › Dalton, and Leeds › Armley."""
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees")
    batley_and_spen = LocalityFactory(
        name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees
    )
    huddersfield = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=kirklees)
    leeds = DistrictFactory(name="Leeds", slug="leeds")
    return {
        "kirklees": kirklees,
        "batley-and-spen": batley_and_spen,
        "batley-east": LocalityFactory(name="Batley East", slug="batley-east", parent=batley_and_spen),
        "huddersfield": huddersfield,
        "dalton": LocalityFactory(name="Dalton", slug="dalton", parent=huddersfield),
        "leeds": leeds,
        "armley": LocalityFactory(name="Armley", slug="armley", parent=leeds),
    }


@pytest.fixture
def directory(places):
    """A tiered Kirklees network with a lead and a local anchor, and community groups."""
    network = NetworkFactory(
        name="Kirklees Community Anchor Network",
        slug="kirklees-community-anchor-network",
        district=places["kirklees"],
        structure=NetworkStructure.TIERED,
    )
    lead = AnchorRoleFactory(
        organisation__name="Batley and Spen lead anchor (demo)",
        network=network,
        locality=places["batley-and-spen"],
        role=AnchorRoleKind.LEAD_ANCHOR,
    )
    AnchorRoleFactory(
        organisation__name="Batley East local anchor (demo)",
        network=network,
        locality=places["batley-east"],
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=lead,
    )
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    abcd = InitiativeFactory(name="ABCD Pathfinder", slug="abcd-pathfinder")
    OrganisationFactory(name="Batley Food Bank", localities=[places["batley-east"]], services=[food])
    OrganisationFactory(name="Dalton Lunch Club", localities=[places["dalton"]], services=[food])
    OrganisationFactory(name="Armley Knit and Natter", localities=[places["armley"]], initiatives=[abcd])
    OrganisationFactory(name="Secret Draft Group", localities=[places["batley-east"]], status=PublicationStatus.DRAFT)
    OrganisationFactory(name="Old Archived Group", localities=[places["armley"]], status=PublicationStatus.ARCHIVED)
    return network


def result_names(response):
    return [organisation.name for organisation in response.context["organisations"]]


def test_the_directory_lists_every_published_organisation_and_no_other(client, directory):
    response = client.get(DIRECTORY)
    assert response.status_code == HTTPStatus.OK
    assert result_names(response) == [
        "Armley Knit and Natter",
        "Batley and Spen lead anchor (demo)",
        "Batley East local anchor (demo)",
        "Batley Food Bank",
        "Dalton Lunch Club",
    ]
    assertContains(response, "5 organisations")
    assertNotContains(response, "Secret Draft Group")
    assertNotContains(response, "Old Archived Group")


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (
            "kirklees",
            [
                "Batley and Spen lead anchor (demo)",
                "Batley East local anchor (demo)",
                "Batley Food Bank",
                "Dalton Lunch Club",
            ],
        ),
        (
            "batley-and-spen",
            ["Batley and Spen lead anchor (demo)", "Batley East local anchor (demo)", "Batley Food Bank"],
        ),
        # The lead anchor serves the whole area, so Batley East too: after the local ones.
        ("batley-east", ["Batley East local anchor (demo)", "Batley Food Bank", "Batley and Spen lead anchor (demo)"]),
        ("huddersfield", ["Dalton Lunch Club"]),
        ("leeds", ["Armley Knit and Natter"]),
    ],
)
def test_choosing_an_area_finds_everything_in_it_then_what_serves_the_places_around_it(
    client, directory, places, area, expected
):
    for organisation_role in directory.anchor_roles.all():
        organisation_role.organisation.localities.add(organisation_role.locality)
    response = client.get(DIRECTORY, {"area": area})
    assert result_names(response) == expected


def test_an_organisation_serving_the_wider_area_says_so_on_a_wards_results(client, directory, places):
    for organisation_role in directory.anchor_roles.all():
        organisation_role.organisation.localities.add(organisation_role.locality)

    response = client.get(DIRECTORY, {"area": "batley-east"})

    assertContains(response, "Serves all of Batley and Spen", count=1)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead_anchor", ["Batley and Spen lead anchor (demo)"]),
        ("local_anchor", ["Batley East local anchor (demo)"]),
        ("community_group", ["Armley Knit and Natter", "Batley Food Bank", "Dalton Lunch Club"]),
    ],
)
def test_filtering_by_anchor_role(client, directory, role, expected):
    assert result_names(client.get(DIRECTORY, {"role": role})) == expected


def test_a_network_coordinator_is_not_counted_as_a_community_group(client, directory):
    directory.coordinator = OrganisationFactory(name="Third Sector Leaders Kirklees")
    directory.save()
    assert "Third Sector Leaders Kirklees" not in result_names(client.get(DIRECTORY, {"role": "community_group"}))
    assert result_names(client.get(DIRECTORY, {"role": "coordinator"})) == ["Third Sector Leaders Kirklees"]


def test_filtering_by_network_service_and_initiative(client, directory):
    assert result_names(client.get(DIRECTORY, {"network": directory.slug})) == [
        "Batley and Spen lead anchor (demo)",
        "Batley East local anchor (demo)",
    ]
    assert result_names(client.get(DIRECTORY, {"service": "food-support"})) == ["Batley Food Bank", "Dalton Lunch Club"]
    assert result_names(client.get(DIRECTORY, {"initiative": "abcd-pathfinder"})) == ["Armley Knit and Natter"]


def test_filters_combine_and_stay_in_the_page(client, directory):
    response = client.get(DIRECTORY, {"service": "food-support", "area": "batley-and-spen"})
    assert result_names(response) == ["Batley Food Bank"]
    assertContains(response, "1 organisation")
    assertContains(response, '<option value="batley-and-spen" selected>Batley and Spen area</option>', html=True)


def test_no_results_shows_a_helpful_empty_state(client, directory):
    response = client.get(DIRECTORY, {"q": "zebra crossing patrol"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "0 organisations")
    assertContains(response, "No organisations match your search.")
    assertContains(response, "remove some filters")


def test_an_empty_directory_says_so(client):
    response = client.get(DIRECTORY)
    assertContains(response, "There are no organisations in the directory yet.")


@pytest.mark.parametrize(
    "params",
    [
        {"area": "atlantis"},
        {"role": "emperor"},
        {"network": "../../etc/passwd"},
        {"service": ["food-support", "nope"]},
        {"q": "x" * 500},
        {"page": "9999"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "'); DROP TABLE organisations_organisation; --"},
    ],
)
def test_bad_input_gets_a_clear_answer_never_an_error(client, directory, params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == HTTPStatus.OK


def test_empty_fields_are_dropped_from_the_address_to_keep_it_shareable(client, directory):
    response = client.get(DIRECTORY, {"q": "", "area": "batley-and-spen", "role": "", "service": "food-support"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/directory/?area=batley-and-spen&service=food-support"
    assert client.get(DIRECTORY, {"q": " "})["Location"] == "/directory/"


def test_an_unknown_area_is_explained_in_an_error_summary(client, directory):
    response = client.get(DIRECTORY, {"area": "atlantis"})
    assertContains(response, "There is a problem")
    assertContains(response, "Choose an option from the list.")
    assert result_names(response) == []


def test_pages_of_twenty_keep_the_filters_in_their_links(client, places):
    food = TaxonomyTermFactory(slug="food-support")
    for n in range(45):
        OrganisationFactory(name=f"Group {n:02}", localities=[places["armley"]], services=[food])
    first = client.get(DIRECTORY, {"service": "food-support"})
    assert len(result_names(first)) == 20
    assertContains(first, "Showing 1 to 20 of 45")
    assertContains(first, "service=food-support&amp;page=2")
    last = client.get(DIRECTORY, {"service": "food-support", "page": 3})
    assert result_names(last) == [f"Group {n:02}" for n in range(40, 45)]


def test_a_page_beyond_the_end_shows_the_last_page(client, places):
    for n in range(25):
        OrganisationFactory(name=f"Group {n:02}")
    assert result_names(client.get(DIRECTORY, {"page": 99})) == [f"Group {n:02}" for n in range(20, 25)]


def _populate(count, places, network):
    food = TaxonomyTermFactory()
    lead = AnchorRoleFactory(network=network, locality=places["batley-and-spen"], role=AnchorRoleKind.LEAD_ANCHOR)
    for n in range(count):
        organisation = OrganisationFactory(localities=[places["batley-east"], places["dalton"]], services=[food])
        if n % 3 == 0:
            AnchorRoleFactory(
                organisation=organisation,
                network=network,
                locality=LocalityFactory(parent=places["batley-and-spen"]),
                role=AnchorRoleKind.LOCAL_ANCHOR,
                lead=lead,
            )
    return lead


# 50 organisations fill three pages of 20: enough for a query per row or per page to show.
@pytest.mark.parametrize("count", [10, 50])
def test_the_directory_costs_the_same_queries_for_10_or_50_organisations(
    client, places, count, django_assert_max_num_queries
):
    network = NetworkFactory(district=places["kirklees"], structure=NetworkStructure.TIERED)
    _populate(count, places, network)
    PostcodeFactory(postcode="WF17 5AA", key="WF175AA", ward=places["batley-east"])
    for params in (
        {},
        {"q": "community"},
        {"area": "kirklees", "role": "local_anchor"},
        {"area": "batley-east"},
        {"service": ["food-support"]},
        {"q": "wf17 5aa"},
        {"q": "LS14 6JB"},
    ):
        # 11, plus the languages (for the filter and for the cards), plus what a search in words
        # reads once: the synonym list and the services' words (two queries), and on SQLite the
        # names for spelling (one more): organisations.search.load_lexicon, which caches them, so only
        # a first search or one after an officer changes them pays these.
        with django_assert_max_num_queries(16, info=f"the directory with {params}"):
            response = client.get(DIRECTORY, params)
        assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [10, 50])
def test_an_organisation_page_costs_the_same_queries_however_many_local_anchors(
    client, places, count, django_assert_max_num_queries
):
    network = NetworkFactory(district=places["kirklees"], structure=NetworkStructure.TIERED)
    lead = _populate(count, places, network)
    # 10: with the opening times and the languages.
    with django_assert_max_num_queries(10):
        response = client.get(lead.organisation.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["organisation"].current_anchor_roles[0].current_local_anchors) == len(
        range(0, count, 3)
    )


@pytest.mark.parametrize("count", [10, 50])
def test_a_network_page_costs_the_same_queries_however_many_anchors(
    client, places, count, django_assert_max_num_queries
):
    network = NetworkFactory(district=places["kirklees"], structure=NetworkStructure.TIERED)
    _populate(count, places, network)
    with django_assert_max_num_queries(5):
        response = client.get(network.get_absolute_url())
    assertContains(response, "Anchors by area")


def test_an_organisation_page_shows_what_a_resident_needs(client, directory, places):
    lead = directory.anchor_roles.get(role=AnchorRoleKind.LEAD_ANCHOR)
    response = client.get(lead.organisation.get_absolute_url())
    assertContains(response, "Lead anchor for")
    assertContains(response, "Batley East local anchor (demo)")
    local = directory.anchor_roles.get(role=AnchorRoleKind.LOCAL_ANCHOR).organisation
    response = client.get(local.get_absolute_url())
    assertContains(response, "Lead anchor:")
    assertContains(response, lead.organisation.get_absolute_url())


def test_an_organisation_page_shows_contact_details_services_and_areas(client, places):
    food = TaxonomyTermFactory(name="Food support", slug="food-support")
    organisation = OrganisationFactory(
        name="Batley Food Bank",
        localities=[places["batley-east"]],
        services=[food],
        email="hello@batley-food-bank.example.org",
        phone="01484 960000",
        postcode="wf17 5aa",
    )
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "mailto:hello@batley-food-bank.example.org")
    assertContains(response, "WF17 5AA")
    assertContains(response, "Food support")
    assertContains(response, places["batley-east"].get_absolute_url())


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_a_draft_or_archived_organisation_answers_404(client, status):
    organisation = OrganisationFactory(status=status)
    assert client.get(organisation.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_lead_anchor_page_does_not_name_unpublished_local_anchors(client, directory):
    local = directory.anchor_roles.get(role=AnchorRoleKind.LOCAL_ANCHOR).organisation
    local.status = PublicationStatus.DRAFT
    local.save()
    lead = directory.anchor_roles.get(role=AnchorRoleKind.LEAD_ANCHOR).organisation
    assertNotContains(client.get(lead.get_absolute_url()), local.name)
    assertNotContains(client.get(directory.get_absolute_url()), local.name)


def test_a_network_page_lists_its_anchors_by_area_and_its_coordinator(client, directory):
    directory.coordinator = OrganisationFactory(name="Third Sector Leaders Kirklees")
    directory.save()
    response = client.get(directory.get_absolute_url())
    assertContains(response, "Third Sector Leaders Kirklees")
    assertContains(response, "Batley and Spen lead anchor (demo)")
    assertContains(response, "A lead anchor in each area")


def test_the_network_list_and_unknown_network(client, directory):
    assertContains(client.get(reverse("organisations:network_list")), directory.name)
    assert client.get(reverse("organisations:network_detail", args=["nope"])).status_code == HTTPStatus.NOT_FOUND


def test_the_home_page_offers_search_and_areas(client, directory, places):
    response = client.get(reverse("portal:home"))
    assertContains(response, 'action="/directory/"')
    assertContains(response, "Batley and Spen")
    assertContains(response, directory.name)
