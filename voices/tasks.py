"""Background tasks of residents' voices (django-tasks): telling the anchor a voice arrived,
telling a resident who consented that their voice moved on, and the daily retention job. Each
takes ids, works out its recipients when it runs, and sends once per event however often it
runs (``core.notifications.send_once``)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from core.notifications import absolute_url, send_once
from organisations.models import MembershipRole

from . import privacy
from .models import Voice, VoiceStatus

logger = logging.getLogger(__name__)


def _anchor_recipients(voice: Voice) -> list[str]:
    """The active editors of the anchor the voice was routed to (its public email when none
    has an address); the officers when nobody covers the place. One query."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    if voice.anchor is None:
        return list(users.filter(is_staff=True).values_list("email", flat=True))
    editors = list(
        users.filter(memberships__organisation=voice.anchor, memberships__role=MembershipRole.EDITOR).values_list(
            "email", flat=True
        )
    )
    return editors or [voice.anchor.email]


@task()
def voice_notify_anchor(voice_id: int) -> bool:
    """Tell the anchor a voice sent online has arrived, with a link to it. The email names the
    place, never what the resident wrote nor who they are (an email is easily forwarded)."""
    voice = Voice.objects.select_related("anchor", "locality").get(pk=voice_id)
    return send_once(
        key=f"voice-{voice.pk}-received-by-anchor",
        template="voice_new",
        context={
            "place": voice.locality.name,
            "link": absolute_url(voice.get_absolute_url()),
            "list_link": absolute_url(reverse("voices:list")),
        },
        recipients=_anchor_recipients(voice),
    )


@task()
def voice_notify_resident(voice_id: int, status: str) -> bool:
    """Tell the resident their voice is now at ``status`` (a ``VoiceStatus`` value), once per
    status, only while they consented to be contacted back and still have an email address
    (retention or their request to remove it erases it). Returns whether it sent."""
    voice = Voice.objects.select_related("anchor", "locality").get(pk=voice_id)
    if not (voice.may_contact and voice.contact_email) or voice.is_erased or voice.status != status:
        return False
    return send_once(
        key=f"voice-{voice.pk}-status-{status}",
        template="voice_status",
        context={
            "place": voice.locality.name,
            "anchor_name": voice.anchor.name if voice.anchor and voice.anchor.is_public else "",
            "status": str(VoiceStatus(status).label).lower(),
            "reason": voice.status_reason if voice.is_not_taken_forward else "",
            "privacy_link": absolute_url(reverse("portal:privacy")),
        },
        recipients=[voice.contact_email],
    )


@task()
def voice_erase_expired_contacts() -> int:
    """The daily retention job: erase the contact details residents gave with voices heard
    longer ago than ``VOICE_RETENTION_DAYS`` (``voices.privacy.erase_expired_contacts``).
    Returns how many voices it erased."""
    count = privacy.erase_expired_contacts()
    logger.info("Retention: erased the contact details of %d residents' voices.", count)
    return count
