"""The public "Tell us what matters here" form: on every area and ward page, routed to the anchor
for the place, the anchor told by email, honeypot and rate limit as "Ask for support", nothing
lost on an error, and what a resident writes never on a public page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import override_settings
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import DistrictFactory
from voices.models import HeardVia, Voice, VoiceStatus

pytestmark = pytest.mark.django_db


def tell_us(world, place="ward") -> str:
    return f"/areas/{world[place].slug}/tell-us/"


def form_data(**overrides) -> dict[str, str]:
    return {"what_matters": "The bus shelter on Bradford Road is broken.", "theme": "", **overrides}


@pytest.mark.parametrize("place", ["area", "ward"])
def test_every_area_and_ward_page_links_to_the_form(client, world, place):
    response = client.get(world[place].get_absolute_url())
    assertContains(response, f'href="{tell_us(world, place)}"')
    assertContains(response, "Tell us what matters here")


def test_the_form_works_without_an_account_and_says_who_sees_it(client, world):
    response = client.get(tell_us(world))
    assertContains(response, "Tell us what matters in Batley East")
    assertContains(response, "never published as you wrote it")
    assertContains(response, 'href="/privacy/"')


def test_a_voice_is_routed_to_the_places_lead_anchor_who_is_emailed(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tell_us(world), form_data(theme=str(world["transport"].pk)))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/areas/{world['ward'].slug}/tell-us/sent/"
    voice = Voice.objects.get()
    assert voice.locality == world["ward"]
    assert voice.anchor == world["lead"]  # a ward goes to its area's lead anchor first
    assert voice.heard_via == HeardVia.ONLINE
    assert voice.status == VoiceStatus.HEARD
    assert list(voice.themes.all()) == [world["transport"]]
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]
    # The email names the place, never what the resident wrote.
    assert "Batley East" in mail.outbox[0].body
    assert "Bradford Road" not in mail.outbox[0].body
    assertContains(client.get(response["Location"]), "Thank you")


def test_contact_details_are_kept_only_with_consent(client, world):
    client.post(
        tell_us(world),
        form_data(contact_name="Ali", contact_email="ali@example.org", may_contact="on", may_quote="on"),
    )
    voice = Voice.objects.get()
    assert (voice.contact_email, voice.may_contact, voice.may_quote) == ("ali@example.org", True, True)
    assert voice.consent_given_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"what_matters": ""}, "Say what matters to you here"),
        ({"may_contact": "on"}, "Enter an email address or phone number so we can contact you"),
        (
            {"contact_email": "ali@example.org"},
            "Tick that we may contact you, or leave your name, email and phone empty",
        ),
        ({"contact_email": "not an address", "may_contact": "on"}, "Enter an email address like name@example.org"),
        ({"theme": "9" * 30}, "Choose a theme from the list"),
        ({"what_matters": "x" * 3001}, "3,000 characters or fewer"),
    ],
)
def test_a_mistake_shows_the_error_summary_and_keeps_what_was_typed(client, world, data, message):
    typed = {"contact_name": "Ali Resident", **data}
    response = client.post(tell_us(world), form_data(**typed))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "govuk-error-summary")
    assertContains(response, message)
    assertContains(response, "<title>Error:", count=1)
    assertContains(response, 'value="Ali Resident"')
    assert not Voice.objects.exists()


def test_the_honeypot_drops_a_robots_form_without_saying_so(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tell_us(world), form_data(website="http://spam.example"))
    assert response.status_code == HTTPStatus.FOUND
    assert not Voice.objects.exists()
    assert mail.outbox == []


@override_settings(VOICE_RATE_LIMIT_PER_HOUR=2)
def test_more_than_the_hourly_limit_from_one_address_is_refused(client, world):
    for _ in range(2):
        assert client.post(tell_us(world), form_data()).status_code == HTTPStatus.FOUND
    response = client.post(tell_us(world), form_data())
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertContains(response, "Nothing from this last attempt has been saved", status_code=429)
    assert Voice.objects.count() == 2


def test_an_unknown_place_answers_404(client, world):
    assert client.get("/areas/nowhere/tell-us/").status_code == HTTPStatus.NOT_FOUND


def test_a_place_nobody_covers_goes_to_officers(client, world, django_capture_on_commit_callbacks):
    lonely = DistrictFactory(slug="lonely")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/areas/{lonely.slug}/tell-us/", form_data())
    assert Voice.objects.get().anchor is None
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]


def test_what_a_resident_wrote_never_reaches_a_public_page(client, world):
    client.post(tell_us(world), form_data(what_matters="SECRET-VOICE-MARKER"))
    for path in (world["ward"].get_absolute_url(), world["area"].get_absolute_url(), world["plan"].get_absolute_url()):
        assertNotContains(client.get(path), "SECRET-VOICE-MARKER")
    assert client.get("/voices/").status_code == HTTPStatus.FOUND  # sign in first


def test_an_ended_ward_takes_no_new_voices(client, world):
    import datetime

    from tests.factories import LocalityFactory

    ended = LocalityFactory(slug="old-ward", parent=world["area"], valid_to=datetime.date(2020, 5, 1))
    assertNotContains(client.get(ended.get_absolute_url()), "/tell-us/")
    assert client.get(f"/areas/{ended.slug}/tell-us/").status_code == HTTPStatus.NOT_FOUND
