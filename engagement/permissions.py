"""Who may do what with requests for support. Lists are ``SupportRequest.objects.visible_to``;
these answer for one person or record. None raises for an anonymous or inactive user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import is_officer
from organisations.models import Organisation

from .models import SupportRequest

if TYPE_CHECKING:
    from core.permissions import User


def can_see_request_queue(user: User | None) -> bool:
    """Officers, and editors of an organisation requests can be routed to: one with a current
    anchor role, or a network's coordinator."""
    if is_officer(user):
        return True
    editing = Organisation.objects.with_member(user, editors_only=True)
    return editing.exclude(pk__in=Organisation.objects.community_groups().values("pk")).exists()


def can_handle_request(user: User | None, request: SupportRequest) -> bool:
    """Whether ``user`` may see ``request`` (with its contact details) and move it on: officers,
    and the editors of the organisation it is routed to."""
    return SupportRequest.objects.visible_to(user).filter(pk=request.pk).exists()
