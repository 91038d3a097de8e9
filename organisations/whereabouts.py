"""Where an organisation is, for its public page: a small map of the wards it serves (those of an
area it serves whole too) drawn from the imported ward boundaries
(``localities.maps.ward_locator_map``), and directions links that
need no tile server and no third-party script: a plain link to OpenStreetMap's directions (or
its search, where the portal has no coordinates) and a ``geo:`` URI (RFC 5870) that a phone
opens in its own map app."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from core.charts import OutlineMap
from localities.maps import ward_locator_map
from localities.models import Locality, LocalityKind
from localities.selectors import ward_list_within

from .models import Organisation

OSM_DIRECTIONS = "https://www.openstreetmap.org/directions"
OSM_SEARCH = "https://www.openstreetmap.org/search"


@dataclass(frozen=True)
class Whereabouts:
    """``wards``: the current wards the organisation serves, or that lie in an area it serves
    (by name); ``map``: their locator
    map, or None when none has a boundary; ``unmapped``: the wards with no boundary, to name in
    text; ``directions``: (link text, address) pairs."""

    wards: list[Locality]
    map: OutlineMap | None
    unmapped: list[str]
    directions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.wards and not self.directions


def organisation_whereabouts(organisation: Organisation) -> Whereabouts:
    """Where ``organisation`` (from ``organisation_detail_public``: localities with their
    boundaries, ``centroid_latitude``/``centroid_longitude``) is. The wards drawn are those it
    serves and, for an area it serves whole, the area's wards, as the area's own page draws
    them; a whole district's too, where its postcode puts a dot among them (without one, a map
    of the entire council says no more than the "Areas served" link to the district's page,
    which draws the same wards). No query for an organisation serving wards only; one
    (``ward_list_within``) where it serves a larger place."""
    latitude = getattr(organisation, "centroid_latitude", None)
    longitude = getattr(organisation, "centroid_longitude", None)
    located = latitude is not None and longitude is not None
    served = [locality for locality in organisation.localities.all() if locality.is_current()]
    wider_kinds = {LocalityKind.AREA, LocalityKind.DISTRICT} if located else {LocalityKind.AREA}
    drawn = [locality for locality in served if locality.kind == LocalityKind.WARD or locality.kind in wider_kinds]
    wider = any(locality.kind != LocalityKind.WARD for locality in drawn)
    wards = ward_list_within(drawn) if wider else drawn
    if wider:
        description = _("Map of the wards of %(places)s, which %(name)s serves.") % {
            "places": _names(locality.name for locality in drawn),
            "name": organisation.name,
        }
    else:
        description = _("Map of %(wards)s, the %(kind)s %(name)s serves.") % {
            "wards": _names(ward.name for ward in wards),
            "kind": _("ward") if len(wards) == 1 else _("wards"),
            "name": organisation.name,
        }
    if located:
        description += " " + _("The red dot marks its postcode, %(postcode)s.") % {"postcode": organisation.postcode}
    locator = ward_locator_map(
        wards,
        chart_id="where-map",
        title=_("Where %(name)s is") % {"name": organisation.name},
        description=description,
        point=(longitude, latitude) if located else None,
    )
    return Whereabouts(
        wards=wards,
        map=None if locator.is_empty else locator,
        unmapped=locator.missing,
        directions=_directions(organisation, latitude, longitude) if located else _search(organisation),
    )


def _directions(organisation: Organisation, latitude: float, longitude: float) -> list[tuple[str, str]]:
    point = f"{latitude:.5f},{longitude:.5f}"
    return [
        (
            _("Directions to %(name)s on OpenStreetMap") % {"name": organisation.name},
            f"{OSM_DIRECTIONS}?{urlencode({'to': point})}",
        ),
        (_("Open its location in your map app"), f"geo:{point}"),
    ]


def _search(organisation: Organisation) -> list[tuple[str, str]]:
    """Without coordinates: the postcode on OpenStreetMap, where there is one."""
    if not organisation.postcode:
        return []
    return [
        (
            _("Find %(postcode)s on OpenStreetMap") % {"postcode": organisation.postcode},
            f"{OSM_SEARCH}?{urlencode({'query': organisation.postcode})}",
        )
    ]


def _names(names) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
