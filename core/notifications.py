"""Email from the portal: a templated, plain-text email for one event, sent once, from a
background task.

Each email is two templates, ``templates/emails/<name>_subject.txt`` (one line, never personal
data: a reference, not a name) and ``<name>_body.txt`` (plain text, ending with a link back to
the record, built with ``absolute_url``). The app that owns the event writes a task (its
``tasks.py``) taking ids, which works out the recipients and calls ``send_once``; its service
enqueues that task with ``enqueue_on_commit``, so nothing is sent for a write that rolled back.

No domain here: the recipients and the event's key come from the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import SentEmail

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) as a full address on ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}"


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """``(subject, body)`` of ``templates/emails/<template>_*.txt`` rendered with ``context``;
    the subject on one line, whatever the template's line breaks."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


@dataclass(frozen=True)
class Email:
    """One event's email for ``send_once_each``: as ``send_once``'s arguments."""

    key: str
    template: str
    context: dict[str, Any]
    recipients: Iterable[str]


def _addresses(recipients: Iterable[str]) -> list[str]:
    return sorted({address.strip() for address in recipients if address and address.strip()})


def _deliver(template: str, context: dict[str, Any], addresses: list[str]) -> None:
    subject, body = render_email(template, context)
    for address in addresses:
        EmailMessage(subject=subject, body=body, to=[address]).send()


def send_once_each(emails: Iterable[Email]) -> int:
    """``send_once`` for many events at once, in a fixed number of queries (a daily job's
    reminders): one to find which events have had their email, one to record the rest.

    Returns how many events' emails it sent. Events with nobody to send to are skipped and not
    recorded (a later run sends them once someone has an address). As with ``send_once``,
    when sending fails nothing is recorded and the exception propagates; the next run sends
    again every email of this run, those already sent included. Two runs at the same moment
    cannot both record an event: the second fails on the unique key and sends nothing.
    """
    pending = [(email, _addresses(email.recipients)) for email in emails]
    for email, addresses in pending:
        if not addresses:
            logger.warning("No recipients for the email %s (%s): nothing sent.", email.key, email.template)
    pending = [(email, addresses) for email, addresses in pending if addresses]
    if not pending:
        return 0
    with transaction.atomic():
        sent = set(SentEmail.objects.filter(key__in=[email.key for email, _ in pending]).values_list("key", flat=True))
        pending = [(email, addresses) for email, addresses in pending if email.key not in sent]
        SentEmail.objects.bulk_create(
            SentEmail(key=email.key, template=email.template, recipient_count=len(addresses))
            for email, addresses in pending
        )
        for email, addresses in pending:
            _deliver(email.template, email.context, addresses)
    return len(pending)


def send_once(*, key: str, template: str, context: dict[str, Any], recipients: Iterable[str]) -> bool:
    """Send the email ``template`` to ``recipients`` unless the email for event ``key`` has been
    sent already. Each recipient gets their own message (nobody sees who else was told).

    Returns True when it sent, False when it had been sent before or there is nobody to send to.
    The record of the event is written in the same transaction as the sending: when sending
    fails (the SMTP server is down) the exception propagates, the task is marked failed,
    nothing is recorded, and running the task again sends it.
    """
    addresses = _addresses(recipients)
    if not addresses:
        logger.warning("No recipients for the email %s (%s): nothing sent.", key, template)
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentEmail.objects.create(key=key, template=template, recipient_count=len(addresses))
        except IntegrityError:
            return False
        _deliver(template, context, addresses)
    return True


def enqueue_on_commit(task, *args: Any) -> None:
    """Enqueue ``task`` (a django-tasks task) with ``args`` (ids and plain values) once the
    current transaction commits; at once when there is none."""
    transaction.on_commit(lambda: task.enqueue(*args))
