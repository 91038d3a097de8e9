"""The personal data of people who sent a new group: erased a set time after the group is
decided (the daily job), never while it waits; covered by the admin's "Find a person's data"
(export and erasure); stated in the privacy notice. The group's record and the decision stay."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from organisations import privacy, tasks
from organisations.models import GroupSubmission, GroupSubmissionStatus
from tests.engagement.factories import SupportRequestFactory
from tests.factories import GroupSubmissionFactory, UserFactory
from tests.privacy import contact_left

pytestmark = pytest.mark.django_db

NOW = timezone.now()
EMAIL = "pat@example.org"


def submission(decided_days_ago: int | None, **kwargs) -> GroupSubmission:
    """A new group sent by Pat (two history rows hold the contact), decided (declined)
    ``decided_days_ago`` days before NOW, or still open for None."""
    sent = GroupSubmissionFactory(submitter_name="Pat Example", submitter_phone="0113 496 0000", **kwargs)
    if decided_days_ago is not None:
        sent.status = GroupSubmissionStatus.DECLINED
        sent.decline_reason = "Not a community group."
        sent.decided_at = NOW - datetime.timedelta(days=decided_days_ago)
        sent.save()
    return sent


@override_settings(GROUP_SUBMISSION_RETENTION_DAYS=365)
def test_retention_erases_only_groups_decided_long_enough_ago_and_keeps_the_decision():
    old = submission(400)
    recent = submission(300)
    waiting = submission(None)
    GroupSubmission.objects.filter(pk=waiting.pk).update(created_at=NOW - datetime.timedelta(days=800))

    assert privacy.erase_expired_contacts(NOW) == 1

    assert contact_left(old) == []
    kept = GroupSubmission.objects.get(pk=old.pk)
    assert (kept.status, kept.decline_reason, kept.organisation_id, kept.decided_at) == (
        GroupSubmissionStatus.DECLINED,
        "Not a community group.",
        old.organisation_id,
        old.decided_at,
    )
    assert kept.contacts_erased
    assert len(contact_left(recent)) == 3  # the row and both history rows, untouched
    assert len(contact_left(waiting)) == 2  # open, however old: never erased
    assert privacy.erase_expired_contacts(NOW) == 0  # nothing left to do


@override_settings(GROUP_SUBMISSION_RETENTION_DAYS=30)
def test_the_period_comes_from_the_setting():
    sent = submission(31)
    assert privacy.erase_expired_contacts(NOW) == 1
    assert contact_left(sent) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_retention_job_query_count_is_fixed(rows, django_assert_max_num_queries):
    for _ in range(rows):
        submission(400)
    with django_assert_max_num_queries(6):
        erased = tasks.group_submission_erase_expired_contacts.call()
    assert erased == rows


def test_run_scheduled_jobs_runs_the_group_retention_job(capsys):
    sent = submission(400)
    call_command("run_scheduled_jobs")
    assert "group_submission_erase_expired_contacts" in capsys.readouterr().out
    assert contact_left(sent) == []


def test_an_erased_sender_is_shown_as_erased_to_the_reviewer(client):
    sent = submission(400)
    privacy.erase_expired_contacts(NOW)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(f"/new-groups/{sent.pk}/").content.decode()
    assert "contact details have been erased" in page
    assert "Pat" not in page


@override_settings(GROUP_SUBMISSION_RETENTION_DAYS=90)
def test_privacy_notice_states_the_group_retention_period(client):
    page = client.get("/privacy/").content.decode()
    assert "“Add your group” form" in page
    assert "for 90 days after" in page


# -- UK GDPR subject requests (the admin's "Find a person's data") --------------------------
PERSON_URL = "/admin/engagement/supportrequest/person/"


@pytest.fixture
def officer(client):
    user = UserFactory(username="dpo-officer", is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def persons_records():
    """Pat's new group (sent with a mistyped address, corrected since), Pat's request for
    support, and someone else's new group."""
    group = submission(None, submitter_email="pat@exmaple.org")
    group.submitter_email = "Pat@Example.org"
    group.save()
    request = SupportRequestFactory(contact_name="Pat Example", contact_email=EMAIL)
    other = GroupSubmissionFactory(submitter_name="Someone Else", submitter_email="else@example.org")
    return group, request, other


def test_find_and_export_cover_the_groups_a_person_sent(client, officer, persons_records):
    group, request, other = persons_records
    page = client.post(PERSON_URL, {"email": EMAIL, "action": "find"}).content.decode()
    assert request.reference in page
    assert f"new group “{group.organisation.name}”" in page
    assert other.organisation.name not in page

    data = json.loads(client.post(PERSON_URL, {"email": EMAIL, "action": "export"}).content)
    assert [row["id"] for row in data["group_submissions"]] == [group.pk]
    assert data["group_submissions"][0]["submitter_phone"] == "0113 496 0000"
    emails = {row["submitter_email"] for row in data["group_submission_history"]}
    assert emails == {"pat@exmaple.org", "Pat@Example.org"}
    assert [row["reference"] for row in data["support_requests"]] == [request.reference]


def test_erase_blanks_the_sender_everywhere_and_keeps_the_group(client, officer, persons_records):
    group, request, other = persons_records
    done = client.post(PERSON_URL, {"email": EMAIL, "action": "confirm_erase"}, follow=True)
    assert "from 2 records" in done.content.decode()

    assert contact_left(group) == []
    kept = GroupSubmission.objects.get(pk=group.pk)
    assert (kept.organisation_id, kept.status) == (group.organisation_id, GroupSubmissionStatus.OPEN)
    assert len(contact_left(other)) == 2  # someone else's untouched
    entry = LogEntry.objects.get(content_type__model="groupsubmission", object_id=str(group.pk))
    assert (entry.user_id, entry.change_message) == (officer.pk, "UK GDPR erasure request: contact details erased")
    assert "pat" not in entry.object_repr.lower()
