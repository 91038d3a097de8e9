"""Background tasks of the network's activity (django-tasks): the emails about a request for
support. Each takes the request's id, works out its recipients when it runs, and sends once
per event however often it runs (``core.notifications.send_once``)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import Email, absolute_url, send_once, send_once_each
from organisations.models import MembershipRole, Organisation

from . import privacy
from .models import Engagement, SupportRequest, acknowledge_within_days

logger = logging.getLogger(__name__)


def _editors_by_organisation(organisation_ids: Iterable[int]) -> dict[int | None, list[str]]:
    """``{organisation id: its active editors' email addresses}`` for ``organisation_ids``, and
    under ``None`` the officers' addresses (who get what no organisation has). Two queries."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    found: dict[int | None, list[str]] = defaultdict(list)
    found[None] = list(users.filter(is_staff=True).values_list("email", flat=True))
    editors = users.filter(
        memberships__organisation__in=set(organisation_ids), memberships__role=MembershipRole.EDITOR
    ).values_list("memberships__organisation", "email")
    for organisation_id, email in editors:
        found[organisation_id].append(email)
    return found


def _anchor_recipients(anchor: Organisation | None, editors: dict[int | None, list[str]]) -> list[str]:
    """The editors of ``anchor`` (the organisation a request is routed to: for a request routed
    to the network, its coordinator); when none has an address, the organisation's public
    email; without an anchor (an unrouted request), the officers."""
    if anchor is None:
        return editors[None]
    return editors.get(anchor.pk) or [anchor.email]


def _request_context(request: SupportRequest) -> dict:
    return {
        "reference": request.reference,
        "area": request.locality.name if request.locality else request.postcode_district,
        "acknowledge_by": request.acknowledge_by,
        "days": acknowledge_within_days(),
        "link": absolute_url(request.get_absolute_url()),
        "queue_link": absolute_url(reverse("engagement:request_queue")),
    }


@task()
def support_request_notify_anchor(request_id: int) -> bool:
    """Tell whoever the request is routed to that it has arrived, with a link to it."""
    request = SupportRequest.objects.select_related("anchor", "locality").get(pk=request_id)
    editors = _editors_by_organisation([request.anchor_id] if request.anchor_id else [])
    return send_once(
        key=f"support-request-{request.pk}-received-by-anchor",
        template="support_request_new",
        context=_request_context(request),
        recipients=_anchor_recipients(request.anchor, editors),
    )


@task()
def support_request_send_receipt(request_id: int) -> bool:
    """Acknowledge the request to the person who sent it, with its reference and who has it."""
    request = SupportRequest.objects.select_related("anchor", "network").get(pk=request_id)
    anchor = request.anchor if request.anchor is not None and request.anchor.is_public else None
    return send_once(
        key=f"support-request-{request.pk}-receipt",
        template="support_request_received",
        context={
            "reference": request.reference,
            "contact_name": request.contact_name,
            "anchor_name": anchor.name if anchor else "",
            "network_name": request.network.name if request.network else "",
            "acknowledge_by": request.acknowledge_by,
            "privacy_link": absolute_url(reverse("portal:privacy")),
        },
        recipients=[request.contact_email],
    )


@task()
def support_request_erase_expired_contacts() -> int:
    """The daily retention job: erase the contact details of requests closed longer ago than
    ``SUPPORT_REQUEST_RETENTION_DAYS`` (``engagement.privacy.erase_expired_contacts``).
    Returns how many requests it erased."""
    count = privacy.erase_expired_contacts()
    logger.info("Retention: erased the contact details of %d closed requests for support.", count)
    return count


@task()
def send_overdue_reminders() -> int:
    """The daily reminders: once per request still not acknowledged after its deadline
    (``SupportRequestQuerySet.overdue``), to the editors of the anchor it is routed to; once per
    engagement whose follow-up is due and not done (``EngagementQuerySet.follow_ups_due``), to
    the engagement's ``staff`` (without one, or without an address, the anchor's editors). A
    follow-up moved to a later day is reminded again on that day. A fixed number of queries
    however many there are. Returns how many emails (events) it sent."""
    requests = list(SupportRequest.objects.overdue().select_related("anchor", "locality"))
    follow_ups = list(
        Engagement.objects.follow_ups_due().select_related("staff", "anchor").prefetch_related("organisations")
    )
    editors = _editors_by_organisation(
        [r.anchor_id for r in requests if r.anchor_id] + [e.anchor_id for e in follow_ups]
    )
    emails = [
        Email(
            key=f"support-request-{request.pk}-overdue",
            template="support_request_overdue",
            context=_request_context(request),
            recipients=_anchor_recipients(request.anchor, editors),
        )
        for request in requests
    ]
    for engagement in follow_ups:
        staff = engagement.staff
        has_address = staff is not None and staff.is_active and staff.email
        emails.append(
            Email(
                key=f"engagement-{engagement.pk}-follow-up-{engagement.follow_up_on:%Y-%m-%d}",
                template="engagement_follow_up_due",
                context={
                    "kind": engagement.get_kind_display(),
                    "occurred_on": engagement.occurred_on,
                    "follow_up_on": engagement.follow_up_on,
                    "anchor": engagement.anchor.name,
                    "outcome": engagement.outcome,
                    "organisations": [
                        (organisation.name, absolute_url(organisation.get_absolute_url()))
                        for organisation in engagement.organisations.all()
                    ],
                },
                recipients=[staff.email] if has_address else _anchor_recipients(engagement.anchor, editors),
            )
        )
    return send_once_each(emails)
