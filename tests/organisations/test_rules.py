"""The anchor-role rules hold in the database (constraints and triggers), on SQLite and
PostgreSQL alike, and the model's clean() explains them in plain English first."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from localities.models import LocalityKind
from organisations.models import AnchorRole, AnchorRoleKind, NetworkStructure, Organisation
from tests.factories import (
    AnchorRoleFactory,
    LocalityFactory,
    NetworkFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirklees_network():
    network = NetworkFactory(name="Kirklees Community Anchor Network", structure=NetworkStructure.TIERED)
    area = LocalityFactory(name="Batley and Spen", kind=LocalityKind.AREA, parent=network.district)
    return network, area


@pytest.fixture
def lead(kirklees_network):
    network, area = kirklees_network
    return AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR)


def _raises_integrity_error(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnchorRole.objects.create(**fields)


def test_a_locality_has_one_current_lead_anchor_per_network(kirklees_network, lead):
    network, area = kirklees_network
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR
    )


def test_a_former_lead_anchor_does_not_block_a_new_one(kirklees_network, lead):
    network, area = kirklees_network
    lead.left_on = datetime.date(2026, 3, 31)
    lead.save()
    AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR)
    assert AnchorRole.objects.current().leads().filter(locality=area).count() == 1


def test_a_local_anchor_must_have_a_lead(kirklees_network):
    network, area = kirklees_network
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.LOCAL_ANCHOR
    )


def test_a_local_anchors_lead_must_be_a_lead_anchor(kirklees_network, lead):
    network, area = kirklees_network
    local = AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    _raises_integrity_error(
        organisation=OrganisationFactory(),
        network=network,
        locality=area,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=local,
    )


def test_a_local_anchors_lead_must_be_in_the_same_network(kirklees_network, lead):
    other_network = NetworkFactory(structure=NetworkStructure.TIERED)
    ward = LocalityFactory(parent=other_network.district)
    _raises_integrity_error(
        organisation=OrganisationFactory(),
        network=other_network,
        locality=ward,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=lead,
    )


def test_a_local_anchors_lead_must_be_current(kirklees_network, lead):
    network, area = kirklees_network
    lead.left_on = datetime.date(2026, 3, 31)
    lead.save()
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead
    )


def test_a_lead_with_current_local_anchors_cannot_leave(kirklees_network, lead):
    network, area = kirklees_network
    AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    lead.left_on = datetime.date(2026, 3, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        lead.save()


def test_only_a_local_anchor_has_a_lead(kirklees_network, lead):
    network, area = kirklees_network
    ward = LocalityFactory(parent=area)
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=ward, role=AnchorRoleKind.LEAD_ANCHOR, lead=lead
    )


def test_a_peer_network_has_plain_anchors_only():
    network = NetworkFactory(structure=NetworkStructure.PEER)
    ward = LocalityFactory(parent=network.district)
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=ward, role=AnchorRoleKind.LEAD_ANCHOR
    )


def test_a_tiered_network_has_no_plain_anchors(kirklees_network):
    network, area = kirklees_network
    _raises_integrity_error(
        organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.ANCHOR
    )


def test_a_network_cannot_change_structure_under_its_anchors(kirklees_network, lead):
    network, _area = kirklees_network
    network.structure = NetworkStructure.PEER
    with pytest.raises(IntegrityError), transaction.atomic():
        network.save()


def test_organisation_slugs_are_unique():
    OrganisationFactory(slug="ls14-trust")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(slug="ls14-trust")


def test_clean_explains_the_rules_in_plain_english(kirklees_network, lead):
    network, area = kirklees_network
    role = AnchorRole(organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.ANCHOR)
    with pytest.raises(ValidationError) as caught:
        role.full_clean()
    assert "choose lead anchor or local anchor" in str(caught.value.message_dict["role"])

    second_lead = AnchorRole(
        organisation=OrganisationFactory(), network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR
    )
    with pytest.raises(ValidationError) as caught:
        second_lead.full_clean()
    assert "already has a current lead anchor" in str(caught.value)


def test_clean_refuses_a_locality_outside_the_networks_district(kirklees_network):
    network, _area = kirklees_network
    elsewhere = LocalityFactory()
    role = AnchorRole(
        organisation=OrganisationFactory(), network=network, locality=elsewhere, role=AnchorRoleKind.LEAD_ANCHOR
    )
    with pytest.raises(ValidationError) as caught:
        role.full_clean()
    assert "within" in str(caught.value.message_dict["locality"])


def test_postcode_and_identifiers_are_normalised_on_save():
    organisation = OrganisationFactory(postcode="ls14  6jb", company_number="1234567", charity_number=" sc012345 ")
    organisation.refresh_from_db()
    assert organisation.postcode == "LS14 6JB"
    assert organisation.postcode_outward == "LS14"
    assert organisation.company_number == "01234567"
    assert organisation.charity_number == "SC012345"


def test_full_clean_reports_a_bad_postcode_in_plain_english():
    organisation = Organisation(name="X", slug="x", postcode="not a postcode")
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()
    assert caught.value.message_dict["postcode"] == ["Enter a real postcode, like LS1 1UR."]
