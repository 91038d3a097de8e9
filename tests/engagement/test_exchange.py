"""The skills and assets exchange: who sees and changes which offers and needs, the match view,
accepting a match (one engagement, the need met, once only), the forms and the query counts."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import VERSION_FIELD
from engagement.models import (
    SKILLS_TAXONOMY,
    Engagement,
    EngagementKind,
    ExchangeDirection,
    ExchangeEntry,
)
from engagement.selectors import outreach_of
from engagement.services import exchange_anchor_for, exchange_match_accept
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure, Organisation, TaxonomyTerm
from tests.engagement.factories import ExchangeEntryFactory, SkillTermFactory, SupportRelationshipFactory
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

OK, FOUND, NOT_FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN
ROLES = ("signed_out", "officer", "member_a", "member_b", "other_editor")


def _area_with_ward(district, name):
    area = LocalityFactory(name=f"{name} area", slug=f"{name.lower()}-area", kind=LocalityKind.AREA, parent=district)
    return area, LocalityFactory(name=f"{name} ward", slug=f"{name.lower()}-ward", parent=area)


@pytest.fixture
def world():
    """Network A (tiered, district A with areas North and South) and network B (district B).

    A's anchor serves North ward; a group in North needs what the anchor offers (near), a group
    in South needs it too (in the network, not near). B's anchor offers the same, and a group in
    B needs it. People: an officer, an editor of each anchor, and an editor of the South group
    (no network member)."""
    district_a = DistrictFactory(name="District A", slug="district-a")
    north, north_ward = _area_with_ward(district_a, "North")
    _south, south_ward = _area_with_ward(district_a, "South")
    network_a = NetworkFactory(district=district_a, structure=NetworkStructure.TIERED)
    anchor_a = AnchorRoleFactory(
        network=network_a, locality=north, role=AnchorRoleKind.LEAD_ANCHOR, organisation__localities=[north_ward]
    ).organisation
    district_b = DistrictFactory(name="District B", slug="district-b")
    ward_b = LocalityFactory(parent=district_b)
    anchor_b = AnchorRoleFactory(
        network=NetworkFactory(district=district_b), locality=ward_b, organisation__localities=[ward_b]
    ).organisation
    group_near = OrganisationFactory(name="Near Group", localities=[north_ward])
    group_far = OrganisationFactory(name="Far Group", localities=[south_ward])
    group_b = OrganisationFactory(name="B Group", localities=[ward_b])
    term = SkillTermFactory(name="Minibus")
    return {
        "term": term,
        "anchor_a": anchor_a,
        "anchor_b": anchor_b,
        "group_near": group_near,
        "group_far": group_far,
        "group_b": group_b,
        "north_ward": north_ward,
        "offer_a": ExchangeEntryFactory(organisation=anchor_a, term=term, description="Our minibus, weekdays"),
        "offer_b": ExchangeEntryFactory(organisation=anchor_b, term=term, description="B minibus"),
        "need_near": ExchangeEntryFactory(organisation=group_near, term=term, need=True, description="Near need"),
        "need_far": ExchangeEntryFactory(organisation=group_far, term=term, need=True, description="Far need"),
        "need_b": ExchangeEntryFactory(organisation=group_b, term=term, need=True, description="B need"),
        "users": {
            "signed_out": None,
            "officer": UserFactory(is_staff=True),
            "member_a": MembershipFactory(organisation=anchor_a).user,
            "member_b": MembershipFactory(organisation=anchor_b).user,
            "other_editor": MembershipFactory(organisation=group_far).user,
        },
    }


def _as(client, world, role):
    client.logout()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def _accept_url(entry) -> str:
    return reverse("engagement:exchange_accept", args=[entry.pk])


def _edit_url(entry) -> str:
    return reverse("engagement:exchange_update", args=[entry.pk])


# --- Who sees what ----------------------------------------------------------------------------
LIST_SEES = {
    "officer": {"Our minibus", "B minibus", "Near need", "Far need", "B need"},
    "member_a": {"Our minibus", "Near need", "Far need"},
    "member_b": {"B minibus", "B need"},
    "other_editor": {"Far need"},
}


@pytest.mark.parametrize("role", LIST_SEES)
def test_the_list_shows_each_person_the_current_entries_of_their_networks_and_their_own(client, world, role):
    body = _as(client, world, role).get(reverse("engagement:exchange")).content.decode()

    seen = {text for text in LIST_SEES["officer"] if text in body}
    assert seen == LIST_SEES[role]


MATCHES_SEE = {
    # The officer sees every match; A's member only the need near their anchor (not the far one,
    # not another network's); B's member theirs; the South group's editor offers nothing.
    "officer": {"Near need", "Far need", "B need"},
    "member_a": {"Near need"},
    "member_b": {"B need"},
    "other_editor": set(),
}


@pytest.mark.parametrize("role", MATCHES_SEE)
def test_the_match_view_shows_needs_near_mine_that_my_offers_could_meet(client, world, role):
    body = _as(client, world, role).get(reverse("engagement:exchange_matches")).content.decode()

    assert {text for text in ("Near need", "Far need", "B need") if text in body} == MATCHES_SEE[role]


# (page, entry it concerns or None, answer per role); signed-out people are always sent to sign in.
MATRIX = [
    ("engagement:exchange", None, dict.fromkeys(ROLES[1:], OK)),
    ("engagement:exchange_matches", None, dict.fromkeys(ROLES[1:], OK)),
    ("engagement:exchange_create", None, dict.fromkeys(ROLES[1:], OK)),
    ("edit", "offer_a", {"officer": OK, "member_a": OK, "member_b": NOT_FOUND, "other_editor": NOT_FOUND}),
    ("edit", "need_far", {"officer": OK, "member_a": NOT_FOUND, "member_b": NOT_FOUND, "other_editor": OK}),
    ("accept", "need_near", {"officer": OK, "member_a": OK, "member_b": NOT_FOUND, "other_editor": NOT_FOUND}),
    # Visible to the South group's editor (their own need), but they cannot meet it themselves.
    ("accept", "need_far", {"officer": OK, "member_a": OK, "member_b": NOT_FOUND, "other_editor": FORBIDDEN}),
    ("accept", "need_b", {"officer": OK, "member_a": NOT_FOUND, "member_b": OK, "other_editor": NOT_FOUND}),
]


def _matrix_url(world, page, entry):
    if page == "edit":
        return _edit_url(world[entry])
    if page == "accept":
        return _accept_url(world[entry])
    return reverse(page)


@pytest.mark.parametrize(("page", "entry", "expected"), MATRIX, ids=[f"{p}-{e}" for p, e, _ in MATRIX])
def test_each_role_gets_the_expected_answer(client, world, page, entry, expected):
    url = _matrix_url(world, page, entry)
    answers = {role: _as(client, world, role).get(url).status_code for role in ROLES}

    assert answers == {"signed_out": FOUND, **expected}
    assert reverse("portal:login") in _as(client, world, "signed_out").get(url)["Location"]


def test_someone_who_edits_no_organisation_cannot_add_and_is_told_why(client):
    client.force_login(UserFactory())

    response = client.get(reverse("engagement:exchange_create"))

    assertContains(response, "You cannot do this in the exchange", status_code=FORBIDDEN)


def test_a_member_of_another_network_cannot_post_an_accept_or_an_edit(client, world):
    client.force_login(world["users"]["member_b"])

    accept = client.post(_accept_url(world["need_near"]), {"offerer": world["anchor_b"].pk})
    edit = client.post(_edit_url(world["offer_a"]), {"direction": "need", "term": world["term"].pk})

    assert (accept.status_code, edit.status_code) == (NOT_FOUND, NOT_FOUND)
    assert not Engagement.objects.exists()
    world["offer_a"].refresh_from_db()
    assert world["offer_a"].direction == ExchangeDirection.OFFER


def test_draft_organisations_entries_are_shown_only_to_their_own_members(client, world):
    draft = OrganisationFactory(status="draft", localities=[world["north_ward"]])
    ExchangeEntryFactory(organisation=draft, term=world["term"], description="Draft group's need", need=True)

    assertNotContains(_as(client, world, "member_a").get(reverse("engagement:exchange")), "Draft group")
    client.force_login(MembershipFactory(organisation=draft).user)
    assertContains(client.get(reverse("engagement:exchange")), "Draft group&#x27;s need")


def test_entries_near_my_organisations_come_first_and_say_so(client, world):
    # The far need is newer, so without nearness it would come first.
    world["need_far"].save()

    body = _as(client, world, "member_a").get(reverse("engagement:exchange")).content.decode()

    assert body.index("Near need") < body.index("Far need")
    assert body.count("Near you") == 2  # the anchor's own offer and the near need


def test_the_list_filters_by_skill_direction_and_area(client, world):
    other = SkillTermFactory(name="Interpreting")
    ExchangeEntryFactory(organisation=world["anchor_a"], term=other, description="Urdu interpreting")
    client = _as(client, world, "member_a")

    by_skill = client.get(reverse("engagement:exchange"), {"skill": other.slug}).content.decode()
    needs = client.get(reverse("engagement:exchange"), {"direction": "need"}).content.decode()
    south = client.get(reverse("engagement:exchange"), {"area": "south-area"}).content.decode()
    wrong = client.get(reverse("engagement:exchange"), {"area": "atlantis"})

    assert "Urdu interpreting" in by_skill
    assert "Near need" not in by_skill
    assert "Near need" in needs
    assert "Far need" in needs
    assert "Our minibus" not in needs
    assert "Far need" in south
    assert "Near need" not in south
    assertContains(wrong, "There is a problem")
    assertContains(wrong, "Choose an option from the list")


def test_skills_terms_are_not_offered_as_services_in_the_directory():
    TaxonomyTerm.objects.filter(taxonomy__name=SKILLS_TAXONOMY).delete()
    skill = SkillTermFactory(name="Minibus loan")
    from organisations.filters import service_choices

    assert skill.slug not in dict(service_choices())


# --- Accepting a match ------------------------------------------------------------------------
def test_accepting_a_match_logs_one_engagement_for_both_and_marks_the_need_met(client, world):
    user = world["users"]["member_a"]
    client.force_login(user)
    need, anchor = world["need_near"], world["anchor_a"]

    confirm = client.get(_accept_url(need))
    response = client.post(_accept_url(need), {"offerer": anchor.pk, "note": "Call on Monday"}, follow=True)

    assertContains(confirm, "Accept and record it")
    assertContains(response, "marked as met")
    engagement = Engagement.objects.get()
    assert engagement.anchor == anchor
    assert engagement.kind == EngagementKind.SKILLS_EXCHANGE
    assert set(engagement.organisations.all()) == {need.organisation, anchor}
    assert engagement.staff == user
    assert "Call on Monday" in engagement.outcome
    need.refresh_from_db()
    assert not need.is_current
    assert (need.met_by, need.closed_by, need.engagement) == (anchor, user, engagement)
    # It counts once for each organisation: both have a contact today.
    assert outreach_of(need.organisation).last_contact_on == timezone.localdate()
    assert Engagement.objects.filter(organisations=anchor).count() == 1
    # And it leaves the list and the match view.
    assertNotContains(client.get(reverse("engagement:exchange_matches")), "Near need")
    assertNotContains(client.get(reverse("engagement:exchange")), "Near need")


def test_accepting_a_need_someone_else_met_meanwhile_says_so_and_changes_nothing(client, world):
    second_anchor = AnchorRoleFactory(
        network=world["anchor_a"].anchor_roles.get().network,
        locality=world["north_ward"],
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=world["anchor_a"].anchor_roles.get(),
    ).organisation
    ExchangeEntryFactory(organisation=second_anchor, term=world["term"])
    rival = MembershipFactory(organisation=second_anchor).user
    need = world["need_near"]
    # Both open the confirmation page; the rival accepts first.
    client.force_login(world["users"]["member_a"])
    client.get(_accept_url(need))
    exchange_match_accept(need=need, offerer=second_anchor, user=rival)

    response = client.post(_accept_url(need), {"offerer": world["anchor_a"].pk}, follow=True)

    assertContains(response, f"{second_anchor.name} met this need on")
    assertNotContains(response, "Accept and record it")
    assert Engagement.objects.count() == 1
    need.refresh_from_db()
    assert need.met_by == second_anchor


def test_the_service_refuses_a_stale_need_that_another_accept_closed(world):
    need = world["need_near"]
    stale = ExchangeEntry.objects.get(pk=need.pk)  # loaded before the first accept, still "current"
    exchange_match_accept(need=need, offerer=world["anchor_a"], user=world["users"]["member_a"])

    with pytest.raises(ValidationError) as refused:
        exchange_match_accept(need=stale, offerer=world["anchor_a"], user=world["users"]["officer"])

    assert refused.value.error_list[0].code == "already_met"
    assert Engagement.objects.count() == 1


def test_accepting_needs_a_choice_of_offerer_and_keeps_the_note(client, world):
    client.force_login(world["users"]["officer"])  # the officer may answer for A or B

    response = client.post(_accept_url(world["need_near"]), {"note": "Ring first"})

    assertContains(response, "Choose the organisation that will meet the need")
    assertContains(response, "Ring first")
    assert not Engagement.objects.exists()


def test_the_engagement_goes_on_the_needing_groups_anchor_when_the_offerer_is_not_one(world):
    helper = OrganisationFactory(localities=[world["north_ward"]])
    group = world["group_near"]

    assert exchange_anchor_for(offerer=helper, need_organisation=group) == world["anchor_a"]
    supporter = SupportRelationshipFactory(group=group).anchor
    assert exchange_anchor_for(offerer=helper, need_organisation=group) == supporter
    assert exchange_anchor_for(offerer=world["anchor_b"], need_organisation=group) == world["anchor_b"]
    assert exchange_anchor_for(offerer=helper, need_organisation=OrganisationFactory()) is None


# --- Adding and changing ----------------------------------------------------------------------
def test_an_editor_adds_a_need_that_their_network_then_sees(client, world):
    client.force_login(world["users"]["other_editor"])
    payload = {
        "organisation": world["group_far"].pk,
        "direction": "need",
        "term": world["term"].pk,
        "description": "A driver for Friday trips",
    }

    response = client.post(reverse("engagement:exchange_create"), payload, follow=True)

    assertContains(response, "Added to the exchange")
    entry = ExchangeEntry.objects.get(description="A driver for Friday trips")
    assert (entry.organisation, entry.is_need, entry.is_current) == (world["group_far"], True, True)
    assertContains(_as(client, world, "member_a").get(reverse("engagement:exchange")), "A driver for Friday trips")


def test_an_editor_cannot_add_for_an_organisation_they_do_not_edit(client, world):
    client.force_login(world["users"]["other_editor"])

    response = client.post(
        reverse("engagement:exchange_create"),
        {"organisation": world["anchor_a"].pk, "direction": "offer", "term": world["term"].pk, "description": "x"},
    )

    assertContains(response, "Choose an organisation from the list")
    assert ExchangeEntry.objects.count() == 5


def test_form_errors_keep_what_was_typed(client, world):
    client.force_login(world["users"]["member_a"])

    response = client.post(
        reverse("engagement:exchange_create"),
        {"organisation": world["anchor_a"].pk, "direction": "offer", "description": "Gazebos to lend, any weekend"},
    )

    assertContains(response, "There is a problem")
    assertContains(response, "Choose a skill or asset")
    assertContains(response, "Gazebos to lend, any weekend")
    assertContains(response, "<title>Error:", html=False)
    assert ExchangeEntry.objects.count() == 5


def test_marking_a_need_no_longer_current_takes_it_off_the_list(client, world):
    need = world["need_far"]
    client.force_login(world["users"]["other_editor"])
    form = client.get(_edit_url(need)).context["form"]

    client.post(
        _edit_url(need),
        {
            "direction": "need",
            "term": world["term"].pk,
            "description": "Far need",
            "still_current": "no",
            VERSION_FIELD: form[VERSION_FIELD].value(),
        },
    )

    need.refresh_from_db()
    assert not need.is_current
    assert need.closed_by == world["users"]["other_editor"]
    assert need.met_by is None
    assertNotContains(_as(client, world, "member_a").get(reverse("engagement:exchange")), "Far need")


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, world):
    offer = world["offer_a"]
    client.force_login(world["users"]["member_a"])
    loaded = client.get(_edit_url(offer)).context["form"][VERSION_FIELD].value()
    offer.description = "Changed by a colleague meanwhile"
    offer.save()

    response = client.post(
        _edit_url(offer),
        {
            "direction": "offer",
            "term": world["term"].pk,
            "description": "My own wording",
            "still_current": "yes",
            VERSION_FIELD: loaded,
        },
    )

    assertContains(response, "while you were editing it, so your changes were not saved")
    assertContains(response, "My own wording")
    offer.refresh_from_db()
    assert offer.description == "Changed by a colleague meanwhile"


# --- Query counts -----------------------------------------------------------------------------
def _make_entries(world, count: int) -> None:
    for index in range(count):
        group = OrganisationFactory(localities=[world["north_ward"]])
        ExchangeEntryFactory(organisation=group, term=world["term"], need=True, description=f"Extra need {index}")
        ExchangeEntryFactory(organisation=group, term=SkillTermFactory(), description=f"Extra offer {index}")


@pytest.mark.parametrize("url_name", ["engagement:exchange", "engagement:exchange_matches"])
def test_list_pages_cost_the_same_queries_for_3_and_30_records(client, world, url_name, django_assert_max_num_queries):
    client.force_login(world["users"]["member_a"])
    url = reverse(url_name)
    _make_entries(world, 3)
    client.get(url)  # warm up: the session and the like
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == OK

    _make_entries(world, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)

    assert response.status_code == OK
    assert len(few) <= 10


def test_the_account_page_links_to_the_exchange(client, world):
    client.force_login(world["users"]["member_a"])

    response = client.get(reverse("portal:account"))

    assertContains(response, reverse("engagement:exchange"))
    assertContains(response, reverse("engagement:exchange_matches"))


def test_offers_are_not_shown_on_the_public_organisation_page(client, world):
    response = client.get(world["anchor_a"].get_absolute_url())

    assertNotContains(response, "Our minibus, weekdays")


def test_only_needs_can_be_met(world):
    with pytest.raises(ValidationError):
        exchange_match_accept(need=world["offer_b"], offerer=world["anchor_a"], user=world["users"]["officer"])
    assert Organisation.objects.filter(exchange_needs_met__isnull=False).count() == 0


@pytest.mark.parametrize("url_name", ["engagement:exchange_update", "engagement:exchange_accept"])
def test_an_id_no_database_can_hold_is_not_found_not_an_error(client, world, url_name):
    client.force_login(world["users"]["officer"])

    assert client.get(reverse(url_name, args=["9" * 30])).status_code == NOT_FOUND


def test_accepting_a_met_need_says_who_met_it_even_without_a_choice(client, world):
    need = world["need_near"]
    exchange_match_accept(need=need, offerer=world["anchor_a"], user=world["users"]["member_a"])
    client.force_login(world["users"]["officer"])

    response = client.post(_accept_url(need), {}, follow=True)

    assertContains(response, f"{world['anchor_a'].name} met this need on")
    assert Engagement.objects.count() == 1


def test_the_officer_may_change_every_entry_and_members_only_their_own(client, world):
    officer = _as(client, world, "officer").get(reverse("engagement:exchange")).content.decode()
    member = _as(client, world, "member_a").get(reverse("engagement:exchange")).content.decode()

    assert officer.count(">Change<") == 5
    assert member.count(">Change<") == 1
