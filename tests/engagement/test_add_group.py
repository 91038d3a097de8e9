""" "Add your group": the two-step form without JavaScript (the duplicate warning), the draft
that is never public until reviewed, the review queue it lands in, the email to the anchor's
editors (once), and the sender's details kept off public pages."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, GroupSubmission, NetworkStructure, Organisation
from organisations.services import group_submission_create
from organisations.tasks import group_submission_notify_reviewer
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
ADD = "/support/add-your-group/"


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def batley():
    """Batley and Spen with its lead anchor (one editor, one viewer), a ward, and a published
    group with a WF17 postcode, so WF17 routes to the ward."""
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED)
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    lead = AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR).organisation
    editor = MembershipFactory(organisation=lead, user__email="lead@example.org").user
    MembershipFactory(organisation=lead, role="viewer", user__email="viewer@example.org")
    known = OrganisationFactory(name="St Mary’s Lunch Club", postcode="WF17 5AA", localities=[ward])
    return {"lead": lead, "editor": editor, "ward": ward, "area": area, "known": known}


def form_data(**overrides) -> dict[str, str]:
    return {
        "group_name": "Batley Knit and Natter",
        "description": "Knitting and a cuppa every Tuesday.",
        "postcode": "WF17 5AB",
        "area": "",
        "group_email": "knit@example.org",
        "group_phone": "",
        "charity_number": "",
        "contact_name": "Sam Sender",
        "contact_email": "sam.sender@example.org",
        "contact_phone": "07700 900123",
        "consent": "on",
        "website": "",
        **overrides,
    }


def test_the_home_page_links_to_the_form(client):
    assertContains(client.get("/"), f'href="{ADD}"')


def test_a_new_group_becomes_a_draft_in_its_anchors_queue_and_the_editors_are_emailed_once(
    client, batley, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, form_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/support/add-your-group/sent/"
    submission = GroupSubmission.objects.select_related("organisation").get()
    group = submission.organisation
    assert (group.name, group.status, group.postcode, group.email) == (
        "Batley Knit and Natter",
        PublicationStatus.DRAFT,
        "WF17 5AB",
        "knit@example.org",
    )
    assert list(group.localities.all()) == [batley["ward"]]
    assert submission.reviewer == batley["lead"]
    assert list(GroupSubmission.objects.visible_to(batley["editor"])) == [submission]
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]
    assert "Knit" not in mail.outbox[0].subject
    # The task run again (a retry) sends nothing more.
    assert group_submission_notify_reviewer.call(submission.pk) is False
    assert len(mail.outbox) == 1


def test_the_draft_is_never_public_and_the_senders_details_are_on_no_public_page(client, batley):
    client.post(ADD, form_data())
    group = Organisation.objects.get(name="Batley Knit and Natter")
    assert not Organisation.objects.public().filter(pk=group.pk).exists()
    assert client.get(group.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for page in (
        "/",
        "/directory/",
        "/directory/?q=Batley",
        batley["ward"].get_absolute_url(),
        "/support/add-your-group/sent/",
    ):
        response = client.get(page, follow=True)
        assertNotContains(response, "Sam Sender")
        assertNotContains(response, "sam.sender@example.org")
        assertNotContains(response, "Batley Knit and Natter")


def test_the_submission_is_out_of_other_anchors_and_the_publics_sight(batley):
    other_editor = MembershipFactory(organisation=OrganisationFactory()).user
    group_submission_create(
        name="Quiet Group",
        description="",
        postcode="",
        locality=None,
        email="",
        phone="",
        submitter_name="A",
        submitter_email="a@example.org",
        submitter_phone="",
        reviewer=batley["lead"],
    )
    assert not GroupSubmission.objects.visible_to(other_editor).exists()
    assert not GroupSubmission.objects.visible_to(None).exists()
    assert GroupSubmission.objects.visible_to(UserFactory(is_staff=True)).count() == 1


def test_a_near_duplicate_asks_first_and_keeps_everything_typed(client, batley):
    response = client.post(ADD, form_data(group_name="Saint Marys lunch club"))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "We may already know your group")
    assertContains(response, f'href="{batley["known"].get_absolute_url()}"')
    assertContains(response, 'value="sam.sender@example.org"')
    assert not GroupSubmission.objects.exists()

    # "Change my answers": the form again, filled in, no errors.
    back = client.post(ADD, {**form_data(group_name="Saint Marys lunch club"), "confirmed": "on", "change": "1"})
    assertContains(back, "Add your group to the directory")
    assertContains(back, 'value="Saint Marys lunch club"')
    assertNotContains(back, "There is a problem")
    assert not GroupSubmission.objects.exists()

    sent = client.post(ADD, {**form_data(group_name="Saint Marys lunch club"), "confirmed": "on"})
    assert sent.status_code == HTTPStatus.FOUND
    submission = GroupSubmission.objects.get()
    assert submission.warned_about == "St Mary’s Lunch Club"


def test_a_draft_or_archived_duplicate_is_not_named_to_the_public(client, batley):
    OrganisationFactory(name="Secret Shelter", postcode="WF17 1AA", status=PublicationStatus.DRAFT)
    response = client.post(ADD, form_data(group_name="The Secret Shelter"))
    assert response.status_code == HTTPStatus.FOUND  # no warning step: nothing public to name
    assert GroupSubmission.objects.get().warned_about == ""


def test_the_same_charity_number_warns_whatever_the_name(client, batley):
    OrganisationFactory(name="Batley Trust", charity_number="1123456")
    response = client.post(ADD, form_data(charity_number="112 3456"))
    assertContains(response, "Batley Trust")


def test_errors_are_summarised_and_nothing_typed_is_lost(client, batley):
    response = client.post(ADD, form_data(group_name="", group_phone="12", consent=""))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "<title>Error:", html=False)
    assertContains(response, "Enter the name of your group")
    assertContains(response, "Enter a UK phone number")
    assertContains(response, 'value="sam.sender@example.org"')
    assert not Organisation.objects.filter(name="").exists()
    assert not GroupSubmission.objects.exists()


def test_a_robot_is_dropped_silently(client, batley):
    response = client.post(ADD, form_data(website="http://spam.example"))
    assert response.status_code == HTTPStatus.FOUND
    assert not GroupSubmission.objects.exists()
    assert not mail.outbox


def test_the_rate_limit_is_shared_with_ask_for_support(client, batley, settings):
    settings.SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR = 2
    for n in range(2):
        assert client.post(ADD, form_data(group_name=f"Group {n}")).status_code == HTTPStatus.FOUND
    response = client.post(ADD, form_data(group_name="One too many"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert GroupSubmission.objects.count() == 2
    assert client.post("/support/ask/", {}).status_code == HTTPStatus.TOO_MANY_REQUESTS


# --- The anchor's review queue -----------------------------------------------------------
NEW_GROUPS = "/new-groups/"


def _send(batley, name: str, postcode: str = "WF17 5AB"):
    return group_submission_create(
        name=name,
        description="",
        postcode=postcode,
        locality=batley["ward"],
        email="",
        phone="",
        submitter_name="Sam Sender",
        submitter_email="sam.sender@example.org",
        submitter_phone="",
        reviewer=batley["lead"],
    )


def test_the_anchors_editor_reviews_its_new_groups_with_their_possible_duplicates(client, batley):
    _send(batley, "Saint Marys lunch club")
    OrganisationFactory(name="Elsewhere Group")
    client.force_login(batley["editor"])
    response = client.get(NEW_GROUPS)
    assertContains(response, "Saint Marys lunch club")
    assertContains(response, "St Mary’s Lunch Club (published, WF17 5AA)")
    assertContains(response, f'href="/new-groups/{GroupSubmission.objects.get().pk}/"')
    response = client.get(f"/organisations/{GroupSubmission.objects.get().organisation.slug}/edit/")
    assert response.status_code == HTTPStatus.OK  # the lead anchor may edit the draft in its area


def test_another_anchors_editor_sees_none_of_them(client, batley):
    _send(batley, "Batley Knit and Natter")
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    response = client.get(NEW_GROUPS)
    assertContains(response, "There are no new groups for you to review")
    assertNotContains(response, "Batley Knit and Natter")


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(NEW_GROUPS)
    assert response.status_code == HTTPStatus.FOUND
    assert "sign-in" in response["Location"]


def test_the_queue_costs_the_same_queries_for_3_groups_as_for_30(client, batley, django_assert_max_num_queries):
    officer = UserFactory(is_staff=True)
    client.force_login(officer)
    for n in range(3):
        _send(batley, f"Group {n}", postcode=f"WF17 {n}AA")
    with django_assert_max_num_queries(12) as few:
        client.get(NEW_GROUPS)
    for n in range(3, 30):
        _send(batley, f"Group {n}", postcode=f"WF17 {n % 10}AA")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(NEW_GROUPS)
    assertContains(response, "Group 29")
