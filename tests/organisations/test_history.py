"""Audit history: every change is recorded with who made it, and a deleted organisation comes
back with its relations."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import PublicationStatus
from organisations.models import AnchorRole, Membership, Organisation
from tests.factories import (
    AnchorRoleFactory,
    InitiativeFactory,
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def test_an_officers_edit_in_the_admin_is_recorded_with_who_and_what(admin_client, admin_user):
    organisation = OrganisationFactory(name="Batley Food Bank", status=PublicationStatus.DRAFT)
    url = reverse("admin:organisations_organisation_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [organisation.pk]})
    latest = organisation.history.latest("history_date")
    assert latest.status == PublicationStatus.PUBLISHED
    assert latest.history_user == admin_user
    history_page = admin_client.get(reverse("admin:organisations_organisation_history", args=[organisation.pk]))
    assert history_page.status_code == HTTPStatus.OK


def test_an_officer_can_revert_to_an_earlier_version(admin_client):
    organisation = OrganisationFactory(name="Batley Food Bank", description="First words.")
    organisation.description = "Second words."
    organisation.save()
    first = organisation.history.earliest("history_date")
    url = reverse("admin:organisations_organisation_simple_history", args=[organisation.pk, first.history_id])
    form = admin_client.get(url)
    assert form.status_code == HTTPStatus.OK
    assert "First words." in form.content.decode()


def test_a_deleted_organisation_is_restored_with_its_relations(admin_client):
    ward = LocalityFactory()
    food = TaxonomyTermFactory()
    abcd = InitiativeFactory()
    organisation = OrganisationFactory(
        name="Armley Knit and Natter", localities=[ward], services=[food], initiatives=[abcd]
    )
    role = AnchorRoleFactory(organisation=organisation)
    membership = MembershipFactory(organisation=organisation)
    organisation_id = organisation.pk

    admin_client.post(reverse("admin:organisations_organisation_delete", args=[organisation_id]), {"post": "yes"})
    assert not Organisation.objects.filter(pk=organisation_id).exists()
    deleted_page = admin_client.get(reverse("admin:organisations_organisation_deleted"))
    assert "Armley Knit and Natter" in deleted_page.content.decode()

    response = admin_client.post(
        reverse("admin:organisations_organisation_deleted"), {"organisation_id": organisation_id}
    )

    assert response.status_code == HTTPStatus.FOUND
    restored = Organisation.objects.get(pk=organisation_id)
    assert restored.name == "Armley Knit and Natter"
    assert list(restored.localities.all()) == [ward]
    assert list(restored.services.all()) == [food]
    assert list(restored.initiatives.all()) == [abcd]
    assert AnchorRole.objects.filter(pk=role.pk, organisation=restored).exists()
    assert Membership.objects.filter(pk=membership.pk, organisation=restored).exists()
    assert restored.history.latest("history_date").history_change_reason.startswith("Restored by")


def test_restoring_a_live_organisation_is_refused_clearly(admin_client):
    organisation = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:organisations_organisation_deleted"), {"organisation_id": organisation.pk}, follow=True
    )
    assert "cannot be restored" in response.content.decode()
    response = admin_client.post(
        reverse("admin:organisations_organisation_deleted"), {"organisation_id": "not a number"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK


def test_restoring_an_id_never_in_the_history_is_refused_not_an_error(admin_client):
    response = admin_client.post(
        reverse("admin:organisations_organisation_deleted"), {"organisation_id": "999999"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert "cannot be restored" in response.content.decode()
