"""The personal data on requests for support: its erasure when the retention period ends, and
officers' answers to a person's UK GDPR requests (a copy of their data, article 15; erasure,
article 17).

A request's personal data is its requester's contact details (``SupportRequest.PRIVATE_FIELDS``);
simple-history keeps a copy in every history row, so each erasure blanks the history rows too.
What the council monitors stays: the group, its need, area, dates, status, route and outcome.

A blank name and email mean "erased": the form requires both, so a request never has them
blank otherwise, and erasing again finds nothing left to change.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .models import SupportRequest

if TYPE_CHECKING:
    from core.permissions import User

BLANK_CONTACT = dict.fromkeys(SupportRequest.PRIVATE_FIELDS, "")
# Rows that still hold some contact detail: not every private field blank.
_HOLDS_CONTACT = ~Q(**BLANK_CONTACT)

RETENTION_REASON = "Retention period ended: contact details erased"
ERASURE_REASON = "UK GDPR erasure request: contact details erased"


def _erase(requests: models.QuerySet, history: models.QuerySet, *, user: User | None, reason: str) -> list[int]:
    """Blank the contact details of ``requests`` (recording one history row each, by ``user``
    with ``reason``) and of the ``history`` rows. Four queries whatever the number of rows.
    Returns the ids of the requests changed."""
    objs = list(requests.filter(_HOLDS_CONTACT))
    now = timezone.now()
    for obj in objs:
        for name, value in BLANK_CONTACT.items():
            setattr(obj, name, value)
        obj.updated_at = now
    if objs:
        bulk_update_with_history(
            objs,
            SupportRequest,
            [*BLANK_CONTACT, "updated_at"],
            default_user=user,
            default_change_reason=reason,
        )
    history.filter(_HOLDS_CONTACT).update(**BLANK_CONTACT)
    return [obj.pk for obj in objs]


@transaction.atomic
def erase_expired_contacts(now: datetime.datetime | None = None) -> int:
    """Erase the contact details of every request closed more than
    ``SUPPORT_REQUEST_RETENTION_DAYS`` before ``now`` (``SupportRequestQuerySet.past_retention``),
    and of their history rows. Safe to run any number of times. Returns how many requests still
    held contact details and no longer do."""
    expired = SupportRequest.objects.past_retention(now)
    history = SupportRequest.history.filter(id__in=expired.values("pk"))
    return len(_erase(expired, history, user=None, reason=RETENTION_REASON))


def _person_rows(email: str) -> tuple[models.QuerySet, models.QuerySet]:
    """The requests whose requester's email is ``email`` (any case), and the history rows that
    hold it or belong to those requests (an earlier version may hold a mistyped address)."""
    requests = SupportRequest.objects.filter(contact_email__iexact=email.strip())
    # A list, not a subquery: erasing the requests first must not change which rows match.
    request_ids = list(requests.values_list("pk", flat=True))
    history = SupportRequest.history.filter(Q(contact_email__iexact=email.strip()) | Q(id__in=request_ids)).filter(
        _HOLDS_CONTACT
    )
    return requests.filter(pk__in=request_ids), history


def person_data(email: str) -> dict[str, Any]:
    """A copy of everything the portal holds on requests for support about the person with
    ``email`` (UK GDPR article 15): ``{"email", "exported_at", "support_requests": [{field:
    value}], "history": [{field: value, "history_date", "history_type"}]}``, JSON-serialisable
    with ``DjangoJSONEncoder``. Empty lists when nothing is held."""
    requests, history = _person_rows(email)
    fields = [field for field in SupportRequest._meta.concrete_fields]

    def value(obj, field) -> Any:
        if field.is_relation:
            related = getattr(obj, field.name)
            return str(related) if related is not None else None
        return field.value_from_object(obj)

    records = [
        {field.name: value(obj, field) for field in fields}
        for obj in requests.select_related("anchor", "locality", "network").order_by("pk")
    ]
    kept = ("reference", "status", *SupportRequest.PRIVATE_FIELDS)
    versions = [
        {
            "request_id": row.id,
            **{name: getattr(row, name) for name in kept},
            "history_date": row.history_date,
            "history_type": row.get_history_type_display(),
        }
        for row in history.order_by("id", "history_date")
    ]
    return {"email": email.strip(), "exported_at": timezone.now(), "support_requests": records, "history": versions}


def person_summary(email: str) -> tuple[list[str], int]:
    """``(references, history_row_count)`` of what is held about ``email``: what the officer
    confirms before erasing."""
    requests, history = _person_rows(email)
    references = list(
        SupportRequest.objects.filter(Q(pk__in=requests.values("pk")) | Q(pk__in=history.values("id")))
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    return references, history.count()


@transaction.atomic
def erase_person(email: str, *, user: User) -> int:
    """Erase the contact details of the person with ``email`` from every request and history
    row (UK GDPR article 17), and record in the admin log, against each request touched, that
    ``user`` erased them, without the erased data. Returns how many requests were touched."""
    requests, history = _person_rows(email)
    touched = set(history.values_list("id", flat=True))
    touched.update(_erase(requests, history, user=user, reason=ERASURE_REASON))
    if touched:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=SupportRequest.objects.filter(pk__in=touched),
            action_flag=CHANGE,
            change_message=ERASURE_REASON,
        )
    return len(touched)
