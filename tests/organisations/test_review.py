"""Editors change profiles in the front end; edits to published profiles wait for an officer."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import version_of
from core.models import PublicationStatus
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, MembershipRole, NetworkStructure, Organisation, ProfileRevision
from organisations.services import profile_revision_approve, profile_revision_reject
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


@pytest.fixture
def kirklees():
    """A tiered network: a lead anchor for Batley and Spen with a local anchor in Batley East,
    a community group there, another area's lead anchor, and editors for both anchors."""
    district = DistrictFactory(name="Kirklees")
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED)
    area = LocalityFactory(name="Batley and Spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", parent=area)
    other_area = LocalityFactory(name="Huddersfield", kind=LocalityKind.AREA, parent=district)
    lead = AnchorRoleFactory(
        organisation__name="Batley lead", network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR
    )
    local = AnchorRoleFactory(
        organisation__name="Batley East local",
        network=network,
        locality=ward,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=lead,
    )
    other_lead = AnchorRoleFactory(
        organisation__name="Huddersfield lead", network=network, locality=other_area, role=AnchorRoleKind.LEAD_ANCHOR
    )
    group = OrganisationFactory(name="Batley Food Bank", localities=[ward])
    far_group = OrganisationFactory(name="Dalton Lunch Club", localities=[other_area])
    return {
        "lead": lead.organisation,
        "local": local.organisation,
        "other_lead": other_lead.organisation,
        "group": group,
        "far_group": far_group,
        "lead_editor": MembershipFactory(organisation=lead.organisation).user,
        "local_editor": MembershipFactory(organisation=local.organisation).user,
        "lead_viewer": MembershipFactory(organisation=lead.organisation, role=MembershipRole.VIEWER).user,
    }


def edit_url(organisation):
    return reverse("organisations:edit", args=[organisation.slug])


def profile_data(organisation, **changes):
    """The profile form as posted, with the version of the profile (and of its pending edit)
    as stored now, as a page opened now would carry it."""
    stored = Organisation.objects.get(pk=organisation.pk)
    data = {
        "loaded_version": version_of(stored, stored.revisions.pending().first()),
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": "",
        "email": "",
        "phone": "",
        "address": "",
        "postcode": "",
        "charity_number": "",
        "company_number": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("editor", "organisation", "allowed"),
    [
        ("lead_editor", "lead", True),
        ("lead_editor", "local", True),
        ("lead_editor", "group", True),
        ("lead_editor", "other_lead", False),
        ("lead_editor", "far_group", False),
        ("local_editor", "local", True),
        ("local_editor", "lead", False),
        ("local_editor", "group", False),
        ("lead_viewer", "lead", False),
    ],
)
def test_editors_reach_only_the_profiles_in_their_scope(client, kirklees, editor, organisation, allowed):
    client.force_login(kirklees[editor])
    response = client.get(edit_url(kirklees[organisation]))
    assert response.status_code == (HTTPStatus.OK if allowed else HTTPStatus.NOT_FOUND)


def test_signed_out_people_are_sent_to_sign_in(client, kirklees):
    response = client.get(edit_url(kirklees["local"]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("portal:login"))


def test_an_edit_to_a_published_profile_waits_for_review(client, kirklees):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    response = client.post(edit_url(local), profile_data(local, description="We now run a Friday lunch club."))
    assert response.status_code == HTTPStatus.FOUND
    local.refresh_from_db()
    assert local.description != "We now run a Friday lunch club."
    revision = ProfileRevision.objects.get(organisation=local)
    assert revision.is_pending
    assertNotContains(client.get(local.get_absolute_url()), "Friday lunch club")
    # The editor sees their pending words when they come back, and that they wait for review.
    again = client.get(edit_url(local))
    assertContains(again, "We now run a Friday lunch club.")
    assertContains(again, "are waiting for an officer's review")


def test_an_officer_approves_and_the_public_page_changes(client, kirklees, admin_user):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(
        edit_url(local), profile_data(local, description="We now run a Friday lunch club.", postcode="wf17 5aa")
    )
    revision = ProfileRevision.objects.get(organisation=local)

    client.force_login(admin_user)
    page = client.get(reverse("admin:organisations_profilerevision_change", args=[revision.pk]))
    assertContains(page, "We now run a Friday lunch club.")
    assertContains(page, "WF17 5AA")
    client.post(
        reverse("admin:organisations_profilerevision_change", args=[revision.pk]),
        {"review_note": "Thanks", "_approve": "1"},
    )

    revision.refresh_from_db()
    assert revision.status == "approved"
    assert revision.reviewed_by == admin_user
    assertContains(client.get(local.get_absolute_url()), "We now run a Friday lunch club.")


def test_rejecting_needs_a_note_and_leaves_the_profile_alone(client, kirklees, admin_user):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), profile_data(local, name="Renamed"))
    revision = ProfileRevision.objects.get(organisation=local)
    client.force_login(admin_user)
    url = reverse("admin:organisations_profilerevision_change", args=[revision.pk])
    response = client.post(url, {"review_note": "", "_reject": "1"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Say why the edit is rejected")
    client.post(url, {"review_note": "Please keep the registered name.", "_reject": "1"})
    revision.refresh_from_db()
    local.refresh_from_db()
    assert revision.status == "rejected"
    assert local.name == "Batley East local"


def test_a_draft_profile_is_saved_at_once(client, kirklees):
    group = kirklees["group"]
    group.status = PublicationStatus.DRAFT
    group.save()
    client.force_login(kirklees["lead_editor"])
    client.post(edit_url(group), profile_data(group, description="Updated straight away."))
    group.refresh_from_db()
    assert group.description == "Updated straight away."
    assert not ProfileRevision.objects.exists()


def test_a_form_error_keeps_what_was_typed(client, kirklees):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    response = client.post(
        edit_url(local), profile_data(local, description="Kept words", postcode="not a postcode", email="nope")
    )
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assertContains(response, "Enter a real postcode, like LS1 1UR.")
    assertContains(response, "Enter an email address like name@example.org")
    assertContains(response, "Kept words")
    assert not ProfileRevision.objects.exists()


def test_only_officers_approve(kirklees):
    local = kirklees["local"]
    revision = ProfileRevision.objects.create(
        organisation=local, proposed={"name": "X"}, published={"name": local.name}
    )
    with pytest.raises(PermissionDenied):
        profile_revision_approve(revision=revision, user=kirklees["lead_editor"])
    with pytest.raises(PermissionDenied):
        profile_revision_reject(revision=revision, user=UserFactory(), note="no")
    revision.refresh_from_db()
    assert revision.is_pending


def test_a_lead_anchor_editor_cannot_change_an_anchor_role_through_the_profile_form(client, kirklees):
    local = kirklees["local"]
    slug = local.slug
    client.force_login(kirklees["lead_editor"])
    client.post(edit_url(local), profile_data(local, status="archived", role="lead_anchor", slug="stolen"))
    # Nothing the form may change was changed: there is nothing to review, and nothing moved.
    assert not ProfileRevision.objects.filter(organisation=local).exists()
    local.refresh_from_db()
    assert (local.status, local.slug) == (PublicationStatus.PUBLISHED, slug)


def test_approving_an_edit_keeps_what_an_officer_changed_meanwhile(client, kirklees, admin_user):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), profile_data(local, description="We now run a Friday lunch club."))
    revision = ProfileRevision.objects.get(organisation=local)
    # Meanwhile an officer corrects the public phone number in the admin.
    local.phone = "01632 960999"
    local.save()

    profile_revision_approve(revision=revision, user=admin_user)

    local.refresh_from_db()
    assert local.description == "We now run a Friday lunch club."
    assert local.phone == "01632 960999"


def test_the_review_page_shows_a_field_both_changed_as_it_is_live_now(client, kirklees, admin_user):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), profile_data(local, description="The editor's words."))
    revision = ProfileRevision.objects.get(organisation=local)
    local.description = "The officer's words."
    local.save()

    client.force_login(admin_user)
    url = reverse("admin:organisations_profilerevision_change", args=[revision.pk])
    page = client.get(url)
    assertContains(page, "Someone changed the profile after this edit was made")
    assertContains(page, "<td>The editor&#x27;s words.</td><td>The officer&#x27;s words.</td>", html=False)
    response = client.post(url, {"review_note": "", "_approve": "1"}, follow=True)
    assertContains(response, f"The edit to {local.name} is approved and live on its public page.")
    local.refresh_from_db()
    assert local.description == "The editor's words."


def test_a_lead_anchor_editor_neither_sees_nor_changes_a_groups_private_contacts(client, kirklees):
    group = kirklees["group"]
    group.contact_name = "Volunteer Val"
    group.contact_phone = "01632 960123"
    group.save()
    client.force_login(kirklees["lead_editor"])

    page = client.get(edit_url(group))
    assertNotContains(page, "Volunteer Val")
    assertNotContains(page, "960123")
    assertNotContains(page, "Contact for officers only")
    client.post(edit_url(group), profile_data(group, description="Open on Saturdays too."))

    revision = ProfileRevision.objects.get(organisation=group)
    assert revision.proposed["description"] == "Open on Saturdays too."
    assert {"contact_name", "contact_phone", "contact_email"}.isdisjoint(revision.proposed)
    profile_revision_approve(revision=revision, user=UserFactory(is_staff=True))
    group.refresh_from_db()
    assert (group.description, group.contact_name, group.contact_phone) == (
        "Open on Saturdays too.",
        "Volunteer Val",
        "01632 960123",
    )


def test_an_organisations_own_editor_keeps_its_private_contacts_in_the_form(client, kirklees):
    local = kirklees["local"]
    local.contact_name = "Local Lou"
    local.save()
    client.force_login(kirklees["local_editor"])
    assertContains(client.get(edit_url(local)), "Local Lou")


def test_a_lead_anchors_edit_keeps_the_groups_own_pending_contact_change(client, kirklees):
    group = kirklees["group"]
    group_editor = MembershipFactory(organisation=group).user
    client.force_login(group_editor)
    client.post(edit_url(group), profile_data(group, contact_name="New Contact"))
    client.force_login(kirklees["lead_editor"])
    client.post(edit_url(group), profile_data(group, description="Open on Saturdays too."))

    proposed = ProfileRevision.objects.get(organisation=group).proposed
    assert (proposed["contact_name"], proposed["description"]) == ("New Contact", "Open on Saturdays too.")


def test_the_organisations_admin_page_says_an_edit_is_waiting(client, kirklees, admin_user):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), profile_data(local, description="We now run a Friday lunch club."))
    revision = ProfileRevision.objects.get(organisation=local)
    client.force_login(admin_user)
    page = client.get(reverse("admin:organisations_organisation_change", args=[local.pk]))
    assertContains(page, "An editor&#x27;s edit to this profile is waiting for review.")
    assertContains(page, reverse("admin:organisations_profilerevision_change", args=[revision.pk]))
    other = client.get(reverse("admin:organisations_organisation_change", args=[kirklees["group"].pk]))
    assertNotContains(other, "waiting for review")


# ------------------------------------------------------------------------------
# Two people editing one profile
# ------------------------------------------------------------------------------
def test_a_stale_edit_to_a_pending_profile_is_refused_and_keeps_what_was_typed(client, kirklees):
    """Two editors open the same published profile; the second save must not merge its stale
    form over the first one's edit waiting for review."""
    local = kirklees["local"]
    opened = profile_data(local)
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), {**opened, "description": "First editor's description."})
    client.force_login(kirklees["lead_editor"])
    response = client.post(edit_url(local), {**opened, "phone": "01632 960123"})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "changed this profile while you were editing it")
    assertContains(response, "First editor&#x27;s description.")  # what changed meanwhile
    assertContains(response, 'value="01632 960123"')  # what the second editor typed
    proposed = ProfileRevision.objects.get(organisation=local).proposed
    assert proposed == {"description": "First editor's description."}


def test_a_stale_save_of_a_draft_profile_is_refused(client, kirklees):
    group = kirklees["group"]
    group.status = PublicationStatus.DRAFT
    group.save()
    editor = MembershipFactory(organisation=group).user
    opened = profile_data(group)
    group.description = "An officer's description."
    group.save()
    client.force_login(editor)
    response = client.post(edit_url(group), {**opened, "name": "Renamed by the editor"})
    assertContains(response, "changed this profile while you were editing it")
    group.refresh_from_db()
    assert (group.name, group.description) == ("Batley Food Bank", "An officer's description.")


def test_saving_again_after_the_refusal_adds_ones_own_change(client, kirklees):
    local = kirklees["local"]
    opened = profile_data(local)
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), {**opened, "description": "First editor's description."})
    client.force_login(kirklees["lead_editor"])
    refused = client.post(edit_url(local), {**opened, "phone": "01632 960123"})
    form = refused.context["form"]
    # The field the second editor left alone now shows the first editor's words.
    assert form["description"].value() == "First editor's description."
    assert form["phone"].value() == "01632 960123"
    again = {
        **opened,
        "phone": "01632 960123",
        "loaded_version": form["loaded_version"].value(),
        "description": form["description"].value(),
    }
    assert client.post(edit_url(local), again).status_code == HTTPStatus.FOUND
    proposed = ProfileRevision.objects.get(organisation=local).proposed
    assert proposed == {"description": "First editor's description.", "phone": "01632 960123"}


def test_a_pending_edit_records_only_the_fields_the_editor_changed(client, kirklees):
    local = kirklees["local"]
    client.force_login(kirklees["local_editor"])
    client.post(edit_url(local), profile_data(local, postcode="ls1 1ur"))
    revision = ProfileRevision.objects.get(organisation=local)
    assert revision.proposed == {"postcode": "LS1 1UR"}
    assert revision.published == {"postcode": ""}
