"""Personal data on requests for support: erased when the retention period ends (the daily
job), and on a person's UK GDPR request (export and erasure in the admin). Nothing of the
person remains, history included; the request's figures stay."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from engagement import privacy, tasks
from engagement.models import SupportRequest, SupportRequestStatus
from tests.engagement.factories import SupportRequestFactory
from tests.factories import UserFactory
from tests.privacy import contact_left

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def closed_request(days_ago: int, **kwargs) -> SupportRequest:
    """A request closed ``days_ago`` days before NOW, with two history rows holding its contact."""
    request = SupportRequestFactory(contact_name="Pat Example", contact_phone="0113 496 0000", **kwargs)
    request.status = SupportRequestStatus.CLOSED
    request.closed_at = NOW - datetime.timedelta(days=days_ago)
    request.acknowledged_at = request.closed_at
    request.outcome = "Helped with the bid."
    request.save()
    return request


@override_settings(SUPPORT_REQUEST_RETENTION_DAYS=365)
def test_retention_erases_contact_of_old_closed_requests_and_keeps_their_figures():
    old = closed_request(400)
    recent = closed_request(300)
    still_open = SupportRequestFactory(created_at=NOW - datetime.timedelta(days=800))

    assert privacy.erase_expired_contacts(NOW) == 1

    assert contact_left(old) == []
    erased = SupportRequest.objects.get(pk=old.pk)
    assert (erased.reference, erased.group_name, erased.status, erased.outcome) == (
        old.reference,
        old.group_name,
        SupportRequestStatus.CLOSED,
        "Helped with the bid.",
    )
    assert (erased.anchor_id, erased.locality_id, erased.route, erased.closed_at) == (
        old.anchor_id,
        old.locality_id,
        old.route,
        old.closed_at,
    )
    assert len(contact_left(recent)) == 3  # the row and its two history rows
    assert contact_left(still_open) != []
    # The erasure is itself in the history, saying why (and no one's details).
    latest = SupportRequest.history.filter(id=old.pk).latest("history_date")
    assert latest.history_change_reason == privacy.RETENTION_REASON


@override_settings(SUPPORT_REQUEST_RETENTION_DAYS=30)
def test_retention_period_comes_from_the_setting_and_running_again_changes_nothing():
    request = closed_request(31)
    assert privacy.erase_expired_contacts(NOW) == 1
    history_rows = SupportRequest.history.filter(id=request.pk).count()

    assert privacy.erase_expired_contacts(NOW) == 0
    assert SupportRequest.history.filter(id=request.pk).count() == history_rows
    assert contact_left(request) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_retention_job_query_count_is_fixed(rows, django_assert_max_num_queries):
    for _ in range(rows):
        closed_request(400)
    with django_assert_max_num_queries(6):
        erased = tasks.support_request_erase_expired_contacts.call()
    assert erased == rows


def test_run_scheduled_jobs_runs_the_retention_job(capsys):
    # Tests run tasks as they are enqueued (ImmediateBackend), so the command's work is done.
    request = closed_request(400)
    call_command("run_scheduled_jobs")
    out = capsys.readouterr().out
    assert "support_request_erase_expired_contacts" in out
    assert "send_overdue_reminders" in out
    assert contact_left(request) == []


@override_settings(SUPPORT_REQUEST_RETENTION_DAYS=180)
def test_privacy_notice_states_the_retention_period_from_the_setting(client):
    response = client.get("/privacy/")
    assert "for 180 days after it is closed" in response.content.decode()


# -- UK GDPR subject requests (the admin's "Find a person's data") --------------------------
PERSON_URL = "/admin/engagement/supportrequest/person/"
EMAIL = "pat@example.org"


@pytest.fixture
def officer(client):
    user = UserFactory(username="dpo-officer", is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def persons_requests():
    """Two requests of the person (one with an earlier, mistyped address in its history) and
    someone else's."""
    first = closed_request(10, contact_email=EMAIL)
    second = SupportRequestFactory(contact_name="Pat Example", contact_email="pat@exmaple.org")
    second.contact_email = "Pat@Example.org"
    second.save()
    other = SupportRequestFactory(contact_name="Someone Else", contact_email="else@example.org")
    return first, second, other


def test_find_lists_what_is_held_and_export_downloads_it(client, officer, persons_requests):
    first, second, other = persons_requests
    found = client.post(PERSON_URL, {"email": EMAIL, "action": "find"})
    page = found.content.decode()
    assert first.reference in page
    assert second.reference in page
    assert other.reference not in page

    export = client.post(PERSON_URL, {"email": EMAIL, "action": "export"})
    assert export["Content-Type"] == "application/json"
    assert "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert sorted(r["reference"] for r in data["support_requests"]) == sorted([first.reference, second.reference])
    assert {r["contact_phone"] for r in data["support_requests"]} == {"0113 496 0000", ""}
    # Every history row of theirs, the mistyped address's included, and nobody else's.
    emails = {row["contact_email"] for row in data["history"]}
    assert emails == {EMAIL, "pat@exmaple.org", "Pat@Example.org"}


def test_erase_asks_first_then_leaves_nothing_of_the_person_and_keeps_the_figures(client, officer, persons_requests):
    first, second, other = persons_requests

    confirm = client.post(PERSON_URL, {"email": EMAIL, "action": "erase"})
    assert "Yes, erase them" in confirm.content.decode()
    assert contact_left(first) != []  # nothing erased before the officer confirms

    done = client.post(PERSON_URL, {"email": EMAIL, "action": "confirm_erase"}, follow=True)
    assert "from 2 records" in done.content.decode()

    for request in (first, second):
        assert contact_left(request) == []
    held = [
        *SupportRequest.objects.values_list("contact_name", "contact_email", "contact_phone"),
        *SupportRequest.history.values_list("contact_name", "contact_email", "contact_phone"),
    ]
    flat = " ".join(" ".join(row) for row in held).lower()
    assert "pat" not in flat
    assert "0113 496 0000" not in flat
    assert len(contact_left(other)) == 2  # someone else's details are untouched
    kept = SupportRequest.objects.get(pk=first.pk)
    assert (kept.reference, kept.group_name, kept.status, kept.outcome, kept.anchor_id) == (
        first.reference,
        first.group_name,
        SupportRequestStatus.CLOSED,
        "Helped with the bid.",
        first.anchor_id,
    )
    # The audit line says who erased and what, without the erased data.
    entries = LogEntry.objects.filter(object_id__in=[str(first.pk), str(second.pk)])
    assert {(e.user_id, e.change_message) for e in entries} == {(officer.pk, privacy.ERASURE_REASON)}
    assert all("pat" not in f"{e.object_repr} {e.change_message}".lower() for e in entries)
    assert client.post(PERSON_URL, {"email": EMAIL, "action": "find"}).content.decode().count("Nothing is held") == 1


def test_a_bad_address_is_an_error_and_changes_nothing(client, officer, persons_requests):
    response = client.post(PERSON_URL, {"email": "not an address", "action": "confirm_erase"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert contact_left(persons_requests[0]) != []


def test_only_officers_reach_it_and_posts_need_csrf(client, persons_requests):
    editor = UserFactory(username="not-an-officer")
    client.force_login(editor)
    response = client.post(PERSON_URL, {"email": EMAIL, "action": "confirm_erase"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert contact_left(persons_requests[0]) != []

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(username="csrf-officer", is_staff=True))
    assert strict.post(PERSON_URL, {"email": EMAIL, "action": "confirm_erase"}).status_code == 403
    assert contact_left(persons_requests[0]) != []
    assert strict.get(PERSON_URL).status_code == 200
