"""Background tasks of the organisations app (django-tasks): the email about a new group sent
for review. It takes the submission's id, works out its recipients when it runs, and sends
once however often it runs (``core.notifications.send_once``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import absolute_url, send_once

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
