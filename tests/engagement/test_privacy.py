"""Personal data on requests for support: erased when the retention period ends (the daily
job), and on a person's UK GDPR request (export and erasure in the admin). Nothing of the
person remains, history included; the request's figures stay."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from engagement import privacy, tasks
from engagement.models import SupportRequest, SupportRequestStatus
from tests.engagement.factories import SupportRequestFactory

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


def contact_left(request: SupportRequest) -> list[tuple[str, str, str]]:
    """Every copy of the request's contact details still held, in its row and history rows."""
    fields = SupportRequest.PRIVATE_FIELDS
    rows = [SupportRequest.objects.values_list(*fields).get(pk=request.pk)]
    rows += list(SupportRequest.history.filter(id=request.pk).values_list(*fields))
    return [row for row in rows if any(row)]


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
    with django_assert_max_num_queries(8):
        erased = tasks.support_request_erase_expired_contacts.call()
    assert erased == rows


def test_run_scheduled_jobs_runs_the_retention_job(capsys):
    # Tests run tasks as they are enqueued (ImmediateBackend), so the command's work is done.
    request = closed_request(400)
    call_command("run_scheduled_jobs")
    assert "support_request_erase_expired_contacts" in capsys.readouterr().out
    assert contact_left(request) == []


@override_settings(SUPPORT_REQUEST_RETENTION_DAYS=180)
def test_privacy_notice_states_the_retention_period_from_the_setting(client):
    response = client.get("/privacy/")
    assert "for 180 days after it is closed" in response.content.decode()
