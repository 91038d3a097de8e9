"""The personal data on requests for support: its erasure when the retention period ends, and
officers' answers to a person's UK GDPR requests (a copy of their data, article 15; erasure,
article 17), which also cover the new groups a person sent (``organisations.privacy``).

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

from core.privacy import erase_fields, holds_any, plain_values
from organisations import privacy as group_privacy
from organisations.models import GroupSubmission

from .models import SupportRequest

if TYPE_CHECKING:
    from core.permissions import User

BLANK_CONTACT = dict.fromkeys(SupportRequest.PRIVATE_FIELDS, "")
# Rows that still hold some contact detail: not every private field blank.
_HOLDS_CONTACT = holds_any(SupportRequest.PRIVATE_FIELDS)

RETENTION_REASON = "Retention period ended: contact details erased"
ERASURE_REASON = "UK GDPR erasure request: contact details erased"


def _erase(requests: models.QuerySet, history: models.QuerySet, *, user: User | None, reason: str) -> list[int]:
    """Blank the contact details of ``requests`` and their ``history`` rows
    (``core.privacy.erase_fields``). Returns the ids of the requests changed."""
    return erase_fields(requests, history, fields=SupportRequest.PRIVATE_FIELDS, user=user, reason=reason)


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
    """A copy of everything the portal holds about the person with ``email`` on requests for
    support and on new groups they sent (UK GDPR article 15): ``{"email", "exported_at",
    "support_requests": [{field: value}], "history": [{field: value, "history_date",
    "history_type"}], "group_submissions": [...], "group_submission_history": [...]}``
    (``organisations.privacy.person_data``), JSON-serialisable with ``DjangoJSONEncoder``.
    Empty lists when nothing is held."""
    requests, history = _person_rows(email)
    records = [plain_values(obj) for obj in requests.select_related("anchor", "locality", "network").order_by("pk")]
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
    return {
        "email": email.strip(),
        "exported_at": timezone.now(),
        "support_requests": records,
        "history": versions,
        **group_privacy.person_data(email),
    }


def person_summary(email: str) -> tuple[list[str], int]:
    """``(records, history_row_count)`` of what is held about ``email``: the references of
    requests for support, then the new groups they sent (“new group “Name””), and the change
    history rows of both; what the officer confirms before erasing."""
    requests, history = _person_rows(email)
    references = list(
        SupportRequest.objects.filter(Q(pk__in=requests.values("pk")) | Q(pk__in=history.values("id")))
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    groups, group_history_count = group_privacy.person_summary(email)
    return references + groups, history.count() + group_history_count


@transaction.atomic
def erase_person(email: str, *, user: User) -> int:
    """Erase the contact details of the person with ``email`` from every request for support,
    every new group they sent (``organisations.privacy.erase_person``) and their history rows
    (UK GDPR article 17), and record in the admin log, against each record touched, that
    ``user`` erased them, without the erased data. Returns how many records were touched."""
    requests, history = _person_rows(email)
    touched = set(history.values_list("id", flat=True))
    touched.update(_erase(requests, history, user=user, reason=ERASURE_REASON))
    groups = group_privacy.erase_person(email, user=user)
    for model, ids in ((SupportRequest, touched), (GroupSubmission, groups)):
        if ids:
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=model.objects.filter(pk__in=ids),
                action_flag=CHANGE,
                change_message=ERASURE_REASON,
            )
    return len(touched) + len(groups)
