"""Emails for events: rendered from templates, sent once per event however often the task
runs, and queued in the database for the worker as production does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core.models import SentEmail
from core.notifications import absolute_url, enqueue_on_commit, send_once

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}]


@task()
def send_test_note(reference: str) -> bool:
    """A task as an app writes one: plain values in, ``send_once`` inside."""
    return send_once(
        key=f"test-note-{reference}",
        template="test_note",
        context={"reference": reference, "link": absolute_url("/somewhere/")},
        recipients=["one@example.org", "two@example.org"],
    )


def test_each_recipient_gets_one_plain_text_email_with_a_link_back():
    assert send_test_note.call("ANR-1") is True
    assert sorted(message.to[0] for message in mail.outbox) == ["one@example.org", "two@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Note ANR-1 from AnchorNet"
    assert "See http://testserver/somewhere/" in message.body
    assert message.content_subtype == "plain"


def test_the_same_event_is_never_sent_twice():
    send_test_note.call("ANR-2")
    assert send_test_note.call("ANR-2") is False
    assert len(mail.outbox) == 2
    assert SentEmail.objects.get(key="test-note-ANR-2").recipient_count == 2


def test_nothing_is_recorded_when_sending_fails(settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.FailingBackend"
    with pytest.raises(ConnectionError):
        send_test_note.call("ANR-3")
    assert not SentEmail.objects.filter(key="test-note-ANR-3").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_test_note.call("ANR-3") is True


def test_nobody_to_tell_sends_nothing():
    assert send_once(key="nobody", template="test_note", context={}, recipients=["", " "]) is False
    assert mail.outbox == []


def test_a_task_enqueued_in_a_transaction_that_rolls_back_never_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(send_test_note, "ANR-4")
    assert len(callbacks) == 1
    assert mail.outbox == []  # only a commit would run it


# The worker locks the queue with its own transaction (BEGIN EXCLUSIVE on SQLite), which cannot
# run inside a test's transaction: this test commits, as production does.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_email_and_the_worker_sends_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue_on_commit(send_test_note, "ANR-5")  # no transaction open: enqueued at once
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert len(mail.outbox) == 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("The SMTP server is down")
