"""Distances between points given in WGS 84 degrees (the ONS Postcode Directory's centroids),
at the scale of a council: a few tens of miles, where the Earth may be taken as flat.

The equirectangular approximation (longitude scaled by the cosine of a reference latitude)
is within 0.5% of the great-circle distance over 50 km at the latitudes of England; it needs
no trigonometry in SQL, so SQLite and PostgreSQL without PostGIS both compute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Metres in one degree of latitude on a sphere of the Earth's mean radius (6,371,008.8 m, IUGG).
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
# The international mile (Weights and Measures Act 1985): 1,609.344 metres.
METRES_PER_MILE = 1_609.344


@dataclass(frozen=True)
class Origin:
    """The point distances are measured from: ``latitude`` and ``longitude`` in degrees, and
    ``scale``, the cosine of its latitude, by which a difference in longitude is multiplied to
    read as a difference in latitude (degrees "north" and "east" then measure alike)."""

    latitude: float
    longitude: float

    @property
    def scale(self) -> float:
        return math.cos(math.radians(self.latitude))

    def box(self, metres: float) -> tuple[float, float, float, float]:
        """(south, north, west, east) in degrees: the box ``metres`` around the point on each
        side, for an indexed range filter before any distance is computed."""
        north = metres / METRES_PER_DEGREE
        east = north / max(self.scale, 1e-6)
        return self.latitude - north, self.latitude + north, self.longitude - east, self.longitude + east


def metres_from_squared_degrees(distance_squared: float) -> float:
    """A distance in metres from its square in scaled degrees (what the SQL computes, see
    ``organisations.models.OrganisationQuerySet.with_distance_from``)."""
    return math.sqrt(distance_squared) * METRES_PER_DEGREE


def miles_text(metres: float) -> str:
    """A distance for a resident, in miles to one decimal place: "0.8 miles", "1 mile",
    "12.4 miles"; "less than 0.1 miles" for anything closer. ``ValueError`` if negative."""
    if metres < 0:
        raise ValueError("A distance cannot be negative.")
    miles = round(metres / METRES_PER_MILE, 1)
    if miles < 0.1:
        return _("less than 0.1 miles")
    if miles == 1:
        return _("1 mile")
    return _("%(miles)s miles") % {"miles": f"{miles:g}"}
