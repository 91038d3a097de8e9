"""The personal data on new groups sent through "Add your group": their sender's contact details
(``GroupSubmission.PRIVATE_FIELDS``), erased ``GROUP_SUBMISSION_RETENTION_DAYS`` after the group
is decided, and the organisations app's part of an officer's answer to a person's UK GDPR
request (a copy, article 15; erasure, article 17), which ``engagement.privacy`` gathers with
the requests for support.

What the council monitors stays: the group (its draft or published organisation), its area,
the anchor that reviewed it, the dates and the decision. A blank name and email mean "erased":
the form requires both.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Q

from core.privacy import erase_fields, holds_any, plain_values

from .models import GroupSubmission

if TYPE_CHECKING:
    from core.permissions import User

RETENTION_REASON = "Retention period ended: sender's contact details erased"
ERASURE_REASON = "UK GDPR erasure request: sender's contact details erased"


def _erase(submissions: models.QuerySet, history: models.QuerySet, *, user: User | None, reason: str) -> list[int]:
    return erase_fields(submissions, history, fields=GroupSubmission.PRIVATE_FIELDS, user=user, reason=reason)


@transaction.atomic
def erase_expired_contacts(now: datetime.datetime | None = None) -> int:
    """Erase the sender's contact details of every group decided more than
    ``GROUP_SUBMISSION_RETENTION_DAYS`` before ``now`` (``GroupSubmissionQuerySet.past_retention``),
    and of their history rows. Open groups are never touched. Safe to run any number of times.
    Returns how many submissions still held contact details and no longer do."""
    expired = GroupSubmission.objects.past_retention(now)
    history = GroupSubmission.history.filter(id__in=expired.values("pk"))
    return len(_erase(expired, history, user=None, reason=RETENTION_REASON))


def person_rows(email: str) -> tuple[models.QuerySet, models.QuerySet]:
    """The submissions whose sender's email is ``email`` (any case), and the history rows that
    hold it or belong to those submissions (an earlier version may hold a mistyped address)
    and still hold some contact detail."""
    address = email.strip()
    submissions = GroupSubmission.objects.filter(submitter_email__iexact=address)
    # A list, not a subquery: erasing the submissions first must not change which rows match.
    ids = list(submissions.values_list("pk", flat=True))
    history = GroupSubmission.history.filter(Q(submitter_email__iexact=address) | Q(id__in=ids)).filter(
        holds_any(GroupSubmission.PRIVATE_FIELDS)
    )
    return GroupSubmission.objects.filter(pk__in=ids), history


def person_data(email: str) -> dict[str, Any]:
    """A copy of what the portal holds about the sender with ``email`` on new groups:
    ``{"group_submissions": [{field: value}], "group_submission_history": [{field: value,
    "history_date", "history_type"}]}``, JSON-serialisable with ``DjangoJSONEncoder``; related
    records as their names. Empty lists when nothing is held."""
    submissions, history = person_rows(email)
    records = [
        plain_values(obj)
        for obj in submissions.select_related("organisation", "reviewer", "locality", "decided_by", "duplicate_of")
    ]
    versions = [
        {
            "group_submission_id": row.id,
            "status": row.status,
            **{name: getattr(row, name) for name in GroupSubmission.PRIVATE_FIELDS},
            "history_date": row.history_date,
            "history_type": row.get_history_type_display(),
        }
        for row in history.order_by("id", "history_date")
    ]
    return {"group_submissions": records, "group_submission_history": versions}


def person_summary(email: str) -> tuple[list[str], int]:
    """``(labels, history_row_count)`` of the new groups ``email`` sent (“new group “Name””),
    what the officer confirms before erasing."""
    submissions, history = person_rows(email)
    held = GroupSubmission.objects.filter(Q(pk__in=submissions.values("pk")) | Q(pk__in=history.values("id")))
    labels = [f"new group “{name}”" for name in held.order_by("pk").values_list("organisation__name", flat=True)]
    return labels, history.count()


def erase_person(email: str, *, user: User) -> list[int]:
    """Erase the contact details of the sender with ``email`` from every submission and history
    row (UK GDPR article 17), recorded as ``user``'s. Returns the ids of the submissions touched
    (the caller records them in the admin log)."""
    submissions, history = person_rows(email)
    touched = set(history.values_list("id", flat=True))
    touched.update(_erase(submissions, history, user=user, reason=ERASURE_REASON))
    return sorted(touched)
