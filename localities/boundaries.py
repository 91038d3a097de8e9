"""Reading ward outlines from ONS GeoJSON files (no database here; ``localities.services``
saves them).

The ONS publishes ward boundaries as GeoJSON FeatureCollections (RFC 7946), one Feature per
ward, the ward's GSS code in a property named after the release: ``WD19CD`` for December 2019,
``WD24CD`` for May 2024, lower case in some redistributions (``wd19cd``), and ``gss_code`` in
the files this project ships (``localities/data/README.md``). Source: ONS Open Geography
portal, "Wards (December 2019) Boundaries UK BGC" and later releases.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import GSS_CODE_REGEX

# 5 decimal places of a degree is about 1 m on the ground: finer than any generalised (BGC)
# release is drawn to, and it keeps a ward's outline a few kilobytes.
COORDINATE_DECIMALS = 5

_CODE_PROPERTY = re.compile(r"^(wd(\d{2})cd|gss_code)$", re.IGNORECASE)
_GSS_CODE = re.compile(GSS_CODE_REGEX)

# The statement the Open Government Licence v3.0 asks for, as the ONS words it for its
# boundary products ("Attribution statements", ONS Open Geography portal licences page).
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right {year}"
)


class BoundaryFileError(ValueError):
    """The file is not a GeoJSON FeatureCollection of ward polygons; the message says where."""


@dataclass(frozen=True)
class WardFeature:
    """One ward outline from a file: its GSS code and a GeoJSON ``MultiPolygon`` geometry
    (a Polygon is wrapped into one), coordinates rounded to ``COORDINATE_DECIMALS``."""

    gss_code: str
    geometry: dict[str, Any]


@dataclass(frozen=True)
class BoundaryFile:
    """What a file holds: its features in file order, and the year of the release when the
    code property names one (``WD19CD`` → 2019), else None."""

    features: list[WardFeature]
    year: int | None


def read_boundary_file(path: Path) -> BoundaryFile:
    """Read and check a GeoJSON file of ward boundaries.

    Raises ``BoundaryFileError`` when the file cannot be read, is not JSON, is not a
    FeatureCollection, or a feature has no ward code, a malformed code, a code already seen,
    or a geometry that is not a valid Polygon or MultiPolygon.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BoundaryFileError(f"Cannot read {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise BoundaryFileError(f"Cannot read {path}: it is not UTF-8 text.") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryFileError(f"{path} is not valid JSON: {exc}") from exc
    except RecursionError:
        # Nesting deeper than Python's stack: no GeoJSON file is shaped like that.
        raise BoundaryFileError(f"{path} is not valid GeoJSON: it is nested too deeply.") from None
    return parse_feature_collection(data)


def parse_feature_collection(data: Any) -> BoundaryFile:
    """Check a decoded GeoJSON FeatureCollection; see ``read_boundary_file`` for the errors."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError('The file is not a GeoJSON FeatureCollection (no "type": "FeatureCollection").')
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        raise BoundaryFileError('The FeatureCollection has no "features" list.')
    features: list[WardFeature] = []
    seen: set[str] = set()
    years: set[int] = set()
    for number, feature in enumerate(raw_features, start=1):
        where = f"Feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryFileError(f"{where} is not a GeoJSON Feature.")
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            raise BoundaryFileError(f"{where} has no properties.")
        code, year = _ward_code(properties, where)
        if code in seen:
            raise BoundaryFileError(f"{where}: ward {code} appears twice in the file.")
        seen.add(code)
        if year is not None:
            years.add(year)
        features.append(WardFeature(code, _multipolygon(feature.get("geometry"), f"{where} ({code})")))
    return BoundaryFile(features, years.pop() if len(years) == 1 else None)


def _ward_code(properties: dict[str, Any], where: str) -> tuple[str, int | None]:
    """The ward's GSS code and the release year its property name gives (None for ``gss_code``)."""
    for name, value in properties.items():
        match = _CODE_PROPERTY.match(str(name))
        if match is None:
            continue
        code = str(value).strip().upper() if value is not None else ""
        if not _GSS_CODE.match(code):
            raise BoundaryFileError(f"{where}: {name} is {value!r}, not a GSS code like E05011385.")
        year = 2000 + int(match.group(2)) if match.group(2) else None
        return code, year
    raise BoundaryFileError(f"{where} has no ward code property (WD19CD, WD24CD or similar, or gss_code).")


def _multipolygon(geometry: Any, where: str) -> dict[str, Any]:
    """``geometry`` checked and returned as a MultiPolygon with rounded coordinates."""
    if not isinstance(geometry, dict):
        raise BoundaryFileError(f"{where} has no geometry.")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise BoundaryFileError(f"{where}: the geometry is a {kind}, not a Polygon or MultiPolygon.")
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryFileError(f"{where}: the geometry has no coordinates.")
    return {"type": "MultiPolygon", "coordinates": [_polygon(polygon, where) for polygon in polygons]}


def _polygon(polygon: Any, where: str) -> list[list[list[float]]]:
    if not isinstance(polygon, list) or not polygon:
        raise BoundaryFileError(f"{where}: a polygon has no rings.")
    return [_ring(ring, where) for ring in polygon]


def _ring(ring: Any, where: str) -> list[list[float]]:
    # RFC 7946 3.1.6: a linear ring has four or more positions, the last equal to the first.
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryFileError(f"{where}: a ring has fewer than four positions.")
    points = [_position(position, where) for position in ring]
    if points[0] != points[-1]:
        raise BoundaryFileError(f"{where}: a ring does not end where it starts.")
    return points


def _position(position: Any, where: str) -> list[float]:
    if not isinstance(position, list) or len(position) < 2:
        raise BoundaryFileError(f"{where}: a position is not [longitude, latitude].")
    lon, lat = position[0], position[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        raise BoundaryFileError(f"{where}: a position holds something other than numbers.")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BoundaryFileError(
            f"{where}: position {lon}, {lat} is not a longitude and latitude (is the file in WGS 84?)."
        )
    return [round(float(lon), COORDINATE_DECIMALS), round(float(lat), COORDINATE_DECIMALS)]
