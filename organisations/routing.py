"""Which organisation answers for a place: the anchor that leads it, else its network's
coordinator, else nobody (officers). The one statement of the rule behind every public form that
sends something to "the anchor for your area": a request for support (``engagement.routing``)
and a resident's voice (``voices``), so both reach the same anchor.

The rule, for ``locality`` (a ward, an area or a district):

1. **The anchor that leads the place**: walking up from ``locality`` through the places above
   it, the first with a current *leading* anchor role (``AnchorRole.objects.leading``: a lead
   anchor in a tiered network such as Kirklees, a peer anchor in one without tiers such as
   Leeds) takes it. A ward with a local anchor still goes to its area's lead anchor first:
   the lead anchor shares the work out, as the Kirklees operating agreement has it. Among
   several at the same place, a lead anchor comes before a peer anchor, then by name.
2. **Else the network**: the coordinator of the network covering the place's district
   (Voluntary Action Leeds, Third Sector Leaders Kirklees) takes it, e.g. something about the
   whole of Leeds, or a ward whose anchor has left.
3. **Else officers**: nobody covers the place; it waits, unrouted, for an officer.

Archived organisations never receive anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import PublishableQuerySet
from localities.models import Locality

from .models import AnchorRole, AnchorRoleKind, Network, Organisation

# How a place's anchor was found: the values engagement's ``SupportRoute`` stores.
LEAD_ANCHOR, ANCHOR, NETWORK, UNROUTED = "lead_anchor", "anchor", "network", "unrouted"


@dataclass(frozen=True)
class PlaceAnchor:
    """Who answers for a place: ``anchor`` (None when unrouted), its ``network`` (when known)
    and ``how`` it was found (one of ``LEAD_ANCHOR``, ``ANCHOR``, ``NETWORK``, ``UNROUTED``)."""

    anchor: Organisation | None
    network: Network | None
    how: str


def anchor_for_place(locality: Locality) -> PlaceAnchor:
    """Who answers for ``locality``, by the module's rule. Two queries."""
    nearest_first = [locality.pk, *reversed(locality.ancestor_ids)]
    roles = list(
        AnchorRole.objects.leading()
        .filter(locality_id__in=nearest_first)
        .exclude(PublishableQuerySet.archived_condition("organisation__"))
        .select_related("organisation", "network")
    )
    if roles:
        role = min(
            roles,
            key=lambda r: (
                nearest_first.index(r.locality_id),
                r.role != AnchorRoleKind.LEAD_ANCHOR,
                r.organisation.name,
            ),
        )
        return PlaceAnchor(
            role.organisation, role.network, LEAD_ANCHOR if role.role == AnchorRoleKind.LEAD_ANCHOR else ANCHOR
        )
    district_id = nearest_first[-1]
    network = (
        Network.objects.filter(district_id=district_id)
        .select_related("coordinator")
        .exclude(PublishableQuerySet.archived_condition("coordinator__"))
        .order_by("name")
        .first()
    )
    if network is not None and network.coordinator is not None:
        return PlaceAnchor(network.coordinator, network, NETWORK)
    return PlaceAnchor(None, network, UNROUTED)
