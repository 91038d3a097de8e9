"""The outreach list: the community groups of an anchor's patch by outreach status, quiet ones
first with the reason recorded; officers see every group, nobody sees outside their patch."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from engagement.models import EngagementKind, QuietReason
from organisations.models import Organisation
from tests.engagement.factories import EngagementFactory, QuietNoteFactory, SupportRelationshipFactory
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUTREACH = reverse("engagement:outreach")
LONG_AGO = datetime.timedelta(days=400)


@pytest.fixture
def patch():
    """A district with two wards: our anchor serves ward A, another anchor ward B. Ward A has a
    group never contacted (quiet: it is old), one engaged last week and one supported; ward B
    has one group. The network's coordinator sees the whole district."""
    today = timezone.localdate()
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    ward_a = LocalityFactory(parent=district, name="Batley East", slug="batley-east")
    ward_b = LocalityFactory(parent=district, name="Dalton", slug="dalton")
    coordinator = OrganisationFactory(name="Third Sector Leaders")
    network = NetworkFactory(district=district, coordinator=coordinator)
    ours = AnchorRoleFactory(network=network, locality=ward_a, organisation__name="Batley Trust").organisation
    theirs = AnchorRoleFactory(network=network, locality=ward_b, organisation__name="Dalton Trust").organisation
    groups = {
        "never": OrganisationFactory(name="Batley Knitters", localities=[ward_a]),
        "engaged": OrganisationFactory(name="Batley Pantry", localities=[ward_a]),
        "supported": OrganisationFactory(name="Batley Youth", localities=[ward_a]),
        "draft": OrganisationFactory(name="Batley Draft Group", localities=[ward_a], status=PublicationStatus.DRAFT),
        "archived": OrganisationFactory(name="Batley Old Club", localities=[ward_a], status=PublicationStatus.ARCHIVED),
        "elsewhere": OrganisationFactory(name="Dalton Walkers", localities=[ward_b]),
    }
    Organisation.objects.filter(pk=groups["never"].pk).update(created_at=timezone.now() - LONG_AGO)
    QuietNoteFactory(organisation=groups["never"], reason=QuietReason.NO_CAPACITY)
    EngagementFactory(
        anchor=ours,
        organisations=[groups["engaged"]],
        kind=EngagementKind.ADVICE,
        occurred_on=today - datetime.timedelta(days=7),
    )
    SupportRelationshipFactory(anchor=ours, group=groups["supported"])
    return {
        "editor": MembershipFactory(organisation=ours).user,
        "their_editor": MembershipFactory(organisation=theirs).user,
        "coordinator_editor": MembershipFactory(organisation=coordinator).user,
        **groups,
    }


def names(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return [group.name for group in response.context["groups"]]


def test_an_anchor_editor_sees_the_groups_of_its_patch_quiet_first(client, patch):
    client.force_login(patch["editor"])
    response = client.get(OUTREACH)
    # Quiet first; then never contacted (by name), then the longest since a contact.
    assert names(response) == ["Batley Knitters", "Batley Draft Group", "Batley Youth", "Batley Pantry"]
    assertContains(response, "No capacity")
    assertNotContains(response, "Dalton Walkers")
    assertNotContains(response, "Batley Old Club")  # archived
    assert "Batley Trust" not in names(response)  # the anchor itself is no community group


def test_each_group_shows_the_status_its_records_give_it(client, patch):
    client.force_login(patch["editor"])
    statuses = {group.name: (group.outreach_label, group.is_quiet) for group in client.get(OUTREACH).context["groups"]}
    assert statuses["Batley Knitters"] == ("Not contacted", True)
    assert statuses["Batley Pantry"] == ("Engaged", False)
    assert statuses["Batley Youth"][0] == "Supported"


def test_another_anchors_editor_sees_only_its_own_patch(client, patch):
    client.force_login(patch["their_editor"])
    assert names(client.get(OUTREACH)) == ["Dalton Walkers"]


def test_the_networks_coordinator_and_officers_see_the_whole_district(client, patch):
    expected = {"Batley Knitters", "Batley Draft Group", "Batley Pantry", "Batley Youth", "Dalton Walkers"}
    client.force_login(patch["coordinator_editor"])
    assert set(names(client.get(OUTREACH))) == expected
    client.force_login(UserFactory(is_staff=True))
    assert set(names(client.get(OUTREACH))) >= expected


def test_someone_with_no_patch_sees_why_the_list_is_empty(client, patch):
    client.force_login(UserFactory())
    response = client.get(OUTREACH)
    assert names(response) == []
    assertContains(response, "There are no community groups to show.")


def test_signed_out_people_are_sent_to_sign_in(client, patch):
    response = client.get(OUTREACH)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"quiet": "yes"}, {"Batley Knitters"}),
        ({"status": "engaged"}, {"Batley Pantry"}),
        ({"status": "not_contacted", "quiet": "no"}, {"Batley Draft Group"}),
        ({"area": "dalton"}, set()),
        ({"area": "batley-east", "status": "supported"}, {"Batley Youth"}),
    ],
)
def test_filters_narrow_the_list(client, patch, params, expected):
    client.force_login(patch["editor"])
    assert set(names(client.get(OUTREACH, params))) == expected


@pytest.mark.parametrize("params", [{"status": "bogus"}, {"quiet": "maybe"}, {"area": "atlantis"}])
def test_a_bad_filter_is_an_error_on_the_form_not_a_server_error(client, patch, params):
    client.force_login(patch["editor"])
    response = client.get(OUTREACH, params)
    assert names(response) == []
    assertContains(response, "Choose an option from the list.")
    assertContains(response, "<title>Error: ", html=False)


def test_the_list_costs_the_same_queries_for_few_or_many_groups(client, patch, django_assert_max_num_queries):
    client.force_login(patch["editor"])
    client.get(OUTREACH)  # warm up: the session
    with django_assert_max_num_queries(12) as few:
        client.get(OUTREACH)
    ward = patch["never"].localities.get()
    for group in OrganisationFactory.create_batch(26, localities=[ward]):
        QuietNoteFactory(organisation=group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(OUTREACH)
    assert response.context["paginator"].count == 30
