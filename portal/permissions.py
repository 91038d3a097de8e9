"""Who may do what at the project level: submit and read the quarterly contract returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.permissions import is_officer, is_signed_in
from organisations.models import Network, Organisation

if TYPE_CHECKING:
    from core.permissions import User


def networks_returning_for(user: User | None) -> QuerySet[Network]:
    """The networks whose quarterly returns ``user`` may submit and read: every network for an
    officer; for an editor of a network's coordinating organisation, that network (ADR 0005:
    the coordinator answers to the council for its network); none for anyone else."""
    if is_officer(user):
        return Network.objects.all()
    if not is_signed_in(user):
        return Network.objects.none()
    return Network.objects.filter(coordinator__in=Organisation.objects.with_member(user, editors_only=True))


def may_submit_return(user: User | None, network: Network | None) -> bool:
    """Whether ``user`` may submit ``network``'s return (no query for an officer)."""
    if network is None:
        return False
    return is_officer(user) or networks_returning_for(user).filter(pk=network.pk).exists()
