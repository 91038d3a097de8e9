"""A network's public contact details, and opening hours, on the network's and its anchors'
pages; validated as an organisation's are."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import AnchorRoleFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "email": "hello@kirklees-network.example.org",
    "phone": "01484  960123 ",
    "address": "1 Market Street\nHuddersfield HD1 1AA",
    "opening_hours": "Monday to Friday, 9am to 5pm",
}


def test_the_network_page_shows_its_contact_details(client):
    network = NetworkFactory(name="Kirklees Network", **CONTACT)
    response = client.get(network.get_absolute_url())
    assertContains(response, "Contact the network")
    assertContains(response, 'href="mailto:hello@kirklees-network.example.org"')
    assertContains(response, 'href="tel:01484960123">01484 960123</a>')  # spaces tidied as stored
    assertContains(response, "1 Market Street<br>Huddersfield HD1 1AA")
    assertContains(response, "Monday to Friday, 9am to 5pm")


def test_a_network_without_contact_details_says_so(client):
    response = client.get(NetworkFactory().get_absolute_url())
    assertContains(response, "No contact details are recorded for the network yet.")


def test_an_anchor_page_shows_its_opening_hours_and_its_networks_contact_details(client):
    role = AnchorRoleFactory(
        network=NetworkFactory(name="Leeds Network", **CONTACT),
        organisation__opening_hours="Tuesdays, 10am to 2pm",
    )
    response = client.get(role.organisation.get_absolute_url())
    assertContains(response, "Tuesdays, 10am to 2pm")
    assertContains(response, "Contact the Leeds Network")
    assertContains(response, "hello@kirklees-network.example.org")


def test_a_community_groups_page_shows_no_network_contact(client):
    NetworkFactory(name="Leeds Network", **CONTACT)
    response = client.get(OrganisationFactory().get_absolute_url())
    assertNotContains(response, "Contact the Leeds Network")


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "hello at example.org"), ("phone", "call us"), ("phone", "0113 496")],
)
def test_a_networks_email_and_phone_are_validated_like_an_organisations(field, value):
    network = NetworkFactory()
    setattr(network, field, value)
    with pytest.raises(ValidationError) as error:
        network.full_clean()
    assert field in error.value.message_dict
