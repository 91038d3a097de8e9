"""Ward maps: wards and a value for each, in; a ``core.charts.ChoroplethMap`` out, for
``templates/components/charts/map.html``. Or a few wards and a point, in; a small locator map
(``core.charts.OutlineMap``) out, for ``templates/components/charts/outline_map.html``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.charts import ChoroplethMap, MapArea, Number, OutlineMap, choropleth_map, outline_map

from .models import Locality
from .selectors import ward_boundary


def ward_map(
    wards: Sequence[Locality],
    values: Mapping[int, Number],
    *,
    chart_id: str,
    title: str,
    description: str,
    value_heading: str,
    name_heading: str = "Ward",
) -> ChoroplethMap:
    """A map of ``wards`` (from ``localities.selectors.ward_list_with_boundaries``, so their
    outlines are loaded) shaded by ``values`` (ward id → a count or rate, at least 0; a ward
    missing from it counts 0). Each table row links to the ward's page. The boundaries'
    release and licence statement (OGL v3.0 for the ONS files) come with the map, as the
    licence requires wherever they are drawn. No query. ``ValueError`` for a negative value.
    """
    outlines, attribution = _outlines(wards)
    areas = [
        MapArea(ward.name, values.get(ward.pk, 0), geometry, ward.get_absolute_url()) for ward, geometry in outlines
    ]
    return choropleth_map(
        areas,
        chart_id=chart_id,
        title=title,
        description=description,
        name_heading=name_heading,
        value_heading=value_heading,
        attribution=attribution,
    )


def ward_locator_map(
    wards: Sequence[Locality],
    *,
    chart_id: str,
    title: str,
    description: str,
    point: tuple[float, float] | None = None,
) -> OutlineMap:
    """A small map of ``wards`` (their ``boundary`` loaded, as ``select_related("boundary")``
    does) with ``point`` ((longitude, latitude) in degrees, e.g. a postcode's centroid) marked;
    the boundaries' release and licence statement come with it. A ward without a boundary is
    named in ``missing``, not drawn. No query."""
    outlines, attribution = _outlines(wards)
    areas = [(ward.name, geometry) for ward, geometry in outlines]
    return outline_map(
        areas, chart_id=chart_id, title=title, description=description, point=point, attribution=attribution
    )


def _outlines(wards: Sequence[Locality]) -> tuple[list[tuple[Locality, dict | None]], list[str]]:
    """Each ward with its GeoJSON geometry (None without a boundary), and the release and
    licence statement of every boundary drawn, which the licence (OGL v3.0 for the ONS files)
    requires wherever they are drawn. No query once ``boundary`` is loaded."""
    outlines, attribution = [], []
    for ward in wards:
        boundary = ward_boundary(ward)
        if boundary is not None:
            attribution += [f"Boundaries: {boundary.source}.", boundary.attribution]
        outlines.append((ward, boundary.geometry if boundary is not None else None))
    return outlines, attribution
