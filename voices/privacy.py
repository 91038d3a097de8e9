"""The personal data in residents' voices: the contact details erased when the retention period
ends, and a whole submission removed at the resident's request (UK GDPR article 17).

The mechanism is ``core.privacy.erase_fields``, as for requests for support
(``engagement.privacy``): simple-history keeps a copy of every field in every history row, so
each erasure blanks the history rows too. Retention keeps the text, place, themes, status and
citations, so the counts (how many residents raised a theme or an item) stay the same. A
removal also blanks what the resident wrote; the voice then says only that a resident spoke
about a place, and still counts.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.privacy import erase_fields

from .models import Voice

if TYPE_CHECKING:
    from core.permissions import User

RETENTION_REASON = "Retention period ended: contact details erased"
ERASURE_REASON = "Removed at the resident's request: text and contact details erased"


@transaction.atomic
def erase_expired_contacts(now: datetime.datetime | None = None) -> int:
    """Erase the contact details of every voice heard more than ``VOICE_RETENTION_DAYS`` before
    ``now`` (``VoiceQuerySet.past_retention``), and of their history rows. Safe to run any
    number of times; a fixed number of queries. Returns how many voices still held contact
    details and no longer do."""
    expired = Voice.objects.past_retention(now)
    history = Voice.history.filter(id__in=expired.values("pk"))
    return len(erase_fields(expired, history, fields=Voice.PRIVATE_FIELDS, user=None, reason=RETENTION_REASON))


@transaction.atomic
def erase_at_request(voices: QuerySet[Voice], *, user: User) -> int:
    """Remove ``voices`` at their resident's request: blank what they wrote and their contact
    details, in the voices and their history rows, withdraw their consent, mark them erased
    and record in the admin log that ``user`` did it, without the erased data. The voice keeps
    its place, themes, status and citations, so it still counts once. Returns how many voices
    were erased (a voice erased before is left alone)."""
    ids = list(voices.filter(erased_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    rows = Voice.objects.filter(pk__in=ids)
    history = Voice.history.filter(id__in=ids)
    erase_fields(rows, history, fields=Voice.ERASED_FIELDS, user=user, reason=ERASURE_REASON)
    # Consent and the time it was given say a person was there to ask: withdrawn with the rest.
    rows.update(erased_at=timezone.now(), may_contact=False, may_quote=False, consent_given_at=None)
    history.update(may_contact=False, may_quote=False, consent_given_at=None)
    LogEntry.objects.log_actions(user_id=user.pk, queryset=rows, action_flag=CHANGE, change_message=ERASURE_REASON)
    return len(ids)
