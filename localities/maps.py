"""Ward maps: wards and a value for each, in; a ``core.charts.ChoroplethMap`` out, for
``templates/components/charts/map.html``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.charts import ChoroplethMap, MapArea, Number, choropleth_map

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
    areas, attribution = [], []
    for ward in wards:
        boundary = ward_boundary(ward)
        if boundary is not None:
            attribution += [f"Boundaries: {boundary.source}.", boundary.attribution]
        areas.append(
            MapArea(
                ward.name,
                values.get(ward.pk, 0),
                boundary.geometry if boundary is not None else None,
                ward.get_absolute_url(),
            )
        )
    return choropleth_map(
        areas,
        chart_id=chart_id,
        title=title,
        description=description,
        name_heading=name_heading,
        value_heading=value_heading,
        attribution=attribution,
    )
