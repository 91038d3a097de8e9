"""Background tasks of the organisations app (django-tasks): the emails about a new group sent
for review (to its reviewers when it arrives, to its sender when it is decided) and the daily
erasure of decided groups' senders' contact details. Each takes ids, works out its recipients
when it runs, and sends once however often it runs (``core.notifications.send_once``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import absolute_url, send_once

from . import privacy
from .models import GroupSubmission, MembershipRole


def _reviewer_recipients(submission: GroupSubmission) -> list[str]:
    """The editors of the anchor reviewing the group; when none has an address, the anchor's
    public email; when no anchor covers the area, the officers."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    if submission.reviewer is None:
        return list(users.filter(is_staff=True).values_list("email", flat=True))
    editors = list(
        users.filter(
            memberships__organisation=submission.reviewer, memberships__role=MembershipRole.EDITOR
        ).values_list("email", flat=True)
    )
    return editors or [submission.reviewer.email]


@task()
def group_submission_notify_reviewer(submission_id: int) -> bool:
    """Tell the anchor reviewing a new group that it has arrived, with a link to the review."""
    submission = GroupSubmission.objects.select_related("reviewer", "locality").get(pk=submission_id)
    return send_once(
        key=f"group-submission-{submission.pk}-received-by-reviewer",
        template="group_submission_new",
        context={
            "area": submission.locality.name if submission.locality else "",
            "has_duplicates": bool(submission.warned_about),
            "link": absolute_url(reverse("organisations:new_groups")),
        },
        recipients=_reviewer_recipients(submission),
    )


@task()
def group_submission_notify_submitter(submission_id: int) -> bool:
    """Tell the person who sent a new group what the review decided (published, already listed,
    or declined with the reason), once. Nothing is sent while it is open, nor once the
    sender's details have been erased."""
    submission = GroupSubmission.objects.select_related("organisation", "reviewer", "duplicate_of").get(
        pk=submission_id
    )
    if submission.is_open:
        return False
    duplicate = submission.duplicate_of
    # A public page only: the sender must not learn of a draft or archived record (ADR 0006).
    listed = duplicate if duplicate is not None and duplicate.is_public else None
    if submission.was_published:
        link = submission.organisation.get_absolute_url()
    elif listed is not None:
        link = listed.get_absolute_url()
    else:
        link = ""
    return send_once(
        key=f"group-submission-{submission.pk}-decided",
        template="group_submission_decided",
        context={
            "submitter_name": submission.submitter_name,
            "group_name": submission.organisation.name,
            "reviewer_name": submission.reviewer.name if submission.reviewer and submission.reviewer.is_public else "",
            "published": submission.was_published,
            "merged": submission.was_merged,
            "duplicate_name": listed.name if listed is not None else "",
            "reason": submission.decline_reason,
            "link": absolute_url(link) if link else "",
            "privacy_link": absolute_url(reverse("portal:privacy")),
        },
        recipients=[submission.submitter_email],
    )


@task()
def group_submission_erase_expired_contacts() -> int:
    """Daily: erase the contact details of the senders of groups decided more than
    ``GROUP_SUBMISSION_RETENTION_DAYS`` ago (``organisations.privacy.erase_expired_contacts``).
    Returns how many submissions it changed."""
    return privacy.erase_expired_contacts()
