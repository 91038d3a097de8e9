"""Server-rendered SVG charts (core.charts and templates/components/charts/): the maths, the
empty states, and that what the templates draw is valid SVG with its text alternatives."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from core.charts import (
    Band,
    MapArea,
    Projection,
    band_of,
    bar_chart,
    choropleth_map,
    format_number,
    line_chart,
    nice_ticks,
    simplify,
    value_bands,
)

SVG = "{http://www.w3.org/2000/svg}"
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
BAR_TEXT = {"chart_id": "kinds", "title": "Engagements by kind", "description": "Visits lead."}
LINE_TEXT = {
    "chart_id": "trend",
    "title": "Engagements by quarter",
    "description": "Rising.",
    "period_heading": "Quarter",
}
MAP_TEXT = {"chart_id": "wards", "title": "Groups by ward", "description": "Most in Armley."}


def bars(rows):
    return bar_chart(rows, **BAR_TEXT, label_heading="Kind", value_heading="Engagements")


def svgs(html: str) -> list[ET.Element]:
    """Every <svg> in ``html``, parsed as XML (so a malformed one fails the test)."""
    return [ET.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def chart_svg(html: str) -> ET.Element:
    images = [svg for svg in svgs(html) if svg.get("role") == "img"]
    assert len(images) == 1
    return images[0]


def assert_labelled(svg: ET.Element, title: str) -> None:
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == title
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.find(f"{SVG}desc").text


# ---------------------------------------------------------------------------------------------
# Scales and numbers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("maximum", "integers", "ticks"),
    [
        (7, True, [0, 2, 4, 6, 8]),
        (10, True, [0, 2, 4, 6, 8, 10]),
        (1, True, [0, 1]),
        (3, True, [0, 1, 2, 3]),
        (0, True, [0, 1]),
        (123, True, [0, 50, 100, 150]),
        (0.7, False, [0, 0.2, 0.4, 0.6, 0.8]),
        (12, False, [0, 2.5, 5, 7.5, 10, 12.5]),
    ],
)
def test_axis_ticks_run_from_zero_to_a_round_number_at_or_above_the_largest_value(maximum, integers, ticks):
    assert nice_ticks(maximum, integers=integers) == pytest.approx(ticks)


def test_numbers_read_as_people_write_them():
    assert [format_number(v) for v in (1234, 12.26, 3.0, 0, 2.04)] == ["1,234", "12.3", "3", "0", "2"]


# ---------------------------------------------------------------------------------------------
# Bar chart
# ---------------------------------------------------------------------------------------------
def test_bars_are_as_long_as_their_value_on_the_scale():
    chart = bars([("Visit", 8), ("Phone call", 2), ("Email", 0)])

    visit, call, email = chart.bars
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]
    assert visit.bar_width == pytest.approx(4 * call.bar_width)
    assert email.bar_width == 0
    assert chart.ticks[-1].position == pytest.approx(chart.plot_left + visit.bar_width)
    assert visit.label_y < visit.bar_y < call.label_y  # each label sits above its own bar


def test_one_value_fills_the_scale():
    (only,) = bars([("Visit", 1)]).bars
    assert only.text == "1"
    assert only.bar_width > 500


@pytest.mark.parametrize(
    ("rows", "message"), [([], "no figures to show"), ([("Visit", 0), ("Email", 0)], "Every figure is 0")]
)
def test_nothing_to_compare_gives_a_clear_empty_state(rows, message):
    chart = bars(rows)
    assert chart.is_empty
    html = render_to_string("components/charts/bar.html", {"chart": chart})
    assert message in html
    assert "<svg" not in html


@pytest.mark.parametrize("value", [-1, math.nan, math.inf, "3", True, None])
def test_a_value_that_is_not_a_count_is_refused(value):
    with pytest.raises(ValueError, match="Visit"):
        bars([("Visit", value)])


def test_the_bar_chart_renders_valid_svg_with_its_title_description_and_table():
    chart = bars([("Visit", 8), ("Phone call", 2, "/admin/engagement/?kind=call")])

    html = render_to_string("components/charts/bar.html", {"chart": chart})

    svg = chart_svg(html)
    assert_labelled(svg, "Engagements by kind")
    assert len(svg.findall(f"{SVG}rect")) == 2
    assert [t.text for t in svg.findall(f"{SVG}text") if t.get("class") == "app-chart__label"] == [
        "Visit",
        "Phone call",
    ]
    assert "style=" not in html
    table = html[html.index("<table") :]
    assert re.search(r"Visit</th>\s*<td[^>]*>8</td>", table)
    assert '<a class="govuk-link" href="/admin/engagement/?kind=call">Phone call</a>' in table


def test_labels_are_escaped_in_the_svg():
    html = render_to_string("components/charts/bar.html", {"chart": bars([("Tea & <b>cake</b>", 3)])})
    assert "<b>" not in html
    assert chart_svg(html).find(f"{SVG}text").text  # still parses


# ---------------------------------------------------------------------------------------------
# Line chart
# ---------------------------------------------------------------------------------------------
def lines(periods, series):
    return line_chart(periods, series, **LINE_TEXT)


def test_points_are_spread_across_the_periods_and_up_the_scale():
    chart = lines(["2025 Q1", "2025 Q2", "2025 Q3"], [("Visits", [0, 5, 10])])

    first, middle, last = chart.series[0].points
    assert (first.x, last.x) == (chart.plot_left, chart.plot_right)
    assert middle.x == pytest.approx((first.x + last.x) / 2)
    assert first.y == chart.plot_bottom
    assert last.y == chart.plot_top
    assert middle.y == pytest.approx((first.y + last.y) / 2)


def test_a_period_without_a_figure_breaks_the_line_and_shows_a_dash_in_the_table():
    chart = lines(["Q1", "Q2", "Q3", "Q4"], [("Visits", [1, 2, None, 4]), ("Calls", [1, 1, 1, 1])])

    visits, calls = chart.series
    assert len(visits.paths) == 2
    assert len(visits.points) == 3
    assert chart.table.rows[2].label == "Q3"
    assert [cell.text for cell in chart.table.rows[2].cells] == ["–", "1"]
    assert visits.points[0].marker != calls.points[0].marker  # shapes differ, not only colours


def test_a_single_period_is_drawn_in_the_middle():
    chart = lines(["2025 Q1"], [("Visits", [3])])
    (point,) = chart.series[0].points
    assert point.x == pytest.approx((chart.plot_left + chart.plot_right) / 2)


def test_many_periods_label_only_some_of_them_on_the_axis():
    quarters = [f"{year} Q{q}" for year in range(2021, 2026) for q in range(1, 5)]
    chart = lines(quarters, [("Visits", list(range(20)))])
    shown = [p.text for p in chart.periods if p.shown]
    assert quarters[0] in shown
    assert quarters[-1] in shown
    assert len(shown) < len(quarters)
    assert len(chart.table.rows) == 20  # the table keeps every period


@pytest.mark.parametrize(
    ("periods", "series", "message"),
    [
        ([], [("Visits", [])], "no periods"),
        (["Q1"], [], "no periods"),
        (["Q1", "Q2"], [("Visits", [None, 0])], "Every figure is 0"),
    ],
)
def test_a_line_chart_with_nothing_to_draw_says_so(periods, series, message):
    chart = lines(periods, series)
    assert chart.is_empty
    assert message in render_to_string("components/charts/line.html", {"chart": chart})


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ([("Visits", [1])], "has 1 values for 2 periods"),
        ([("Visits", [1, -2])], "never below 0"),
        ([(f"S{i}", [1, 1]) for i in range(6)], "at most 5"),
    ],
)
def test_a_line_chart_refuses_data_it_cannot_draw_honestly(series, message):
    with pytest.raises(ValueError, match=message):
        lines(["Q1", "Q2"], series)


def test_the_line_chart_renders_valid_svg_with_a_legend_and_table():
    chart = lines(["Q1", "Q2"], [("Visits", [1, 3]), ("Calls", [2, 2])])

    html = render_to_string("components/charts/line.html", {"chart": chart})

    svg = chart_svg(html)
    assert_labelled(svg, "Engagements by quarter")
    line_classes = [p.get("class") for p in svg.findall(f"{SVG}path") if "app-chart__line" in p.get("class")]
    assert line_classes == ["app-chart__line app-chart__series--1", "app-chart__line app-chart__series--2"]
    keys = [svg for svg in svgs(html) if svg.get("aria-hidden") == "true"]
    assert len(keys) == 2
    assert re.search(r"Q2</th>\s*<td[^>]*>3</td>\s*<td[^>]*>2</td>", html)


# ---------------------------------------------------------------------------------------------
# Map: projection, simplification, classes
# ---------------------------------------------------------------------------------------------
def test_projection_scales_longitude_by_the_cosine_of_latitude():
    # A one-degree square centred on 60°N is half as wide as it is tall (cos 60° = 0.5).
    square = [[[0, 59.5], [1, 59.5], [1, 60.5], [0, 60.5], [0, 59.5]]]
    projection = Projection.fit(square, width=100, max_height=1000, padding=0)

    assert projection.height == pytest.approx(200, rel=1e-3)
    assert projection.point(0, 60.5) == pytest.approx((0, 0))
    assert projection.point(1, 59.5) == pytest.approx((100, 200), rel=1e-3)


def test_projection_puts_north_up_and_centres_a_tall_shape():
    tall = [[[0, 0], [1, 0], [1, 4], [0, 4], [0, 0]]]
    projection = Projection.fit(tall, width=100, max_height=100, padding=0)

    assert projection.height == 100
    west_x, north_y = projection.point(0, 4)
    east_x, south_y = projection.point(1, 0)
    assert north_y == pytest.approx(0)
    assert south_y == pytest.approx(100)
    assert west_x == pytest.approx(100 - east_x)  # centred across the width
    assert east_x - west_x == pytest.approx(25, rel=1e-3)


def test_simplification_drops_points_within_the_tolerance_and_keeps_the_corners():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (3, 3)]
    assert simplify(line, 0.5) == [(0, 0), (3, 0), (3, 3)]
    assert simplify(line, 0.05) == line


def test_simplification_keeps_a_closed_ring_closed():
    ring = [(0, 0), (5, 0.01), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert simplify(ring, 0.5) == [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], ["0", "1 to 3", "4 to 6", "7 to 9"]),
        ([1, 2], ["1", "2"]),
        ([3, 3, 3], ["3"]),
        ([0, 0], ["0"]),
        ([], []),
    ],
)
def test_values_fall_into_a_few_classes_with_zero_apart(values, labels):
    assert [band.label for band in value_bands(values)] == labels


def test_every_value_falls_in_the_class_whose_range_holds_it():
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    bands = value_bands(values)
    for value in values:
        band = band_of(value, bands)
        assert band.lower <= value <= band.upper
    assert band_of(0, bands) == Band(1, 0, 0, "0")


def test_a_ward_without_an_outline_is_listed_not_dropped():
    chart = choropleth_map(
        [MapArea("Armley", 3, SQUARE, "/areas/armley/"), MapArea("Horsforth", 1, None)],
        **MAP_TEXT,
        name_heading="Ward",
        value_heading="Groups",
        attribution=["Source: ONS", "Source: ONS"],
    )

    assert [shape.name for shape in chart.shapes] == ["Armley"]
    assert chart.missing == ["Horsforth"]
    assert [row.name for row in chart.rows] == ["Armley", "Horsforth"]
    assert chart.attribution == ["Source: ONS"]
    html = render_to_string("components/charts/map.html", {"chart": chart})
    assert "No boundary for: Horsforth." in html
    assert "Source: ONS" in html
    assert 'Horsforth <span class="govuk-body-s">(no boundary)</span>' in html


def test_the_map_renders_valid_svg_with_patterns_legend_and_table():
    holed = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[2, 0], [4, 0], [4, 2], [2, 2], [2, 0]], [[2.5, 0.5], [3.5, 0.5], [3.5, 1.5], [2.5, 1.5], [2.5, 0.5]]]
        ],
    }
    chart = choropleth_map(
        [MapArea("Armley", 0, SQUARE), MapArea("Pudsey", 6, holed)],
        **MAP_TEXT,
        name_heading="Ward",
        value_heading="Groups",
    )

    html = render_to_string("components/charts/map.html", {"chart": chart})

    svg = chart_svg(html)
    assert_labelled(svg, "Groups by ward")
    areas = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "app-chart-map__area"]
    assert [a.get("fill") for a in areas] == ["url(#wards-band-1)", "url(#wards-band-2)"]
    assert areas[1].get("d").count("M") == 2  # the hole is kept
    pattern_ids = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert pattern_ids == {"wards-band-1", "wards-band-2"}
    assert "Key: groups" in html
    assert all(0 <= float(v) <= 640 for a in areas for v in re.findall(r"[\d.]+", a.get("d")))


def test_a_map_where_no_ward_has_an_outline_still_gives_the_table():
    chart = choropleth_map([MapArea("Horsforth", 2, None)], **MAP_TEXT, name_heading="Ward", value_heading="Groups")
    html = render_to_string("components/charts/map.html", {"chart": chart})
    assert not svgs(html)
    assert "No boundary for: Horsforth." in html
    assert "<table" in html


def test_a_map_of_nothing_says_so():
    chart = choropleth_map([], **MAP_TEXT, name_heading="Ward", value_heading="Groups")
    assert chart.is_empty
    assert "no areas to show" in render_to_string("components/charts/map.html", {"chart": chart})


def test_a_map_refuses_a_negative_value_and_a_point_geometry():
    with pytest.raises(ValueError, match="never below 0"):
        choropleth_map([MapArea("Armley", -1, SQUARE)], **MAP_TEXT, name_heading="Ward", value_heading="Groups")
    with pytest.raises(ValueError, match="Point"):
        choropleth_map(
            [MapArea("Armley", 1, {"type": "Point", "coordinates": [0, 0]})],
            **MAP_TEXT,
            name_heading="Ward",
            value_heading="Groups",
        )
