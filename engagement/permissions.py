"""Who may do what in the network's activity: the engagement log, the skills and assets
exchange and requests for support. Lists are QuerySet methods (``ExchangeEntry.objects.visible_to(user)``,
``.editable_by(user)``, ``SupportRequest.objects.visible_to(user)``); these functions answer the
questions the pages ask about one person or one record. None raises for an anonymous or
inactive user: they simply grant nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import is_officer
from organisations.models import AnchorRole, Organisation, OrganisationQuerySet

from .models import Engagement, ExchangeEntry, SupportRequest, anchors_acted_for

if TYPE_CHECKING:
    from core.permissions import User


# ------------------------------------------------------------------------------------------
# The engagement log
# ------------------------------------------------------------------------------------------
def engagement_anchors_for(user: User | None) -> OrganisationQuerySet:
    """The organisations on whose log ``user`` may record engagements (ADR 0005's scopes):
    officers, every organisation that keeps one (a current anchor role, or coordinating a
    network); an anchor's editors, their anchor; a network coordinator's editors, the
    coordinator and its network's anchors (``anchors_acted_for``). A community group keeps no
    log, so editing one gives none."""
    keepers = Organisation.objects.exclude(pk__in=Organisation.objects.community_groups().values("pk"))
    if is_officer(user):
        return keepers
    return keepers.filter(pk__in=anchors_acted_for(user).values("pk"))


def may_record_engagements(user: User | None) -> bool:
    return engagement_anchors_for(user).exists()


def can_change_engagement(user: User | None, engagement: Engagement) -> bool:
    """Whether ``user`` may change ``engagement`` (``Engagement.objects.editable_by``)."""
    return Engagement.objects.editable_by(user).filter(pk=engagement.pk).exists()


# ------------------------------------------------------------------------------------------
# The skills and assets exchange
# ------------------------------------------------------------------------------------------
def exchange_organisations_for(user: User | None) -> OrganisationQuerySet:
    """The organisations whose offers and needs ``user`` may add, change and close, and on
    whose behalf they may accept a match: officers, any; anyone else, those they are an editor
    of (``Membership``). A lead anchor's editors do not speak for the groups of their area
    here: what a group offers or needs is the group's to say."""
    if is_officer(user):
        return Organisation.objects.all()
    return Organisation.objects.with_member(user, editors_only=True)


def may_add_to_exchange(user: User | None) -> bool:
    return exchange_organisations_for(user).exists()


def organisations_able_to_meet(user: User | None, need: ExchangeEntry) -> OrganisationQuerySet:
    """The organisations ``user`` speaks for (``exchange_organisations_for``) that have a
    current offer of ``need``'s skill or asset, other than the needing organisation itself."""
    offering = ExchangeEntry.objects.current().offers().filter(term_id=need.term_id).values("organisation_id")
    return exchange_organisations_for(user).filter(pk__in=offering).exclude(pk=need.organisation_id).order_by("name")


# ------------------------------------------------------------------------------------------
# Requests for support
# ------------------------------------------------------------------------------------------
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


def relationship_anchors_for(user: User | None) -> OrganisationQuerySet:
    """The organisations whose support relationships ``user`` may add: those of
    ``engagement_anchors_for`` holding a current anchor role (a coordinator that is no anchor
    gives no support of its own: ``SupportRelationship.clean``)."""
    return engagement_anchors_for(user).filter(pk__in=AnchorRole.objects.current().values("organisation_id"))
