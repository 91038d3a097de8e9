"""Who may work with residents' voices: officers, and the editors of an organisation that is a
current anchor or coordinates a network. Which voices each sees is ``VoiceQuerySet.visible_to``;
councillors and the public see none (issue 16: "never public as written")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from core.permissions import is_officer, is_signed_in
from localities.models import Locality
from organisations.models import AnchorRole, Organisation

from .models import Voice, served_localities, voice_anchors_for

if TYPE_CHECKING:
    from core.permissions import User


def voice_working_anchors(user: User | None):
    """The organisations ``user`` edits that hold a current anchor role or coordinate a network:
    those on whose behalf they record and handle voices."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    editing = voice_anchors_for(user)
    return editing.filter(
        Q(pk__in=AnchorRole.objects.current().values("organisation_id")) | Q(coordinated_networks__isnull=False)
    ).distinct()


def can_work_with_voices(user: User | None) -> bool:
    """Whether ``user`` has a voices list at all: an officer, or an editor of an anchor."""
    return is_officer(user) or voice_working_anchors(user).exists()


def recordable_localities(user: User | None):
    """The current places ``user`` may record a voice about: every one for an officer; the
    places their anchors serve (``served_localities``) for an anchor's editor."""
    places = Locality.objects.current()
    if is_officer(user):
        return places
    return places.filter(pk__in=served_localities(user).values("pk"))


def can_change_voice(user: User | None, voice: Voice) -> bool:
    """Whether ``user`` may tag, merge, cite or move ``voice``: anyone who may see it, unless the
    resident asked for it to be removed (nothing is left to work with)."""
    if voice.is_erased:
        return False
    return Voice.objects.visible_to(user).filter(pk=voice.pk).exists()
