"""Where a request for support goes: the anchor for its area (issue 13's "front door"), by the
rule of ``organisations.routing`` (the anchor that leads the place, else its network's
coordinator, else officers), and the place a postcode district stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count

from core.models import PublishableQuerySet
from core.validators import is_outward_code, is_postcode, normalise_postcode, outward_code
from localities.models import Locality
from organisations.models import Network, Organisation
from organisations.routing import anchor_for_place

from .models import SupportRoute


@dataclass(frozen=True)
class Route:
    anchor: Organisation | None
    network: Network | None
    route: SupportRoute


def route_for(locality: Locality) -> Route:
    """Where a request about ``locality`` goes: the place's anchor by the rule of
    ``organisations.routing.anchor_for_place``, which "Tell us what matters here" shares. Two
    queries."""
    found = anchor_for_place(locality)
    return Route(found.anchor, found.network, SupportRoute(found.how))


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
