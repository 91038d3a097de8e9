"""Writes of the network's activity that have side effects: a request for support received,
and each step it takes (recorded on the engagement log, with its emails)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import enqueue_on_commit
from localities.models import Locality

from . import tasks
from .models import Engagement, EngagementKind, SupportRequest, SupportRequestStatus
from .permissions import can_handle_request
from .routing import route_for

STEP_OUTCOMES = {
    SupportRequestStatus.ACKNOWLEDGED: "Request %(reference)s acknowledged.",
    SupportRequestStatus.IN_PROGRESS: "Work started on request %(reference)s.",
    SupportRequestStatus.CLOSED: "Request %(reference)s closed: %(outcome)s",
}


@transaction.atomic
def support_request_submit(
    *,
    group_name: str,
    need: str,
    locality: Locality,
    postcode_district: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
) -> SupportRequest:
    """Save a request from the public form, routed by ``engagement.routing.route_for``, with its
    reference; once saved, the anchor's editors are told and the requester gets the reference
    (``engagement.tasks``). The person consented by sending the form (the form requires it).

    Raises:
        ValidationError: a field is not valid (the form checks them first).
    """
    route = route_for(locality)
    request = SupportRequest(
        group_name=group_name,
        need=need,
        locality=locality,
        postcode_district=postcode_district,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        consented_at=timezone.now(),
        anchor=route.anchor,
        network=route.network,
        route=route.route,
        # Unique until the record has its number; replaced just below.
        reference=f"NEW-{timezone.now():%H%M%S%f}",
    )
    request.full_clean()
    request.save()
    request.reference = SupportRequest.reference_for(request.pk, timezone.localdate(request.created_at).year)
    request.save(update_fields=["reference"])
    enqueue_on_commit(tasks.support_request_notify_anchor, request.pk)
    enqueue_on_commit(tasks.support_request_send_receipt, request.pk)
    return request


@transaction.atomic
def support_request_advance(
    *, request: SupportRequest, user, to_status: str, expected_status: str, outcome: str = ""
) -> SupportRequest:
    """Move ``request`` one step on (``NEXT_STATUSES``) and record the step on the anchor's
    engagement log (kind "Request for support", by ``user``). Closing needs an ``outcome``.

    Raises:
        PermissionDenied: ``user`` may not handle this request.
        ValidationError: the request is no longer at ``expected_status`` (someone moved it
            meanwhile: nothing is changed), the step is not allowed, the outcome is missing, or
            the request has no anchor yet.
    """
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not can_handle_request(user, locked):
        raise PermissionDenied(_("You cannot change this request."))
    if locked.status != expected_status:
        raise ValidationError(
            _("Someone else changed this request meanwhile: it is now “%(status)s”. Check it, then try again.")
            % {"status": locked.get_status_display()},
            code="stale",
        )
    if to_status not in locked.next_statuses():
        raise ValidationError(_("Choose one of the next steps shown."), code="invalid_step")
    if locked.anchor_id is None:
        raise ValidationError(_("Choose the anchor for this request first, in the admin."), code="unrouted")
    outcome = outcome.strip()
    if to_status == SupportRequestStatus.CLOSED and not outcome:
        raise ValidationError({"outcome": _("Say what came of the request before closing it")})
    now = timezone.now()
    locked.status = to_status
    if to_status == SupportRequestStatus.ACKNOWLEDGED or locked.acknowledged_at is None:
        locked.acknowledged_at = locked.acknowledged_at or now
    if to_status == SupportRequestStatus.CLOSED:
        locked.closed_at, locked.outcome = now, outcome
    locked.save(update_fields=["status", "acknowledged_at", "closed_at", "outcome", "updated_at"])
    Engagement.objects.create(
        anchor_id=locked.anchor_id,
        occurred_on=timezone.localdate(now),
        kind=EngagementKind.SUPPORT_REQUEST,
        staff=user,
        outcome=(STEP_OUTCOMES[to_status] % {"reference": locked.reference, "outcome": outcome})[:300],
        support_request=locked,
    )
    return locked
