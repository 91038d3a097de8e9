"""Background tasks of the network's activity (django-tasks): the emails about a request for
support. Each takes the request's id, works out its recipients when it runs, and sends once
per event however often it runs (``core.notifications.send_once``)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import absolute_url, send_once
from organisations.models import MembershipRole

from . import privacy
from .models import SupportRequest, acknowledge_within_days

logger = logging.getLogger(__name__)


def _anchor_recipients(request: SupportRequest) -> list[str]:
    """The editors of the organisation the request is routed to (for a request routed to the
    network, its coordinator's); when none has an address, the organisation's public email;
    for an unrouted request, the officers."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    if request.anchor is None:
        return list(users.filter(is_staff=True).values_list("email", flat=True))
    editors = list(
        users.filter(memberships__organisation=request.anchor, memberships__role=MembershipRole.EDITOR).values_list(
            "email", flat=True
        )
    )
    return editors or [request.anchor.email]


@task()
def support_request_notify_anchor(request_id: int) -> bool:
    """Tell whoever the request is routed to that it has arrived, with a link to it."""
    request = SupportRequest.objects.select_related("anchor", "locality").get(pk=request_id)
    return send_once(
        key=f"support-request-{request.pk}-received-by-anchor",
        template="support_request_new",
        context={
            "reference": request.reference,
            "area": request.locality.name if request.locality else request.postcode_district,
            "acknowledge_by": request.acknowledge_by,
            "days": acknowledge_within_days(),
            "link": absolute_url(request.get_absolute_url()),
            "queue_link": absolute_url(reverse("engagement:request_queue")),
        },
        recipients=_anchor_recipients(request),
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
