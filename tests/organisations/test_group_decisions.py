"""Deciding on a new group from the review queue: publish it, say it is already listed (the
draft archived, ADR 0007), or decline it with a reason; once only, even when two reviewers
act at the same moment; by the reviewing anchor's editors, its network's coordinator and
officers alone; the sender emailed the outcome once."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, GroupSubmission, GroupSubmissionStatus, NetworkStructure
from organisations.services import group_submission_create, group_submission_decide
from organisations.tasks import group_submission_notify_submitter
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
QUEUE = "/new-groups/"
SENDER = "sam.sender@example.org"


@pytest.fixture
def kirklees():
    """Kirklees (tiered, coordinated by Third Sector Leaders) with Batley and Spen's lead anchor
    and its local anchor, Huddersfield's lead anchor, each with an editor, and a published
    lunch club in WF17."""
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    coordinator = OrganisationFactory(name="Third Sector Leaders Kirklees")
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED, coordinator=coordinator)
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    other_area = LocalityFactory(name="Huddersfield", slug="huddersfield", kind=LocalityKind.AREA, parent=district)
    lead = AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR)
    local = AnchorRoleFactory(network=network, locality=ward, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    other = AnchorRoleFactory(network=network, locality=other_area, role=AnchorRoleKind.LEAD_ANCHOR)
    known = OrganisationFactory(name="St Mary’s Lunch Club", postcode="WF17 5AA", localities=[ward])
    return {
        "lead": lead.organisation,
        "ward": ward,
        "known": known,
        "editor": MembershipFactory(organisation=lead.organisation, user__username="lead-editor").user,
        "viewer": MembershipFactory(organisation=lead.organisation, role="viewer").user,
        "local_editor": MembershipFactory(organisation=local.organisation).user,
        "other_editor": MembershipFactory(organisation=other.organisation).user,
        "coordinator_editor": MembershipFactory(organisation=coordinator).user,
        "officer": UserFactory(is_staff=True),
    }


def send(kirklees, name: str = "Batley Knit and Natter", postcode: str = "WF17 5AB", **kwargs) -> GroupSubmission:
    return group_submission_create(
        name=name,
        description="Knitting and a cuppa every Tuesday.",
        postcode=postcode,
        locality=kirklees["ward"],
        email="",
        phone="",
        submitter_name="Sam Sender",
        submitter_email=SENDER,
        submitter_phone="07700 900123",
        reviewer=kirklees["lead"],
        **kwargs,
    )


def detail(submission: GroupSubmission) -> str:
    return f"/new-groups/{submission.pk}/"


def decided_emails() -> list:
    return [message for message in mail.outbox if message.to == [SENDER]]


# --- The three decisions ------------------------------------------------------------------
def test_the_anchors_editor_publishes_a_new_group_and_the_sender_is_told_once(
    client, kirklees, django_capture_on_commit_callbacks
):
    submission = send(kirklees)
    client.force_login(kirklees["editor"])
    page = client.get(detail(submission))
    assertContains(page, "Batley Knit and Natter")
    assertContains(page, SENDER)  # the reviewer may reply to the sender
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(submission), {"decision": "published"}, follow=True)

    assertContains(response, "Batley Knit and Natter: “Published”")
    submission.refresh_from_db()
    assert submission.status == GroupSubmissionStatus.PUBLISHED
    assert submission.decided_by == kirklees["editor"]
    assert submission.decided_at is not None
    assert submission.organisation.status == PublicationStatus.PUBLISHED
    assert client.get(submission.organisation.get_absolute_url()).status_code == HTTPStatus.OK
    history = submission.history.order_by("-history_date").first()
    assert (history.status, history.history_user) == (GroupSubmissionStatus.PUBLISHED, kirklees["editor"])
    [email] = decided_emails()
    assert "Sam Sender" not in email.subject
    assert "Batley Knit and Natter" not in email.subject
    assert "now listed in the directory" in email.body
    assert submission.organisation.get_absolute_url() in email.body
    # The task running again (a retry) sends nothing more.
    assert group_submission_notify_submitter.call(submission.pk) is False
    assert len(decided_emails()) == 1


def test_a_duplicate_is_merged_into_the_listed_organisation_and_its_draft_archived(
    client, kirklees, django_capture_on_commit_callbacks
):
    submission = send(kirklees, name="Saint Marys lunch club")
    client.force_login(kirklees["editor"])
    page = client.get(detail(submission))
    assertContains(page, "It is already listed")
    assertContains(page, "St Mary’s Lunch Club (published)")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(submission), {"decision": "merged", "duplicate_of": kirklees["known"].pk})

    submission.refresh_from_db()
    assert submission.status == GroupSubmissionStatus.MERGED
    assert submission.duplicate_of == kirklees["known"]
    assert submission.organisation.status == PublicationStatus.ARCHIVED  # kept, not deleted
    [email] = decided_emails()
    assert "already lists this group as St Mary’s Lunch Club" in email.body
    assert kirklees["known"].get_absolute_url() in email.body


def test_declining_needs_a_reason_keeps_what_was_typed_and_then_tells_the_sender_why(
    client, kirklees, django_capture_on_commit_callbacks
):
    submission = send(kirklees)
    client.force_login(kirklees["editor"])
    mail.outbox.clear()

    response = client.post(detail(submission), {"decision": "declined", "reason": "   "})
    assertContains(response, "There is a problem")
    assertContains(response, "Say why the group is declined")
    assert re.search(r'value="declined"\s+checked', response.content.decode())  # the choice is kept
    submission.refresh_from_db()
    assert submission.is_open

    reason = "It is a business, not a community group."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(submission), {"decision": "declined", "reason": reason})
    submission.refresh_from_db()
    assert (submission.status, submission.decline_reason) == (GroupSubmissionStatus.DECLINED, reason)
    assert submission.organisation.status == PublicationStatus.ARCHIVED
    [email] = decided_emails()
    assert reason in email.body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose what to do with this group"),
        ({"decision": "open"}, "Choose one of the options shown"),
        ({"decision": "merged"}, "Choose one of the options shown"),  # nothing to merge with
        ({"decision": "declined", "reason": "x" * 501}, "The reason must be 500 characters or fewer"),
    ],
)
def test_a_bad_decision_is_a_clear_error_and_changes_nothing(client, kirklees, data, error):
    submission = send(kirklees)
    client.force_login(kirklees["editor"])
    response = client.post(detail(submission), data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, error)
    submission.refresh_from_db()
    assert submission.is_open
    assert submission.organisation.status == PublicationStatus.DRAFT


def test_merging_needs_the_organisation_it_duplicates(client, kirklees):
    submission = send(kirklees, name="Saint Marys lunch club")
    client.force_login(kirklees["editor"])
    response = client.post(detail(submission), {"decision": "merged", "duplicate_of": ""})
    assertContains(response, "Choose the organisation the group is already listed as")
    response = client.post(detail(submission), {"decision": "merged", "duplicate_of": kirklees["lead"].pk})
    assertContains(response, "Choose one of the organisations shown")
    assert GroupSubmission.objects.get(pk=submission.pk).is_open


# --- Two reviewers at once ----------------------------------------------------------------
def test_the_second_of_two_reviewers_is_refused_and_nothing_changes(
    client, kirklees, django_capture_on_commit_callbacks
):
    submission = send(kirklees)
    coordinator_client = type(client)()
    coordinator_client.force_login(kirklees["coordinator_editor"])
    client.force_login(kirklees["editor"])
    # Both have the page open; the coordinator declines first.
    assert client.get(detail(submission)).status_code == HTTPStatus.OK
    assert coordinator_client.get(detail(submission)).status_code == HTTPStatus.OK
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(detail(submission), {"decision": "declined", "reason": "Not in Kirklees."})
        response = client.post(detail(submission), {"decision": "published"})

    assertContains(response, "This group has been decided already: nothing was changed.")
    assertNotContains(response, "Save the decision")
    submission.refresh_from_db()
    assert submission.status == GroupSubmissionStatus.DECLINED
    assert submission.decided_by == kirklees["coordinator_editor"]
    assert submission.organisation.status == PublicationStatus.ARCHIVED
    assert len(decided_emails()) == 1


def test_the_service_refuses_a_decision_on_a_copy_decided_meanwhile(kirklees, django_capture_on_commit_callbacks):
    submission = send(kirklees)
    stale_copy = GroupSubmission.objects.get(pk=submission.pk)  # loaded before the first decision
    group_submission_decide(submission=submission, user=kirklees["officer"], decision="published")

    with pytest.raises(ValidationError) as refused:
        group_submission_decide(submission=stale_copy, user=kirklees["editor"], decision="declined", reason="No.")

    assert refused.value.code == "decided"
    assert "decided on this group meanwhile" in refused.value.messages[0]
    fresh = GroupSubmission.objects.select_related("organisation").get(pk=submission.pk)
    assert (fresh.status, fresh.decided_by, fresh.decline_reason) == (
        GroupSubmissionStatus.PUBLISHED,
        kirklees["officer"],
        "",
    )
    assert fresh.organisation.status == PublicationStatus.PUBLISHED


# --- Who may decide -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("editor", HTTPStatus.OK),
        ("coordinator_editor", HTTPStatus.OK),
        ("officer", HTTPStatus.OK),
        ("viewer", HTTPStatus.NOT_FOUND),
        ("local_editor", HTTPStatus.NOT_FOUND),
        ("other_editor", HTTPStatus.NOT_FOUND),
    ],
)
def test_only_the_reviewing_anchor_its_coordinator_and_officers_reach_a_group(client, kirklees, who, status):
    submission = send(kirklees)
    client.force_login(kirklees[who])
    assert client.get(detail(submission)).status_code == status
    response = client.post(detail(submission), {"decision": "published"})
    assert response.status_code == (HTTPStatus.FOUND if status == HTTPStatus.OK else status)
    submission.refresh_from_db()
    assert submission.is_open is (status != HTTPStatus.OK)
    listed = client.get(QUEUE)
    assert ("Batley Knit and Natter" in listed.content.decode()) is (status == HTTPStatus.OK)


def test_the_service_refuses_someone_out_of_scope(kirklees):
    submission = send(kirklees)
    with pytest.raises(PermissionDenied):
        group_submission_decide(submission=submission, user=kirklees["other_editor"], decision="published")
    assert GroupSubmission.objects.get(pk=submission.pk).is_open


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999999"])
def test_a_group_that_does_not_exist_is_a_404(client, kirklees, pk):
    client.force_login(kirklees["officer"])
    assert client.get(f"/new-groups/{pk}/").status_code == HTTPStatus.NOT_FOUND


def test_signed_out_people_are_sent_to_sign_in(client, kirklees):
    submission = send(kirklees)
    response = client.post(detail(submission), {"decision": "published"})
    assert response.status_code == HTTPStatus.FOUND
    assert "sign-in" in response["Location"]
    assert GroupSubmission.objects.get(pk=submission.pk).is_open


# --- The queue ----------------------------------------------------------------------------
def test_decided_groups_leave_the_open_queue_and_the_filter_shows_them(client, kirklees):
    decided = send(kirklees, name="Decided Group", postcode="WF17 6AB")
    waiting = send(kirklees, name="Waiting Group", postcode="WF17 7AB")
    group_submission_decide(submission=decided, user=kirklees["editor"], decision="published")
    client.force_login(kirklees["editor"])

    queue = client.get(QUEUE)
    assertContains(queue, waiting.organisation.name)
    assertNotContains(queue, "Decided Group")

    shown = client.get(QUEUE, {"show": "decided"})
    assertContains(shown, "Decided Group")
    assertContains(shown, "lead-editor")  # who decided
    assertNotContains(shown, "Waiting Group")

    bad = client.get(QUEUE, {"show": "everything"})
    assert bad.status_code == HTTPStatus.OK
    assertContains(bad, "Choose waiting for review or decided")


@pytest.mark.parametrize("show", ["open", "decided"])
def test_the_queue_costs_the_same_queries_for_3_groups_as_for_30(client, kirklees, show, django_assert_max_num_queries):
    client.force_login(kirklees["coordinator_editor"])

    def add(numbers):
        for n in numbers:
            submission = send(kirklees, name=f"Group {n}", postcode=f"WF17 {n % 10}AA")
            if show == "decided":
                group_submission_decide(submission=submission, user=kirklees["officer"], decision="published")

    add(range(3))
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE, {"show": show})
    add(range(3, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE, {"show": show})
    assertContains(response, "Group 29")
