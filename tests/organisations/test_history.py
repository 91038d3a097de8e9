"""Audit history: every change is recorded with who made it; an organisation that records refer
to is archived, not deleted, and one deleted comes back with its links."""

from http import HTTPStatus

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from core.models import PublicationStatus
from organisations.models import Organisation
from tests.factories import (
    AnchorRoleFactory,
    InitiativeFactory,
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ProfileRevisionFactory,
    TaxonomyTermFactory,
)
from tests.meetings.factories import AttendanceFactory
from tests.plans.factories import PlanItemFactory

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


def related_counts(organisation) -> dict[str, int]:
    """How many records of every kind refer to ``organisation``, and its own links."""
    counts = {
        f"{relation.related_model._meta.label}.{relation.field.name}": relation.related_model._base_manager.filter(
            **{relation.field.name: organisation.pk}
        ).count()
        for relation in Organisation._meta.related_objects
    }
    for field in ("localities", "services", "initiatives"):
        counts[field] = getattr(organisation, field).count()
    return counts


def test_delete_then_restore_leaves_every_related_count_as_it_was(admin_client):
    ward = LocalityFactory()
    food = TaxonomyTermFactory()
    abcd = InitiativeFactory()
    organisation = OrganisationFactory(
        name="Armley Knit and Natter", localities=[ward], services=[food], initiatives=[abcd]
    )
    organisation_id = organisation.pk
    before = related_counts(organisation)

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
    assert related_counts(restored) == before
    assert restored.history.latest("history_date").history_change_reason.startswith("Restored by")


def test_an_organisation_that_records_refer_to_is_archived_not_deleted(admin_client):
    """Its anchor role, membership, pending edit, meeting attendance and a plan item naming it
    would all be lost with it: the admin refuses, says what refers to it, and says to archive."""
    organisation = OrganisationFactory(name="Batley Community Trust")
    AnchorRoleFactory(organisation=organisation)
    MembershipFactory(organisation=organisation)
    ProfileRevisionFactory(organisation=organisation)
    AttendanceFactory(organisation=organisation)
    PlanItemFactory(organisations=[organisation])
    before = related_counts(organisation)
    url = reverse("admin:organisations_organisation_delete", args=[organisation.pk])

    page = admin_client.get(url).content.decode()
    assert "archive it instead" in page
    for records in ("1 anchor role", "1 membership", "1 profile edit for review", "1 attendance", "1 plan item"):
        assert records in page, records
    admin_client.post(url, {"post": "yes"})
    admin_client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "delete_selected", "_selected_action": [organisation.pk], "post": "yes"},
    )

    organisation.refresh_from_db()
    assert related_counts(organisation) == before


def test_the_database_refuses_to_delete_an_organisation_a_record_refers_to():
    organisation = OrganisationFactory()
    AttendanceFactory(organisation=organisation)
    with pytest.raises(ProtectedError):
        organisation.delete()


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
