"""Anchors keep their engagement log themselves: recording a contact, changing an entry (with
the optimistic-concurrency check every editor has), and the log itself, filtered and paged.
Who may do what follows ADR 0005: an anchor's editors their own log, a network coordinator's
editors their network's anchors', officers every one; anyone else gets a 404 for another's
entry, and officers' notes reach officers alone."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import VERSION_FIELD, version_of
from core.models import PublicationStatus
from engagement.models import (
    Engagement,
    EngagementKind,
    QuietNote,
    QuietReason,
    RelationshipStatus,
    SupportKind,
    SupportRelationship,
)
from organisations.models import Organisation
from tests.engagement.factories import EngagementFactory, SupportRelationshipFactory, SupportRequestFactory
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

LOG = reverse("engagement:engagements")
NEW = reverse("engagement:engagement_create")
NOTE = "OFFICER-NOTE-5c1d"


def edit_url(entry: Engagement) -> str:
    return reverse("engagement:engagement_update", args=[entry.pk])


@pytest.fixture
def net():
    """Kirklees: our anchor for Batley East, another anchor for Dalton, both in a network
    coordinated by Third Sector Leaders, and an anchor of another district's network. Groups in
    Batley East (published, draft, archived) and one in Dalton; an editor of each anchor and of
    the coordinator, a plain member of ours, and an officer."""
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    batley = LocalityFactory(parent=district, name="Batley East", slug="batley-east")
    dalton = LocalityFactory(parent=district, name="Dalton", slug="dalton")
    coordinator = OrganisationFactory(name="Third Sector Leaders")
    network = NetworkFactory(district=district, coordinator=coordinator)
    ours = AnchorRoleFactory(network=network, locality=batley, organisation__name="Batley Trust").organisation
    theirs = AnchorRoleFactory(network=network, locality=dalton, organisation__name="Dalton Trust").organisation
    faraway = AnchorRoleFactory(organisation__name="Leeds Trust").organisation
    editor = MembershipFactory(organisation=ours, user__first_name="Asha", user__last_name="Patel").user
    return {
        "ours": ours,
        "theirs": theirs,
        "faraway": faraway,
        "coordinator": coordinator,
        "pantry": OrganisationFactory(name="Batley Pantry", localities=[batley]),
        "knitters": OrganisationFactory(name="Batley Knitters", localities=[batley]),
        "draft": OrganisationFactory(name="Batley Draft Club", localities=[batley], status=PublicationStatus.DRAFT),
        "archived": OrganisationFactory(name="Batley Old Club", localities=[batley], status=PublicationStatus.ARCHIVED),
        "walkers": OrganisationFactory(name="Dalton Walkers", localities=[dalton]),
        "editor": editor,
        "their_editor": MembershipFactory(organisation=theirs).user,
        "coordinator_editor": MembershipFactory(organisation=coordinator).user,
        "faraway_editor": MembershipFactory(organisation=faraway).user,
        "viewer": MembershipFactory(organisation=ours, role="viewer").user,
        "officer": UserFactory(is_staff=True),
    }


def date_fields(name: str, day: datetime.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def posted(net, **overrides) -> dict:
    """A valid new entry on our log: advice to the pantry yesterday by our editor."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "anchor": str(net["ours"].pk),
        "kind": EngagementKind.ADVICE,
        "organisations": [str(net["pantry"].pk)],
        "staff": str(net["editor"].pk),
        "outcome": "Bid drafted",
        **date_fields("occurred_on", yesterday),
        **date_fields("follow_up_on", None),
    }
    data.update(overrides)
    return data


def edit_data(entry: Engagement, **overrides) -> dict:
    """The edit form as loaded for ``entry``, with ``overrides`` typed over it."""
    data = {
        "kind": entry.kind,
        "organisations": [str(pk) for pk in entry.organisations.values_list("pk", flat=True)],
        "staff": str(entry.staff_id or ""),
        "outcome": entry.outcome,
        **date_fields("occurred_on", entry.occurred_on),
        **date_fields("follow_up_on", entry.follow_up_on),
        VERSION_FIELD: version_of(entry),
    }
    data.update(overrides)
    return data


# --- Recording a contact -------------------------------------------------------------------
def test_an_anchor_editor_records_a_contact_with_several_groups(client, net):
    client.force_login(net["editor"])
    follow_up = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        NEW,
        posted(
            net,
            organisations=[str(net["pantry"].pk), str(net["draft"].pk)],
            **date_fields("follow_up_on", follow_up),
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    entry = Engagement.objects.get()
    assert entry.anchor == net["ours"]
    assert set(entry.organisations.all()) == {net["pantry"], net["draft"]}
    assert entry.staff == net["editor"]
    assert entry.follow_up_on == follow_up
    # It is on the follow-up list at once.
    assertContains(client.get(reverse("engagement:follow_ups")), "Batley Pantry")


def test_the_form_preselects_the_only_anchor_and_a_group_from_the_outreach_list(client, net):
    client.force_login(net["editor"])
    response = client.get(NEW, {"organisation": net["pantry"].pk})
    form = response.context["form"]
    assert form.initial["anchor"] == net["ours"].pk
    assert form.initial["organisations"] == [net["pantry"].pk]
    assert form["organisations"].value() == [net["pantry"].pk]
    assert form["staff"].value() == net["editor"].pk


def test_the_form_offers_only_the_groups_of_the_persons_patch(client, net):
    client.force_login(net["editor"])
    offered = set(client.get(NEW).context["form"].fields["organisations"].queryset)
    assert offered == {net["pantry"], net["knitters"], net["draft"]}


def test_searching_by_name_narrows_the_groups_listed(client, net):
    client.force_login(net["editor"])
    response = client.get(NEW, {"q": "knit"})
    assert list(response.context["form"].fields["organisations"].queryset) == [net["knitters"]]
    assertContains(response, "Show every group")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"organisations": []}, "organisations", "Choose at least one organisation"),
        ({"kind": ""}, "kind", "Choose the kind of contact"),
        ({"kind": EngagementKind.SUPPORT_REQUEST}, "kind", "Choose the kind of contact from the list"),
        (date_fields("occurred_on", None), "occurred_on", "Enter the date of the contact"),
        ({"occurred_on_1": "13"}, "occurred_on", "Enter a real date"),
        ({"outcome": "x" * 301}, "outcome", "Keep the outcome to 300 characters or fewer"),
    ],
)
def test_a_mistake_is_explained_and_nothing_is_saved(client, net, change, field, message):
    client.force_login(net["editor"])
    response = client.post(NEW, posted(net, **change))
    assert response.status_code == HTTPStatus.OK
    assert Engagement.objects.count() == 0
    assert field in response.context["form"].errors
    assertContains(response, message)
    assertContains(response, "There is a problem")
    assert response.context["error_links"]


def test_a_date_in_the_future_is_refused_and_what_was_typed_stays(client, net):
    client.force_login(net["editor"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(NEW, posted(net, outcome="Talked about the lease", **date_fields("occurred_on", tomorrow)))
    assertContains(response, "The date of the contact must be today or in the past")
    assertContains(response, "Talked about the lease")
    assertContains(response, f'value="{tomorrow.year}"', html=False)
    assert Engagement.objects.count() == 0


def test_a_follow_up_before_the_contact_is_refused(client, net):
    client.force_login(net["editor"])
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(NEW, posted(net, **date_fields("follow_up_on", day)))
    assertContains(response, "The follow-up date must be on or after the date of the contact")
    assert Engagement.objects.count() == 0


@pytest.mark.parametrize("group", ["walkers", "archived", "theirs"])
def test_a_group_outside_the_patch_cannot_be_posted(client, net, group):
    client.force_login(net["editor"])
    response = client.post(NEW, posted(net, organisations=[str(net[group].pk)]))
    assertContains(response, "Choose organisations from the list")
    assert Engagement.objects.count() == 0


@pytest.mark.parametrize("anchor", ["theirs", "faraway", "coordinator"])
def test_an_anchor_editor_cannot_record_on_another_log(client, net, anchor):
    client.force_login(net["editor"])
    response = client.post(NEW, posted(net, anchor=str(net[anchor].pk)))
    assertContains(response, "Choose an organisation from the list")
    assert Engagement.objects.count() == 0


def test_someone_from_another_organisation_cannot_be_named_as_staff(client, net):
    client.force_login(net["editor"])
    response = client.post(NEW, posted(net, staff=str(net["their_editor"].pk)))
    assertContains(response, "Choose someone from the list")
    assert Engagement.objects.count() == 0


def test_an_absurd_id_is_a_form_error_not_a_server_error(client, net):
    client.force_login(net["editor"])
    response = client.post(NEW, posted(net, organisations=["9" * 30], anchor="9" * 30, staff="x"))
    assert response.status_code == HTTPStatus.OK
    assert Engagement.objects.count() == 0


def test_a_coordinators_editor_records_for_an_anchor_of_their_network(client, net):
    client.force_login(net["coordinator_editor"])
    anchors = set(client.get(NEW).context["form"].fields["anchor"].queryset)
    assert anchors == {net["ours"], net["theirs"], net["coordinator"]}
    response = client.post(NEW, posted(net, anchor=str(net["theirs"].pk), staff="", organisations=[net["walkers"].pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert Engagement.objects.get().anchor == net["theirs"]


@pytest.mark.parametrize("who", ["viewer", "faraway_editor"])
def test_someone_who_keeps_no_log_here_is_told_why_they_cannot_record(client, net, who):
    client.force_login(net[who] if who != "faraway_editor" else UserFactory())
    response = client.get(NEW)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assertContains(response, "You cannot record contacts", status_code=HTTPStatus.FORBIDDEN)


def test_signed_out_people_are_sent_to_sign_in(client, net):
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"]])
    for url in (LOG, NEW, edit_url(entry)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert reverse("portal:login") in response["Location"]


# --- Officers' notes ------------------------------------------------------------------------
def test_only_an_officer_sees_and_writes_the_officers_notes(client, net):
    client.force_login(net["officer"])
    response = client.get(NEW)
    assertContains(response, "Notes for officers")
    client.post(NEW, posted(net, staff="", officer_notes=NOTE))
    entry = Engagement.objects.get()
    assert entry.officer_notes == NOTE
    assertContains(client.get(edit_url(entry)), NOTE)

    client.force_login(net["editor"])
    for url in (NEW, edit_url(entry), LOG, reverse("engagement:follow_ups")):
        response = client.get(url)
        assertNotContains(response, NOTE)
        assertNotContains(response, "Notes for officers")


def test_an_editor_cannot_post_officers_notes_and_their_save_keeps_the_officers(client, net):
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"]], officer_notes=NOTE)
    client.force_login(net["editor"])
    client.post(NEW, posted(net, officer_notes="sneaky"))
    assert Engagement.objects.exclude(pk=entry.pk).get().officer_notes == ""
    response = client.post(edit_url(entry), edit_data(entry, outcome="Changed", officer_notes="sneaky"))
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert (entry.outcome, entry.officer_notes) == ("Changed", NOTE)


# --- Changing an entry ----------------------------------------------------------------------
def test_an_editor_changes_an_entry_of_their_log(client, net):
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"]], outcome="First visit")
    client.force_login(net["editor"])
    response = client.get(edit_url(entry))
    assertContains(response, "First visit")
    response = client.post(
        edit_url(entry),
        edit_data(entry, outcome="Second visit", organisations=[str(net["pantry"].pk), str(net["knitters"].pk)]),
    )
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.outcome == "Second visit"
    assert set(entry.organisations.all()) == {net["pantry"], net["knitters"]}


def test_an_entry_from_a_request_for_support_stays_linked_and_keeps_its_kind(client, net):
    request = SupportRequestFactory(anchor=net["ours"])
    entry = EngagementFactory(
        anchor=net["ours"], organisations=[net["pantry"]], kind=EngagementKind.SUPPORT_REQUEST, support_request=request
    )
    client.force_login(net["editor"])
    assertContains(client.get(edit_url(entry)), request.reference)
    response = client.post(edit_url(entry), edit_data(entry, outcome="Acknowledged by phone"))
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert (entry.support_request, entry.kind, entry.outcome) == (
        request,
        EngagementKind.SUPPORT_REQUEST,
        "Acknowledged by phone",
    )


def test_an_organisation_already_on_an_entry_stays_on_offer(client, net):
    """A match in the exchange names an anchor among the organisations: editing keeps it."""
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"], net["theirs"]])
    client.force_login(net["editor"])
    response = client.post(edit_url(entry), edit_data(entry, outcome="Noted"))
    assert response.status_code == HTTPStatus.FOUND
    assert set(entry.organisations.all()) == {net["pantry"], net["theirs"]}


def test_a_save_on_a_stale_copy_is_refused_says_what_changed_and_keeps_what_was_typed(client, net):
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"]], outcome="First visit")
    stale = edit_data(entry, outcome="My version of events")
    # Someone else saves meanwhile.
    other = Engagement.objects.get(pk=entry.pk)
    other.outcome = "Their version"
    other.updated_at = other.updated_at + datetime.timedelta(seconds=5)
    other.save()
    client.force_login(net["editor"])
    response = client.post(edit_url(entry), stale)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "while you were editing it")
    assertContains(response, "Their version")
    assertContains(response, "My version of events")
    entry.refresh_from_db()
    assert entry.outcome == "Their version"
    # Saving again is a deliberate choice, and works.
    again = response.context["form"].data.copy()
    response = client.post(edit_url(entry), again)
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.outcome == "My version of events"


def test_a_form_posted_without_its_version_is_refused(client, net):
    entry = EngagementFactory(anchor=net["ours"], organisations=[net["pantry"]])
    client.force_login(net["editor"])
    data = edit_data(entry, outcome="Changed")
    del data[VERSION_FIELD]
    assertContains(client.post(edit_url(entry), data), "This page is out of date")
    entry.refresh_from_db()
    assert entry.outcome == ""


def test_moving_a_follow_up_makes_it_to_do_again(client, net):
    entry = EngagementFactory(
        anchor=net["ours"],
        organisations=[net["pantry"]],
        follow_up_on=timezone.localdate() - datetime.timedelta(days=1),
        follow_up_done=True,
    )
    client.force_login(net["editor"])
    later = timezone.localdate() + datetime.timedelta(days=5)
    client.post(edit_url(entry), edit_data(entry, **date_fields("follow_up_on", later)))
    entry.refresh_from_db()
    assert (entry.follow_up_on, entry.follow_up_done) == (later, False)


# --- Who may change which entry: the matrix ---------------------------------------------------
@pytest.mark.parametrize(
    ("who", "anchor", "expected"),
    [
        ("editor", "ours", HTTPStatus.OK),
        ("editor", "theirs", HTTPStatus.NOT_FOUND),
        ("editor", "faraway", HTTPStatus.NOT_FOUND),
        ("viewer", "ours", HTTPStatus.NOT_FOUND),
        ("their_editor", "ours", HTTPStatus.NOT_FOUND),
        ("coordinator_editor", "ours", HTTPStatus.OK),
        ("coordinator_editor", "theirs", HTTPStatus.OK),
        ("coordinator_editor", "faraway", HTTPStatus.NOT_FOUND),
        ("faraway_editor", "ours", HTTPStatus.NOT_FOUND),
        ("officer", "ours", HTTPStatus.OK),
        ("officer", "faraway", HTTPStatus.OK),
    ],
)
def test_who_may_open_and_change_an_entry(client, net, who, anchor, expected):
    entry = EngagementFactory(anchor=net[anchor], organisations=[net["pantry"]], outcome="Untouched")
    client.force_login(net[who])
    assert client.get(edit_url(entry)).status_code == expected
    response = client.post(edit_url(entry), edit_data(entry, outcome="Changed"))
    entry.refresh_from_db()
    if expected == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert entry.outcome == "Changed"
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert entry.outcome == "Untouched"


@pytest.mark.parametrize("pk", ["0", "99999", "9" * 30, "abc"])
def test_an_entry_that_does_not_exist_is_a_404(client, net, pk):
    client.force_login(net["editor"])
    assert client.get(f"/network/engagements/{pk}/edit/").status_code == HTTPStatus.NOT_FOUND


# --- The log ---------------------------------------------------------------------------------
def listed(client, params=None) -> list[int]:
    response = client.get(LOG, params or {})
    assert response.status_code == HTTPStatus.OK
    return [entry.pk for entry in response.context["entries"]]


def test_the_log_lists_the_persons_anchors_entries_newest_first(client, net):
    today = timezone.localdate()
    old = EngagementFactory(anchor=net["ours"], occurred_on=today - datetime.timedelta(days=30))
    new = EngagementFactory(anchor=net["ours"], occurred_on=today)
    EngagementFactory(anchor=net["theirs"])
    client.force_login(net["editor"])
    assert listed(client) == [new.pk, old.pk]
    client.force_login(net["coordinator_editor"])
    assert len(listed(client)) == 3
    client.force_login(net["faraway_editor"])
    assert listed(client) == []


def test_the_log_filters_by_kind_organisation_and_dates(client, net):
    today = timezone.localdate()
    advice = EngagementFactory(
        anchor=net["ours"], organisations=[net["pantry"]], occurred_on=today - datetime.timedelta(days=40)
    )
    visit = EngagementFactory(
        anchor=net["ours"], organisations=[net["knitters"]], kind=EngagementKind.VISIT, occurred_on=today
    )
    client.force_login(net["editor"])
    assert listed(client, {"kind": "visit"}) == [visit.pk]
    assert listed(client, {"organisation": net["pantry"].pk}) == [advice.pk]
    since = today - datetime.timedelta(days=7)
    assert listed(client, date_fields("date_from", since)) == [visit.pk]
    assert listed(client, date_fields("date_to", since)) == [advice.pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "bogus"}, "Choose an option from the list."),
        ({"organisation": "9" * 30}, "Choose an option from the list."),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"}, "Enter a real date"),
        (
            {
                **date_fields("date_from", datetime.date(2026, 5, 1)),
                **date_fields("date_to", datetime.date(2026, 4, 1)),
            },
            "must be the same as or after",
        ),
    ],
)
def test_a_bad_filter_is_explained_not_a_server_error(client, net, params, message):
    EngagementFactory(anchor=net["ours"])
    client.force_login(net["editor"])
    response = client.get(LOG, params)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, message)
    assertContains(response, "There is a problem")
    assert list(response.context["entries"]) == []


def test_someone_who_keeps_no_log_sees_why_it_is_empty(client, net):
    client.force_login(UserFactory())
    response = client.get(LOG)
    assertContains(response, "There is no log to show.")
    assertNotContains(response, "Record a contact</a>")


def test_an_empty_log_invites_a_first_entry(client, net):
    client.force_login(net["editor"])
    response = client.get(LOG)
    assertContains(response, "Nothing is on the log yet.")
    assertContains(response, NEW)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_log_costs_the_same_queries_for_3_or_30_entries(client, net, rows, django_assert_max_num_queries):
    for _ in range(rows):
        EngagementFactory(anchor=net["ours"], organisations=[net["pantry"], net["knitters"]], staff=net["editor"])
    client.force_login(net["editor"])
    with django_assert_max_num_queries(9):
        response = client.get(LOG, {"kind": "advice"})
    assert len(response.context["entries"]) == min(rows, 20)


# --- Support relationships -------------------------------------------------------------------
RELATIONSHIPS = reverse("engagement:relationships")
NEW_RELATIONSHIP = reverse("engagement:relationship_create")


def relationship_url(relationship: SupportRelationship) -> str:
    return reverse("engagement:relationship_update", args=[relationship.pk])


def relationship_data(net, **overrides) -> dict:
    data = {
        "anchor": str(net["ours"].pk),
        "group": str(net["pantry"].pk),
        "kind": SupportKind.TRAINING,
        "end_reason": "",
        **date_fields("started_on", timezone.localdate() - datetime.timedelta(days=30)),
        **date_fields("ended_on", None),
    }
    data.update(overrides)
    return data


def relationship_edit_data(relationship: SupportRelationship, **overrides) -> dict:
    data = {
        "group": str(relationship.group_id),
        "kind": relationship.kind,
        "end_reason": relationship.end_reason,
        **date_fields("started_on", relationship.started_on),
        **date_fields("ended_on", relationship.ended_on),
        VERSION_FIELD: version_of(relationship),
    }
    data.update(overrides)
    return data


def test_an_anchor_editor_adds_a_support_relationship(client, net):
    client.force_login(net["editor"])
    assert client.get(NEW_RELATIONSHIP).context["form"].initial["anchor"] == net["ours"].pk
    response = client.post(NEW_RELATIONSHIP, relationship_data(net))
    assert response.status_code == HTTPStatus.FOUND
    relationship = SupportRelationship.objects.get()
    assert (relationship.anchor, relationship.group, relationship.status) == (
        net["ours"],
        net["pantry"],
        RelationshipStatus.ACTIVE,
    )


def test_a_relationship_ended_with_a_reason_shows_as_ended(client, net):
    relationship = SupportRelationshipFactory(anchor=net["ours"], group=net["pantry"])
    client.force_login(net["editor"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        relationship_url(relationship),
        relationship_edit_data(relationship, end_reason="Course finished", **date_fields("ended_on", yesterday)),
    )
    assert response.status_code == HTTPStatus.FOUND
    relationship.refresh_from_db()
    assert (relationship.ended_on, relationship.status) == (yesterday, RelationshipStatus.ENDED)
    assert listed_relationships(client, {"status": "ended"}) == [relationship.pk]
    assert listed_relationships(client, {"status": "active"}) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_reason": "", **date_fields("ended_on", datetime.date(2026, 1, 1))}, "Say why the support ended"),
        ({"end_reason": "Moved away"}, "Enter the last day of support, or leave why it ended empty"),
        (date_fields("ended_on", datetime.date(2000, 1, 1)), "The end date cannot be before the start date"),
        (date_fields("started_on", None), "Enter the date the support started"),
        ({"group": ""}, "Choose the group supported"),
        ({"group": "9" * 30}, "Choose a group from the list"),
    ],
)
def test_a_relationship_with_a_mistake_is_explained_and_not_saved(client, net, change, message):
    client.force_login(net["editor"])
    response = client.post(NEW_RELATIONSHIP, relationship_data(net, **change))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, message)
    assertContains(response, "There is a problem")
    assert SupportRelationship.objects.count() == 0


def test_a_relationship_changed_meanwhile_is_not_overwritten(client, net):
    relationship = SupportRelationshipFactory(anchor=net["ours"], group=net["pantry"])
    stale = relationship_edit_data(relationship, kind=SupportKind.GOVERNANCE)
    SupportRelationship.objects.filter(pk=relationship.pk).update(
        kind=SupportKind.PREMISES, updated_at=relationship.updated_at + datetime.timedelta(seconds=5)
    )
    client.force_login(net["editor"])
    response = client.post(relationship_url(relationship), stale)
    assertContains(response, "while you were editing it")
    relationship.refresh_from_db()
    assert relationship.kind == SupportKind.PREMISES


@pytest.mark.parametrize(
    ("who", "anchor", "expected"),
    [
        ("editor", "ours", HTTPStatus.OK),
        ("editor", "theirs", HTTPStatus.NOT_FOUND),
        ("viewer", "ours", HTTPStatus.NOT_FOUND),
        ("coordinator_editor", "theirs", HTTPStatus.OK),
        ("faraway_editor", "ours", HTTPStatus.NOT_FOUND),
        ("officer", "faraway", HTTPStatus.OK),
    ],
)
def test_who_may_open_a_relationship(client, net, who, anchor, expected):
    relationship = SupportRelationshipFactory(anchor=net[anchor], group=net["pantry"])
    client.force_login(net[who])
    assert client.get(relationship_url(relationship)).status_code == expected


def test_a_group_outside_the_patch_cannot_be_supported_here(client, net):
    client.force_login(net["editor"])
    response = client.post(NEW_RELATIONSHIP, relationship_data(net, group=str(net["walkers"].pk)))
    assertContains(response, "Choose a group from the list")
    assert SupportRelationship.objects.count() == 0


def test_someone_with_no_anchor_cannot_add_relationships(client, net):
    client.force_login(UserFactory())
    assert client.get(NEW_RELATIONSHIP).status_code == HTTPStatus.FORBIDDEN
    assertContains(client.get(RELATIONSHIPS), "There are no support relationships to show.")


def listed_relationships(client, params=None) -> list[int]:
    response = client.get(RELATIONSHIPS, params or {})
    assert response.status_code == HTTPStatus.OK
    return [relationship.pk for relationship in response.context["relationships"]]


def test_the_relationship_list_shows_status_from_the_dates(client, net):
    today = timezone.localdate()
    upcoming = SupportRelationshipFactory(
        anchor=net["ours"], group=net["pantry"], started_on=today + datetime.timedelta(days=3)
    )
    active = SupportRelationshipFactory(anchor=net["ours"], group=net["knitters"])
    SupportRelationshipFactory(anchor=net["theirs"], group=net["walkers"])
    client.force_login(net["editor"])
    response = client.get(RELATIONSHIPS)
    assertContains(response, "Upcoming")
    assertContains(response, "Active")
    assert listed_relationships(client) == [upcoming.pk, active.pk]
    assert listed_relationships(client, {"status": "upcoming"}) == [upcoming.pk]
    assertContains(client.get(RELATIONSHIPS, {"status": "bogus"}), "Choose an option from the list.")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_relationship_list_costs_the_same_queries_for_3_or_30(client, net, rows, django_assert_max_num_queries):
    for _ in range(rows):
        SupportRelationshipFactory(anchor=net["ours"], group=OrganisationFactory())
    client.force_login(net["editor"])
    with django_assert_max_num_queries(8):
        response = client.get(RELATIONSHIPS, {"status": "active"})
    assert len(response.context["relationships"]) == min(rows, 20)


# --- Why a group is quiet ---------------------------------------------------------------------
def quiet_url(group) -> str:
    return reverse("engagement:quiet_note", args=[group.pk])


def test_an_anchor_editor_records_why_a_quiet_group_is_quiet_and_the_outreach_list_shows_it(client, net):
    Organisation.objects.filter(pk=net["pantry"].pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    client.force_login(net["editor"])
    outreach = client.get(reverse("engagement:outreach"))
    assertContains(outreach, quiet_url(net["pantry"]))
    assertContains(outreach, "No reason recorded yet")
    response = client.post(quiet_url(net["pantry"]), {"reason": QuietReason.FOLDED, "note": "Committee stood down"})
    assert response.status_code == HTTPStatus.FOUND
    note = QuietNote.objects.get()
    assert (note.organisation, note.reason, note.note, note.recorded_by) == (
        net["pantry"],
        QuietReason.FOLDED,
        "Committee stood down",
        net["editor"],
    )
    assertContains(client.get(reverse("engagement:outreach")), "Folded")
    assertContains(client.get(quiet_url(net["pantry"])), "The reason recorded now is “Folded”")


def test_a_quiet_note_without_a_reason_is_explained_and_keeps_the_note(client, net):
    client.force_login(net["editor"])
    response = client.post(quiet_url(net["pantry"]), {"reason": "", "note": "Phone number stopped working"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Choose why the group is quiet")
    assertContains(response, "Phone number stopped working")
    assert QuietNote.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "group", "expected"),
    [
        ("editor", "pantry", HTTPStatus.OK),
        ("editor", "walkers", HTTPStatus.NOT_FOUND),
        ("editor", "archived", HTTPStatus.NOT_FOUND),
        ("editor", "theirs", HTTPStatus.NOT_FOUND),
        ("their_editor", "pantry", HTTPStatus.NOT_FOUND),
        ("coordinator_editor", "walkers", HTTPStatus.OK),
        ("faraway_editor", "pantry", HTTPStatus.NOT_FOUND),
        ("officer", "walkers", HTTPStatus.OK),
    ],
)
def test_who_may_record_why_a_group_is_quiet(client, net, who, group, expected):
    client.force_login(net[who])
    assert client.get(quiet_url(net[group])).status_code == expected
    response = client.post(quiet_url(net[group]), {"reason": QuietReason.NOT_KNOWN})
    assert response.status_code == (HTTPStatus.FOUND if expected == HTTPStatus.OK else HTTPStatus.NOT_FOUND)
    assert QuietNote.objects.count() == (1 if expected == HTTPStatus.OK else 0)
