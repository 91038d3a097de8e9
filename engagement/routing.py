"""Where a request for support goes: the anchor for its area (issue 13's "front door").

The rule, for a request about ``locality`` (a ward, an area or a district):

1. **The anchor that leads the place**: walking up from ``locality`` through the places above
   it, the first with a current *leading* anchor role (``AnchorRole.objects.leading``: a lead
   anchor in a tiered network such as Kirklees, a peer anchor in one without tiers such as
   Leeds) takes it. A ward with a local anchor still goes to its area's lead anchor first:
   the lead anchor shares the work out, as the Kirklees operating agreement has it. Among
   several at the same place, a lead anchor comes before a peer anchor, then by name.
2. **Else the network**: the coordinator of the network covering the place's district
   (Voluntary Action Leeds, Third Sector Leaders Kirklees) takes it, e.g. a request about the
   whole of Leeds, or a ward whose anchor has left.
3. **Else officers**: nobody covers the place; the request waits, unrouted, for an officer to
   choose its anchor in the admin.

Archived organisations never receive requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count

from core.models import PublishableQuerySet
from core.validators import is_outward_code, is_postcode, normalise_postcode, outward_code
from localities.models import Locality
from organisations.models import AnchorRole, AnchorRoleKind, Network, Organisation

from .models import SupportRoute


@dataclass(frozen=True)
class Route:
    anchor: Organisation | None
    network: Network | None
    route: SupportRoute


def route_for(locality: Locality) -> Route:
    """Where a request about ``locality`` goes, by the module's rule. Two queries."""
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
        kind = SupportRoute.LEAD_ANCHOR if role.role == AnchorRoleKind.LEAD_ANCHOR else SupportRoute.ANCHOR
        return Route(role.organisation, role.network, kind)
    district_id = nearest_first[-1]
    network = (
        Network.objects.filter(district_id=district_id)
        .select_related("coordinator")
        .exclude(PublishableQuerySet.archived_condition("coordinator__"))
        .order_by("name")
        .first()
    )
    if network is not None and network.coordinator is not None:
        return Route(network.coordinator, network, SupportRoute.NETWORK)
    return Route(None, network, SupportRoute.UNROUTED)


def postcode_district(text: str) -> str:
    """The postcode district (outward code, ``LS14``) of a full postcode or of an outward code
    as typed, or ``""`` when ``text`` is neither."""
    if is_postcode(text):
        return outward_code(normalise_postcode(text))
    if is_outward_code(text):
        return re.sub(r"\s+", "", text).upper()
    return ""


def locality_for_postcode_district(district: str) -> Locality | None:
    """The current place that published organisations with a postcode in ``district`` serve
    most often (the deeper place on a tie, then by name), or None when none has a postcode
    there. A postcode district often spans wards: this finds the place the directory links
    with it, which is enough to route by (the area's lead anchor) until a postcode lookup
    (ONS Postcode Directory) is added. One query."""
    counts = (
        Organisation.localities.through.objects.filter(
            PublishableQuerySet.public_condition("organisation__"),
            organisation__postcode_outward=district,
            locality__in=Locality.objects.current(),
        )
        .values("locality")
        .annotate(organisations=Count("organisation", distinct=True))
    )
    by_id = {row["locality"]: row["organisations"] for row in counts}
    if not by_id:
        return None
    places = Locality.objects.in_bulk(list(by_id))
    return max(places.values(), key=lambda place: (by_id[place.pk], place.depth, place.name))
