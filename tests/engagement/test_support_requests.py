"""Requests for support: the public form (honeypot, rate limit, nothing lost on an error),
routing, the overdue rule, the emails (right people, once), and the request queue's scope and
query count. A requester's contact details never reach a public page."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from engagement.models import Engagement, EngagementKind, SupportRequest, SupportRequestStatus, SupportRoute
from engagement.routing import route_for
from engagement.services import support_request_advance
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure
from tests.engagement.factories import SupportRequestFactory
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
ASK = "/support/ask/"


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kirklees():
    """A tiered network: Batley and Spen with its lead anchor (one editor) and a ward; Rural,
    with no anchor; the coordinator with an editor."""
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    coordinator = OrganisationFactory(name="Third Sector Leaders Kirklees")
    network = NetworkFactory(district=district, structure=NetworkStructure.TIERED, coordinator=coordinator)
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    rural = LocalityFactory(name="Rural", slug="rural", kind=LocalityKind.AREA, parent=district)
    lead = AnchorRoleFactory(network=network, locality=area, role=AnchorRoleKind.LEAD_ANCHOR)
    AnchorRoleFactory(network=network, locality=ward, role=AnchorRoleKind.LOCAL_ANCHOR, lead=lead)
    editor = MembershipFactory(organisation=lead.organisation, user__email="lead@example.org").user
    coordinator_editor = MembershipFactory(organisation=coordinator, user__email="tslk@example.org").user
    OrganisationFactory(postcode="WF17 5AA", localities=[ward])  # the directory links WF17 with the ward
    return {
        "network": network,
        "area": area,
        "ward": ward,
        "rural": rural,
        "lead": lead.organisation,
        "coordinator": coordinator,
        "editor": editor,
        "coordinator_editor": coordinator_editor,
    }


def form_data(**overrides) -> dict[str, str]:
    return {
        "group_name": "Batley Knit and Natter",
        "need": "A room on Tuesday afternoons",
        "postcode": "WF17 5AB",
        "area": "",
        "contact_name": "Sam Requester",
        "contact_email": "sam@example.org",
        "contact_phone": "07700 900123",
        "consent": "on",
        "website": "",
        **overrides,
    }


# --- Routing ------------------------------------------------------------------------------
def test_a_ward_goes_to_its_areas_lead_anchor_before_its_local_anchor(kirklees):
    route = route_for(kirklees["ward"])
    assert (route.anchor, route.route) == (kirklees["lead"], SupportRoute.LEAD_ANCHOR)


def test_a_place_with_no_anchor_goes_to_the_networks_coordinator(kirklees):
    route = route_for(kirklees["rural"])
    assert (route.anchor, route.network, route.route) == (
        kirklees["coordinator"],
        kirklees["network"],
        SupportRoute.NETWORK,
    )


def test_a_peer_anchor_takes_its_wards_requests():
    role = AnchorRoleFactory()  # a peer network's anchor for a ward
    assert route_for(role.locality).route == SupportRoute.ANCHOR
    assert route_for(role.locality).anchor == role.organisation


def test_a_place_nobody_covers_waits_for_officers():
    assert route_for(DistrictFactory()).route == SupportRoute.UNROUTED


# --- The public form ----------------------------------------------------------------------
def test_a_request_by_postcode_is_routed_acknowledged_and_announced_once(
    client, kirklees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, form_data())
    assert response.status_code == HTTPStatus.FOUND
    request = SupportRequest.objects.get()
    assert request.anchor == kirklees["lead"]
    assert request.locality == kirklees["ward"]
    assert request.postcode_district == "WF17"  # never the full postcode
    assert request.reference == f"ANR-{timezone.localdate().year}-{request.pk:05d}"
    assertContains(client.get(response["Location"]), request.reference)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["lead@example.org", "sam@example.org"]
    assert by_recipient["lead@example.org"].subject == f"New request for support {request.reference}"
    assert f"http://testserver/support/requests/{request.reference}/" in by_recipient["lead@example.org"].body
    assert "Sam" not in by_recipient["lead@example.org"].subject
    assert request.reference in by_recipient["sam@example.org"].subject

    # The tasks run again (a retry, a second worker): nobody gets a second email.
    from engagement import tasks

    tasks.support_request_notify_anchor.call(request.pk)
    tasks.support_request_send_receipt.call(request.pk)
    assert len(mail.outbox) == 2


def test_a_request_for_a_place_without_an_anchor_tells_the_network_coordinator(
    client, kirklees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ASK, form_data(postcode="", area=str(kirklees["rural"].pk)))
    assert SupportRequest.objects.get().route == SupportRoute.NETWORK
    assert sorted(message.to[0] for message in mail.outbox) == ["sam@example.org", "tslk@example.org"]


def test_a_mistake_keeps_everything_typed_and_saves_nothing(client, kirklees):
    response = client.post(ASK, form_data(contact_email="sam at example", consent=""))
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assertContains(response, "Enter an email address like name@example.org")
    assertContains(response, "Agree to sharing your contact details")
    for typed in (
        "Batley Knit and Natter",
        "A room on Tuesday afternoons",
        "WF17 5AB",
        "sam at example",
        "07700 900123",
    ):
        assertContains(response, typed)
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    ("postcode", "area", "message"),
    [
        ("", "", "Enter your postcode, or choose your area"),
        ("banana", "", "Enter a real postcode"),
        ("ZZ9 9ZZ", "", "We could not find ZZ9 in our areas: choose your area"),
        ("", "999999999999999999999999", "Select a valid choice"),
    ],
)
def test_where_the_group_is_must_be_found(client, kirklees, postcode, area, message):
    response = client.post(ASK, form_data(postcode=postcode, area=area))
    assertContains(response, message)
    assert not SupportRequest.objects.exists()


def test_a_form_filled_in_by_a_robot_is_dropped_without_a_word(client, kirklees, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, form_data(website="http://spam.example"))
    assert response.status_code == HTTPStatus.FOUND
    assert not SupportRequest.objects.exists()
    assert mail.outbox == []


def test_one_address_may_send_only_so_many_an_hour(client, kirklees, settings):
    settings.SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert client.post(ASK, form_data()).status_code == HTTPStatus.FOUND
    response = client.post(ASK, form_data())
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertContains(response, "Too many requests sent", status_code=429)
    assertContains(response, "govuk-footer", status_code=429)  # in the portal's layout
    assert SupportRequest.objects.count() == 2
    # Another address is not held back.
    assert client.post(ASK, form_data(), REMOTE_ADDR="192.0.2.7").status_code == HTTPStatus.FOUND


def test_the_area_can_be_chosen_beforehand_from_an_area_page(client, kirklees):
    response = client.get(f"{ASK}?area=rural")
    assertContains(response, f'<option value="{kirklees["rural"].pk}" selected>')
    assertContains(client.get(kirklees["area"].get_absolute_url()), f"{ASK}?area=batley-and-spen")
    assertContains(client.get(reverse("portal:home")), ASK)
    assertContains(client.get(kirklees["lead"].get_absolute_url()), f"{ASK}?area=batley-and-spen")


def test_a_requesters_contact_details_never_reach_a_public_page(client, kirklees):
    request = SupportRequestFactory(
        anchor=kirklees["lead"],
        locality=kirklees["area"],
        contact_name="Zebedee Private",
        contact_email="zeb@example.org",
    )
    for url in (
        reverse("portal:home"),
        kirklees["lead"].get_absolute_url(),
        kirklees["area"].get_absolute_url(),
        kirklees["network"].get_absolute_url(),
        reverse("organisations:directory"),
        ASK,
        reverse("engagement:ask_sent"),
    ):
        response = client.get(url)
        assertNotContains(response, "Zebedee")
        assertNotContains(response, "zeb@example.org")
    assert client.get(request.get_absolute_url()).status_code == HTTPStatus.FOUND  # to sign in


# --- Overdue -----------------------------------------------------------------------------
def _received(on: datetime.date) -> SupportRequest:
    request = SupportRequestFactory()
    received = timezone.make_aware(datetime.datetime.combine(on, datetime.time(16)))
    SupportRequest.objects.filter(pk=request.pk).update(created_at=received)
    return SupportRequest.objects.get(pk=request.pk)


def test_a_request_is_overdue_after_ten_working_days_not_counting_weekends_and_bank_holidays():
    # Received Monday 21 December 2026: due Thursday 7 January 2027 (Christmas, the Boxing Day
    # substitute and New Year's Day skipped), so overdue from Friday 8 January.
    request = _received(datetime.date(2026, 12, 21))
    assert request.acknowledge_by == datetime.date(2027, 1, 7)
    for day, overdue in ((datetime.date(2027, 1, 7), False), (datetime.date(2027, 1, 8), True)):
        assert SupportRequest.objects.with_overdue(day).get().is_overdue is overdue
        assert set(SupportRequest.objects.overdue(day)) == ({request} if overdue else set())


def test_an_acknowledged_request_is_never_overdue():
    request = _received(datetime.date(2026, 1, 5))
    SupportRequest.objects.filter(pk=request.pk).update(status=SupportRequestStatus.ACKNOWLEDGED)
    assert not SupportRequest.objects.overdue(datetime.date(2026, 12, 1)).exists()


# --- The queue ----------------------------------------------------------------------------
def test_an_anchor_sees_its_own_requests_and_gets_404_for_anothers(client, kirklees):
    mine = SupportRequestFactory(anchor=kirklees["lead"], group_name="Mine")
    theirs = SupportRequestFactory(group_name="Theirs")
    client.force_login(kirklees["editor"])
    response = client.get(reverse("engagement:request_queue"))
    assertContains(response, "Mine")
    assertNotContains(response, "Theirs")
    assert client.get(mine.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(theirs.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.post(theirs.get_absolute_url(), {"to_status": "acknowledged"}).status_code == HTTPStatus.NOT_FOUND
    client.force_login(UserFactory(is_staff=True))
    assertContains(client.get(reverse("engagement:request_queue")), "Theirs")


def test_the_queue_shows_an_overdue_request_as_overdue(client, kirklees):
    request = _received(timezone.localdate() - datetime.timedelta(days=30))
    SupportRequest.objects.filter(pk=request.pk).update(anchor=kirklees["lead"])
    client.force_login(kirklees["editor"])
    assertContains(client.get(reverse("engagement:request_queue")), "Overdue")
    assertContains(client.get(request.get_absolute_url()), "Overdue: it should have been acknowledged by")


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_requests(client, kirklees, count, django_assert_max_num_queries):
    SupportRequestFactory.create_batch(count, anchor=kirklees["lead"], locality=kirklees["area"])
    client.force_login(kirklees["editor"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("engagement:request_queue"))
    assert len(response.context["open_requests"]) == count


def test_each_step_is_recorded_on_the_log_and_closing_needs_an_outcome(client, kirklees):
    request = SupportRequestFactory(anchor=kirklees["lead"])
    client.force_login(kirklees["editor"])
    url = request.get_absolute_url()
    client.post(url, {"to_status": "acknowledged", "expected_status": "new"})
    client.post(url, {"to_status": "in_progress", "expected_status": "acknowledged"})
    response = client.post(url, {"to_status": "closed", "expected_status": "in_progress", "outcome": ""})
    assertContains(response, "Say what came of the request before closing it")
    client.post(url, {"to_status": "closed", "expected_status": "in_progress", "outcome": "Room found at the library"})
    request.refresh_from_db()
    assert request.status == SupportRequestStatus.CLOSED
    assert request.closed_at is not None
    assert request.acknowledged_at is not None
    log = Engagement.objects.filter(support_request=request).order_by("pk")
    assert [entry.kind for entry in log] == [EngagementKind.SUPPORT_REQUEST] * 3
    assert all(entry.anchor == kirklees["lead"] and entry.staff == kirklees["editor"] for entry in log)
    assert "Room found at the library" in log.last().outcome


def test_a_step_someone_else_took_meanwhile_is_refused(client, kirklees):
    request = SupportRequestFactory(anchor=kirklees["lead"])
    support_request_advance(request=request, user=kirklees["editor"], to_status="acknowledged", expected_status="new")
    client.force_login(kirklees["editor"])
    response = client.post(request.get_absolute_url(), {"to_status": "acknowledged", "expected_status": "new"})
    assertContains(response, "Someone else changed this request meanwhile")
    assert Engagement.objects.filter(support_request=request).count() == 1


def test_people_who_edit_no_anchor_cannot_open_the_queue(client):
    client.force_login(MembershipFactory().user)  # an editor of a community group
    assert client.get(reverse("engagement:request_queue")).status_code == HTTPStatus.FORBIDDEN
