"""The daily reminders: an overdue request for support (not acknowledged in its working days)
to the anchor's editors, a due engagement follow-up to the engagement's staff member; each
sent once, however often the job runs, with no personal data in the subject."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from engagement import tasks
from engagement.models import SupportRequest, SupportRequestStatus
from organisations.models import MembershipRole
from tests.engagement.factories import EngagementFactory, SupportRequestFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=40)


def overdue_request(**kwargs) -> SupportRequest:
    request = SupportRequestFactory(contact_name="Pat Requester", **kwargs)
    SupportRequest.objects.filter(pk=request.pk).update(created_at=LONG_AGO)
    return request


def editor_of(organisation, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=MembershipRole.EDITOR)
    return user


def test_an_overdue_request_reminds_the_anchors_editors_once():
    request = overdue_request()
    editor = editor_of(request.anchor, "anchor-editor")
    SupportRequestFactory(anchor=request.anchor)  # received today: not overdue
    acknowledged = overdue_request(anchor=request.anchor)
    SupportRequest.objects.filter(pk=acknowledged.pk).update(status=SupportRequestStatus.ACKNOWLEDGED)
    mail.outbox.clear()

    assert tasks.send_overdue_reminders.call() == 1
    assert [message.to for message in mail.outbox] == [[editor.email]]
    message = mail.outbox[0]
    assert request.reference in message.subject
    assert "Pat" not in message.subject
    assert f"/support/requests/{request.reference}/" in message.body

    assert tasks.send_overdue_reminders.call() == 0
    assert len(mail.outbox) == 1


def test_a_due_follow_up_reminds_the_staff_member_once_and_again_when_moved():
    staff = UserFactory(username="anchor-worker")
    engagement = EngagementFactory(staff=staff, follow_up_on=timezone.localdate(), outcome="Talked about a bid.")
    EngagementFactory(staff=staff, follow_up_on=timezone.localdate(), follow_up_done=True)
    EngagementFactory(staff=staff, follow_up_on=timezone.localdate() + datetime.timedelta(days=3))
    mail.outbox.clear()

    assert tasks.send_overdue_reminders.call() == 1
    assert [message.to for message in mail.outbox] == [[staff.email]]
    organisation = engagement.organisations.get()
    assert organisation.name in mail.outbox[0].body
    assert organisation.get_absolute_url() in mail.outbox[0].body

    assert tasks.send_overdue_reminders.call() == 0
    engagement.follow_up_on = timezone.localdate() - datetime.timedelta(days=1)
    engagement.save()
    assert tasks.send_overdue_reminders.call() == 1
    assert len(mail.outbox) == 2


def test_a_follow_up_without_staff_goes_to_the_anchors_editors():
    engagement = EngagementFactory(follow_up_on=timezone.localdate())
    editor = editor_of(engagement.anchor, "log-editor")
    mail.outbox.clear()
    assert tasks.send_overdue_reminders.call() == 1
    assert [message.to for message in mail.outbox] == [[editor.email]]


@pytest.mark.parametrize("rows", [3, 30])
def test_reminder_job_query_count_is_fixed(rows, django_assert_max_num_queries):
    for n in range(rows):
        request = overdue_request()
        editor_of(request.anchor, f"editor-{n}")
        EngagementFactory(staff=UserFactory(username=f"worker-{n}"), follow_up_on=timezone.localdate())
    mail.outbox.clear()
    with django_assert_max_num_queries(9):
        sent = tasks.send_overdue_reminders.call()
    assert sent == 2 * rows
    assert len(mail.outbox) == 2 * rows


def test_a_reminder_with_nobody_to_send_to_waits_until_someone_can_get_it():
    request = overdue_request()
    request.anchor.email = ""
    request.anchor.save()
    mail.outbox.clear()
    assert tasks.send_overdue_reminders.call() == 0
    editor = editor_of(request.anchor, "late-editor")
    assert tasks.send_overdue_reminders.call() == 1
    assert [message.to for message in mail.outbox] == [[editor.email]]
