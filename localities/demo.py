"""The places of the demo data (see ``core.demo``): the Leeds and Kirklees districts, the
Kirklees areas and every ward, old and new, from ``localities.demo_data``, and the wards'
outlines from the ONS files shipped in ``localities/data/`` (see its README)."""

from __future__ import annotations

from pathlib import Path

from core.demo import DemoLoader

from . import demo_data as data
from .boundaries import ONS_ATTRIBUTION, read_boundary_file
from .models import Locality, LocalityKind, WardBoundary
from .services import ward_boundaries_import

BOUNDARY_FILES = sorted((Path(__file__).parent / "data").glob("*-wards-2019.geojson"))
BOUNDARY_SOURCE = "ONS Wards (December 2019) Boundaries EW BGC"

# Localities by (kind, name): ("district", "Leeds"), ("area", "Batley and Spen"), ("ward", ...).
Places = dict[tuple[str, str], Locality]


def load_demo_localities(loader: DemoLoader) -> Places:
    """Save every district, area and ward; returns them by (kind, name)."""
    places: Places = {}
    slugs = data.locality_slugs()
    for district in data.DISTRICTS:
        places["district", district.name] = loader.upsert(
            Locality,
            {"slug": district.slug},
            {
                "name": district.name,
                "kind": LocalityKind.DISTRICT,
                "parent": None,
                "gss_code": district.gss_code,
                "description": district.description,
                "valid_from": None,
                "valid_to": None,
            },
        )
    for area in data.AREAS:
        places["area", area.name] = loader.upsert(
            Locality,
            {"slug": area.slug},
            {
                "name": area.name,
                "kind": LocalityKind.AREA,
                "parent": places["district", area.district],
                "gss_code": None,
                "description": data.area_description(area),
                "valid_from": None,
                "valid_to": None,
            },
        )
    for ward in (*data.WARDS, *data.KIRKLEES_NEW_WARDS):
        parent_key = ("area", ward.area) if ward.area else ("district", ward.district)
        is_new = ward in data.KIRKLEES_NEW_WARDS
        is_abolished = ward.district == data.KIRKLEES and ward.name in data.KIRKLEES_ABOLISHED_WARDS
        places["ward", ward.name] = loader.upsert(
            Locality,
            {"slug": slugs["ward", ward.name]},
            {
                "name": ward.name,
                "kind": LocalityKind.WARD,
                "parent": places[parent_key],
                "gss_code": ward.gss_code or None,
                "description": data.ward_description(ward),
                "valid_from": data.KIRKLEES_NEW_WARDS_FROM if is_new else None,
                "valid_to": data.KIRKLEES_OLD_WARDS_TO if is_abolished else None,
            },
        )
    load_demo_boundaries(loader)
    return places


def load_demo_boundaries(loader: DemoLoader) -> None:
    """Give the demo wards their December 2019 outlines; counted like the other records (a
    second run changes nothing)."""
    for path in BOUNDARY_FILES:
        report = ward_boundaries_import(
            features=read_boundary_file(path).features,
            source=BOUNDARY_SOURCE,
            attribution=ONS_ATTRIBUTION.format(year=2019),
        )
        loader.created[WardBoundary.__name__] += report.created
        loader.updated[WardBoundary.__name__] += report.updated
