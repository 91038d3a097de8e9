"""Charts drawn on the server as SVG: plain data in, a small structure out, which a template
include draws (``templates/components/charts/bar.html``, ``line.html``, ``map.html``).

Every coordinate is worked out here, in SVG user units (the drawing's ``viewBox``, 640 wide;
CSS scales it to the column), so templates only place elements: no arithmetic, no inline
styles, no JavaScript. Colours, line patterns and fonts are CSS classes in
``static/scss/anchornet.scss`` (``app-chart…``), chosen for WCAG 2.2 1.4.11 non-text contrast
(3:1 against white for bars, lines and outlines) and never the only cue: lines differ by dash
and marker shape, map classes by pattern, and every chart has a table of the same numbers.

Domain-free: the callers (the area page, the dashboard) pass labels, numbers and GeoJSON
geometries. Values are counts or rates, never negative: a negative, NaN or infinite value
raises ``ValueError``, as does a series whose length differs from the periods'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Number = int | float
Point = tuple[float, float]

WIDTH = 640.0
FONT_SIZE = 16.0  # user units; the CSS sets the same, so layout and text agree

# The 1, 2, 5 steps of a "nice" axis (2.5 too for decimals): ticks a reader can count in.
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_NICE_INTEGER_STEPS = (1.0, 2.0, 5.0, 10.0)

# Line charts tell series apart by dash pattern and marker shape as well as colour (CSS
# classes app-chart__series--1 … 5), so no more series than styles.
MAX_SERIES = 5
MARKER_RADIUS = 4.5

# Map classes: at most this many, the first for exactly 0 when some area has 0.
MAX_BANDS = 5
# Outlines are simplified to this many user units before drawing: a pixel at full size.
# Leeds's 27 outlines go from 2,636 positions to about 1,360 (18 KB of SVG rather than 28).
MAP_TOLERANCE = 1.0


# ---------------------------------------------------------------------------------------------
# Numbers and scales
# ---------------------------------------------------------------------------------------------
def check_value(value: Any, where: str = "value") -> Number:
    """``value`` if it is a finite number of at least 0; ``ValueError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} is {value!r}, not a number.")
    if not math.isfinite(value):
        raise ValueError(f"{where} is {value}, not a finite number.")
    if value < 0:
        raise ValueError(f"{where} is {value}: charts here show counts and rates, never below 0.")
    return value


def format_number(value: Number) -> str:
    """``1234`` → ``"1,234"``; ``12.25`` → ``"12.3"`` (one decimal, ``.0`` dropped)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}".removesuffix(".0")


def nice_ticks(maximum: Number, *, integers: bool = True, count: int = 5) -> list[Number]:
    """Axis ticks from 0 to a round number at or above ``maximum``, about ``count`` steps of
    1, 2, 2.5 or 5 times a power of ten (no 2.5 for whole numbers): ``nice_ticks(7)`` is
    ``[0, 2, 4, 6, 8]``, ``nice_ticks(0)`` ``[0, 1]``."""
    check_value(maximum, "maximum")
    if maximum == 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = _NICE_INTEGER_STEPS if integers else _NICE_STEPS
    step = next(s * magnitude for s in steps if s * magnitude >= raw * (1 - 1e-9))
    if integers:
        step = max(1, round(step))
    top = math.ceil(maximum / step - 1e-9) * step
    ticks = [i * step for i in range(round(top / step) + 1)]
    return [int(t) if integers else round(t, 10) for t in ticks]


def _all_integers(values: Sequence[Number]) -> bool:
    return all(isinstance(v, int) or float(v).is_integer() for v in values)


def describe_values(rows: Sequence[tuple[str, Number]], *, units: tuple[str, str], limit: int = 5) -> str:
    """A sentence for a chart's ``<desc>`` naming the extremes, so a screen-reader user hears
    what the picture shows before deciding to read the table: "Most (5 groups): Armley. None:
    Pudsey; Wetherby." ``units`` is the noun, singular and plural (``("group", "groups")``).
    Names are separated by semicolons (place names hold "and"); lists stop after ``limit``
    names ("and 3 more"). ``""`` for no rows."""
    if not rows:
        return ""
    top = max(value for _, value in rows)
    sentences = []
    if top > 0:
        unit = units[0] if top == 1 else units[1]
        leaders = [label for label, value in rows if value == top]
        sentences.append(f"Most ({format_number(top)} {unit}): {_names(leaders, limit)}.")
    zero = [label for label, value in rows if value == 0]
    if zero:
        sentences.append(f"None: {_names(zero, limit)}.")
    return " ".join(sentences)


def _names(names: Sequence[str], limit: int) -> str:
    shown = "; ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


class Tick(NamedTuple):
    """A gridline: its value, as text, and where it falls (x for bars, y for lines)."""

    value: Number
    text: str
    position: float


class EmptyState:
    """A chart with nothing to draw has ``empty_text`` saying why; the template shows it instead."""

    empty_text: str

    @property
    def is_empty(self) -> bool:
        return bool(self.empty_text)


class Cell(NamedTuple):
    """A cell of a chart's data table; numbers are right-aligned, as GOV.UK tables do."""

    text: str
    numeric: bool = True


@dataclass(frozen=True)
class TableRow:
    """A row of a chart's data table: its label (a link when ``href``), a note after the label
    (e.g. "no boundary") and the other cells."""

    label: str
    cells: list[Cell]
    href: str | None = None
    note: str = ""


@dataclass(frozen=True)
class DataTable:
    """The numbers of a chart as a table (``components/charts/_table.html``): the text
    alternative every chart carries. ``headings[0]`` heads the labels."""

    caption: str
    headings: list[Cell]
    rows: list[TableRow]


# ---------------------------------------------------------------------------------------------
# Bar chart
# ---------------------------------------------------------------------------------------------
class Datum(NamedTuple):
    """One labelled value; ``href`` links its row in the table (e.g. to the records counted)."""

    label: str
    value: Number
    href: str | None = None


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: the label above the bar, the bar, the value at its end."""

    label: str
    value: Number
    text: str
    href: str | None
    label_y: float
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart(EmptyState):
    """What ``components/charts/bar.html`` draws. ``empty_text`` is set, and nothing drawn,
    when there is nothing to compare."""

    chart_id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    ticks: list[Tick]
    width: float
    height: float
    plot_left: float
    plot_top: float
    plot_bottom: float
    tick_label_y: float
    bar_height: float
    empty_text: str = ""

    @property
    def table(self) -> DataTable:
        return DataTable(
            self.title,
            [Cell(self.label_heading, numeric=False), Cell(self.value_heading)],
            [TableRow(bar.label, [Cell(bar.text)], bar.href) for bar in self.bars],
        )


def bar_chart(
    rows: Sequence[Datum | tuple],
    *,
    chart_id: str,
    title: str,
    description: str,
    label_heading: str,
    value_heading: str,
) -> BarChart:
    """A horizontal bar chart of ``rows`` — ``(label, value)`` or ``(label, value, href)`` —
    in the order given, each label above its bar so long names need no room beside it.

    The scale runs from 0 to a round number (``nice_ticks``). No rows, or every value 0, gives
    an empty chart whose ``empty_text`` says so. Raises ``ValueError`` for a negative or
    non-finite value.
    """
    data = [Datum(*row) for row in rows]
    values = [check_value(d.value, f"The value of {d.label!r}") for d in data]
    layout = {
        "chart_id": chart_id,
        "title": title,
        "description": description,
        "label_heading": label_heading,
        "value_heading": value_heading,
    }
    empty = _empty_text(values)
    if empty:
        return BarChart(
            **layout,
            bars=[],
            ticks=[],
            width=WIDTH,
            height=0,
            plot_left=0,
            plot_top=0,
            plot_bottom=0,
            tick_label_y=0,
            bar_height=0,
            empty_text=empty,
        )
    row_height, bar_height, gap = 48.0, 18.0, 6.0
    left, top, right_room = 8.0, 4.0, 64.0  # right_room: the value written after the longest bar
    plot_width = WIDTH - left - right_room
    ticks_values = nice_ticks(max(values), integers=_all_integers(values))
    top_value = ticks_values[-1]
    bars = []
    for index, datum in enumerate(data):
        row_top = top + index * row_height
        width = plot_width * datum.value / top_value
        bar_y = row_top + FONT_SIZE + gap
        bars.append(
            Bar(
                label=datum.label,
                value=datum.value,
                text=format_number(datum.value),
                href=datum.href,
                label_y=round(row_top + FONT_SIZE, 1),
                bar_y=round(bar_y, 1),
                bar_width=round(width, 1),
                value_x=round(left + width + gap, 1),
                value_y=round(bar_y + bar_height - 4, 1),
            )
        )
    plot_bottom = top + len(data) * row_height
    ticks = [Tick(v, format_number(v), round(left + plot_width * v / top_value, 1)) for v in ticks_values]
    return BarChart(
        **layout,
        bars=bars,
        ticks=ticks,
        width=WIDTH,
        height=plot_bottom + FONT_SIZE + 12,
        plot_left=left,
        plot_top=top,
        plot_bottom=plot_bottom,
        tick_label_y=plot_bottom + FONT_SIZE + 4,
        bar_height=bar_height,
    )


def _empty_text(values: Sequence[Number]) -> str:
    if not values:
        return "There are no figures to show."
    if not any(values):
        return "Every figure is 0, so there is nothing to draw."
    return ""


# ---------------------------------------------------------------------------------------------
# Line chart
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinePoint:
    """One value of a series, where it is drawn, and its marker as a path."""

    x: float
    y: float
    text: str
    marker: str


@dataclass(frozen=True)
class LineSeries:
    """A named series: ``style`` (1…5) picks its colour, dash and marker shape; ``paths`` are
    its runs of consecutive values (a period without a figure breaks the line); ``texts`` its
    values as text for the table, ``"–"`` where there is none."""

    name: str
    style: int
    points: list[LinePoint]
    paths: list[str]
    texts: list[str]

    @property
    def key_marker(self) -> str:
        """The series' marker in the middle of its legend key (a 40 by 16 drawing)."""
        return marker_path(self.style, 20, 8)


class PeriodLabel(NamedTuple):
    """A period's name under the x axis; ``shown`` is False for those skipped to avoid overlap."""

    text: str
    x: float
    shown: bool


@dataclass(frozen=True)
class LineChart(EmptyState):
    """What ``components/charts/line.html`` draws."""

    chart_id: str
    title: str
    description: str
    period_heading: str
    periods: list[PeriodLabel]
    series: list[LineSeries]
    ticks: list[Tick]
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    period_label_y: float
    empty_text: str = ""

    @property
    def tick_label_x(self) -> float:
        """Where the value axis' labels end, just left of the plot."""
        return self.plot_left - 8

    @property
    def table(self) -> DataTable:
        """A row per period, a column per series; ``"–"`` where a series has no figure."""
        return DataTable(
            self.title,
            [Cell(self.period_heading, numeric=False), *(Cell(s.name) for s in self.series)],
            [TableRow(p.text, [Cell(s.texts[i]) for s in self.series]) for i, p in enumerate(self.periods)],
        )


def line_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    chart_id: str,
    title: str,
    description: str,
    period_heading: str,
) -> LineChart:
    """A line chart of each ``(name, values)`` in ``series`` over ``periods`` (e.g. quarters,
    oldest first), ``values[i]`` being the figure for ``periods[i]`` or None for none.

    Raises ``ValueError`` when a series has another length than ``periods``, a value is
    negative or not finite, or there are more than ``MAX_SERIES`` series. No periods, no
    series, or no value above 0 gives an empty chart whose ``empty_text`` says so.
    """
    if len(series) > MAX_SERIES:
        raise ValueError(f"{len(series)} series: a line chart tells at most {MAX_SERIES} apart.")
    for name, values in series:
        if len(values) != len(periods):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(periods)} periods.")
    present = [
        check_value(v, f"The value of {name!r} for {periods[i]!r}")
        for name, values in series
        for i, v in enumerate(values)
        if v is not None
    ]
    left, right, top, bottom_room = 56.0, 40.0, 12.0, 36.0  # right: half of "2025 Q4" centred on the last point
    height = 320.0
    plot_right, plot_bottom = WIDTH - right, height - bottom_room
    chart = {
        "chart_id": chart_id,
        "title": title,
        "description": description,
        "period_heading": period_heading,
        "width": WIDTH,
        "height": height,
        "plot_left": left,
        "plot_right": plot_right,
        "plot_top": top,
        "plot_bottom": plot_bottom,
        "period_label_y": plot_bottom + FONT_SIZE + 8,
    }
    empty = "There are no periods to show." if not periods or not series else _empty_text(present)
    if empty:
        return LineChart(**chart, periods=[], series=[], ticks=[], empty_text=empty)
    ticks_values = nice_ticks(max(present), integers=_all_integers(present))
    top_value = ticks_values[-1]

    def x_of(i: int) -> float:
        if len(periods) == 1:
            return round((left + plot_right) / 2, 1)
        return round(left + (plot_right - left) * i / (len(periods) - 1), 1)

    def y_of(value: Number) -> float:
        return round(plot_bottom - (plot_bottom - top) * value / top_value, 1)

    # About one label per 64 units (four characters of "2025 Q1" overlap otherwise).
    every = max(1, math.ceil(len(periods) / max(1, (plot_right - left) // 64)))
    labels = [PeriodLabel(p, x_of(i), i % every == 0 or i == len(periods) - 1) for i, p in enumerate(periods)]
    drawn = []
    for style, (name, values) in enumerate(series, start=1):
        points, paths, run = [], [], []
        for i, value in enumerate(values):
            if value is None:
                if run:
                    paths.append(_polyline(run))
                run = []
                continue
            x, y = x_of(i), y_of(value)
            run.append((x, y))
            points.append(LinePoint(x, y, format_number(value), marker_path(style, x, y)))
        if run:
            paths.append(_polyline(run))
        texts = ["–" if v is None else format_number(v) for v in values]
        drawn.append(LineSeries(name, style, points, paths, texts))
    ticks = [Tick(v, format_number(v), y_of(v)) for v in ticks_values]
    return LineChart(**chart, periods=labels, series=drawn, ticks=ticks)


def _polyline(points: Sequence[Point]) -> str:
    """An SVG path through ``points``; one point alone is a zero-length stroke, which round
    line caps draw as a dot."""
    d = "M" + " L".join(f"{x:g},{y:g}" for x, y in points)
    return d if len(points) > 1 else f"{d} l0,0"


def marker_path(style: int, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """The marker of series ``style`` centred on (x, y): 1 circle, 2 square, 3 triangle,
    4 diamond, 5 a downward triangle, so series differ in shape, not only colour."""
    if style == 1:
        return f"M{x - r:g},{y:g} a{r:g},{r:g} 0 1,0 {2 * r:g},0 a{r:g},{r:g} 0 1,0 {-2 * r:g},0 Z"
    corners = {
        2: [(-r, -r), (r, -r), (r, r), (-r, r)],
        3: [(0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)],
        4: [(0, -r * 1.3), (r * 1.3, 0), (0, r * 1.3), (-r * 1.3, 0)],
        5: [(0, r * 1.2), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)],
    }[style]
    return "M" + " L".join(f"{round(x + dx, 1):g},{round(y + dy, 1):g}" for dx, dy in corners) + " Z"


# ---------------------------------------------------------------------------------------------
# Map: projection, simplification, classes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """Longitude/latitude in degrees to SVG user units: equirectangular, longitudes shrunk by
    the cosine of the middle latitude so shapes keep their proportions at that latitude (over
    a district the error is well under 1%), north up, fitted into ``width`` with ``padding``
    on every side. ``height`` is what the drawing then needs."""

    min_lon: float
    max_lat: float
    scale: float  # user units per degree of latitude
    x_factor: float  # cos(middle latitude)
    offset_x: float
    offset_y: float
    width: float
    height: float

    @classmethod
    def fit(
        cls,
        rings: Sequence[Sequence[Sequence[float]]],
        *,
        width: float = WIDTH,
        max_height: float = WIDTH,
        padding: float = 4.0,
    ) -> Projection:
        """The projection that fits every position of ``rings`` (lists of ``[lon, lat]``) into
        ``width`` by at most ``max_height``, centred. ``ValueError`` when there is no position."""
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        if not lons:
            raise ValueError("Nothing to project: no positions.")
        x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - min(lons)) * x_factor
        span_y = max(lats) - min(lats)
        room_x, room_y = width - 2 * padding, max_height - 2 * padding
        candidates = [room_x / span_x if span_x else math.inf, room_y / span_y if span_y else math.inf]
        scale = min(candidates) if min(candidates) != math.inf else 1.0
        height = min(max_height, span_y * scale + 2 * padding)
        return cls(
            min_lon=min(lons),
            max_lat=max(lats),
            scale=scale,
            x_factor=x_factor,
            offset_x=padding + (room_x - span_x * scale) / 2,
            offset_y=padding + (height - 2 * padding - span_y * scale) / 2,
            width=width,
            height=height,
        )

    def point(self, lon: float, lat: float) -> Point:
        """(x, y) in user units of a longitude and latitude."""
        return (
            self.offset_x + (lon - self.min_lon) * self.x_factor * self.scale,
            self.offset_y + (self.max_lat - lat) * self.scale,
        )


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker (Douglas and Peucker, 1973): drop the points of a line that lie within
    ``tolerance`` of the simplified line, keeping both ends. A closed ring (first point equal
    to the last) stays closed. Iterative, so a long outline cannot overflow the stack."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    """Distance from ``p`` to the segment ``ab`` (to ``a`` when the segment is a point, as at
    the ends of a closed ring)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length_squared = dx * dx + dy * dy
    if length_squared == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length_squared))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def geometry_rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon; ``ValueError`` for
    another type."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return list(geometry["coordinates"])
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"Cannot draw a {kind}: only Polygon and MultiPolygon.")


@dataclass(frozen=True)
class Band:
    """A class of the map: ``index`` (1…5, lightest first) picks its colour and pattern; the
    values from ``lower`` to ``upper`` inclusive fall in it; ``label`` says so ("3 to 5")."""

    index: int
    lower: Number
    upper: Number
    label: str


def value_bands(values: Sequence[Number], *, count: int = 4) -> list[Band]:
    """Up to ``count`` classes covering ``values``: one for exactly 0 when a value is 0 (no
    activity stands apart from a little), the rest equal ranges from the smallest value above
    0 to the largest, in whole numbers when every value is whole; empty ranges are dropped.
    ``[]`` for no values. ``ValueError`` for a negative value or ``count`` outside 1…5."""
    if not 1 <= count <= MAX_BANDS:
        raise ValueError(f"count is {count}: between 1 and {MAX_BANDS} classes.")
    values = [check_value(v) for v in values]
    ranges: list[tuple[Number, Number]] = []
    if 0 in values:
        ranges.append((0, 0))
    positive = [v for v in values if v > 0]
    slots = count - len(ranges)
    if positive and slots == 0:
        ranges = []  # one class only: everything together
        slots = 1
        positive = values
    if positive:
        low, high = min(positive), max(positive)
        if _all_integers(positive):
            low, high = int(low), int(high)
            size = high - low + 1
            edges = [low + round(i * size / slots) for i in range(slots + 1)]
            ranges += [(edges[i], edges[i + 1] - 1) for i in range(slots) if edges[i + 1] > edges[i]]
        else:
            step = (high - low) / slots
            edges = [low + i * step for i in range(slots)] + [high]
            ranges += [(edges[i], edges[i + 1]) for i in range(slots)] if step else [(low, high)]
    return [
        Band(
            i,
            lower,
            upper,
            format_number(lower) if lower == upper else f"{format_number(lower)} to {format_number(upper)}",
        )
        for i, (lower, upper) in enumerate(ranges, start=1)
    ]


def band_of(value: Number, bands: Sequence[Band]) -> Band:
    """The band ``value`` falls in (the last whose lower bound it reaches)."""
    chosen = bands[0]
    for band in bands:
        if value >= band.lower:
            chosen = band
    return chosen


class MapArea(NamedTuple):
    """An area to draw: its name, its value, its GeoJSON geometry (None when no outline is
    known: it is listed beside the map) and an optional link for the table."""

    name: str
    value: Number
    geometry: dict[str, Any] | None
    href: str | None = None


@dataclass(frozen=True)
class MapShape:
    """One area as drawn: an SVG path (``fill-rule: evenodd`` keeps holes open) and its band."""

    name: str
    text: str
    band: Band
    path: str


@dataclass(frozen=True)
class MapRow:
    """A row of the map's table: every area, drawn or not."""

    name: str
    text: str
    band: Band
    href: str | None
    has_outline: bool


@dataclass(frozen=True)
class ChoroplethMap(EmptyState):
    """What ``components/charts/map.html`` draws. ``missing`` names the areas with no outline,
    which the page lists beside the map; ``attribution`` the licence statements to show."""

    chart_id: str
    title: str
    description: str
    name_heading: str
    value_heading: str
    width: float
    height: float
    shapes: list[MapShape]
    bands: list[Band]
    rows: list[MapRow]
    missing: list[str]
    attribution: list[str] = field(default_factory=list)
    empty_text: str = ""

    @property
    def table(self) -> DataTable:
        """Every area, drawn or not, with its value and class."""
        return DataTable(
            self.title,
            [Cell(self.name_heading, numeric=False), Cell(self.value_heading), Cell("Key", numeric=False)],
            [
                TableRow(
                    row.name,
                    [Cell(row.text), Cell(row.band.label, numeric=False)],
                    row.href,
                    "" if row.has_outline else "(no boundary)",
                )
                for row in self.rows
            ],
        )


def choropleth_map(
    areas: Sequence[MapArea | tuple],
    *,
    chart_id: str,
    title: str,
    description: str,
    name_heading: str,
    value_heading: str,
    attribution: Sequence[str] = (),
    band_count: int = 4,
    width: float = WIDTH,
) -> ChoroplethMap:
    """A map of ``areas`` shaded by value in up to ``band_count`` classes (``value_bands``),
    projected with ``Projection.fit`` and each outline simplified to ``MAP_TOLERANCE``.

    An area whose geometry is None is not drawn but listed in ``missing`` and kept in the
    table. No areas at all gives ``empty_text``. Raises ``ValueError`` for a negative value or
    a geometry that is not a Polygon or MultiPolygon.
    """
    items = [MapArea(*area) for area in areas]
    bands = value_bands([check_value(a.value, f"The value of {a.name!r}") for a in items], count=band_count)
    rows = [
        MapRow(a.name, format_number(a.value), band_of(a.value, bands), a.href, a.geometry is not None) for a in items
    ]
    drawn = [(a, row, geometry_rings(a.geometry)) for a, row in zip(items, rows, strict=True) if a.geometry is not None]
    shapes: list[MapShape] = []
    height = 0.0
    if drawn:
        projection = Projection.fit([ring for _, _, rings in drawn for ring in rings], width=width)
        height = projection.height
        for area, row, rings in drawn:
            shapes.append(MapShape(area.name, row.text, row.band, _outline_path(rings, projection)))
    return ChoroplethMap(
        chart_id=chart_id,
        title=title,
        description=description,
        name_heading=name_heading,
        value_heading=value_heading,
        width=width,
        height=round(height, 1),
        shapes=shapes,
        bands=bands,
        rows=rows,
        missing=[a.name for a in items if a.geometry is None],
        attribution=list(dict.fromkeys(attribution)),
        empty_text="" if items else "There are no areas to show.",
    )


def _outline_path(rings: Sequence[Sequence[Sequence[float]]], projection: Projection) -> str:
    """The SVG path of ``rings``, each projected and simplified; a ring that simplifies to a
    sliver is dropped, unless it would leave the area with nothing drawn."""
    parts = []
    projected = [[projection.point(p[0], p[1]) for p in ring] for ring in rings]
    for ring in projected:
        points = simplify(ring, MAP_TOLERANCE)
        if len(points) >= 4:
            parts.append(_ring_path(points))
    if not parts:
        parts.append(_ring_path(max(projected, key=len)))
    return " ".join(parts)


def _ring_path(points: Sequence[Point]) -> str:
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points[:-1]) + " Z"


# ---------------------------------------------------------------------------------------------
# Locator map: where something is, among a few outlines
# ---------------------------------------------------------------------------------------------
# A locator map is small: it shows where a place is, not values across a district.
LOCATOR_WIDTH = 320.0


@dataclass(frozen=True)
class OutlineMap:
    """What ``components/charts/outline_map.html`` draws: ``shapes`` (name, SVG path) of the
    areas with an outline, a ``marker`` (x, y) where a point was given, ``missing`` the names
    of the areas with no outline (named in the text, never drawn), and ``attribution`` the
    licence statements to show with the drawing. ``description`` is the text alternative."""

    chart_id: str
    title: str
    description: str
    width: float
    height: float
    shapes: list[tuple[str, str]]
    marker: Point | None
    missing: list[str]
    attribution: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no area has an outline."""
        return not self.shapes


def outline_map(
    areas: Sequence[tuple[str, dict[str, Any] | None]],
    *,
    chart_id: str,
    title: str,
    description: str,
    point: tuple[float, float] | None = None,
    attribution: Sequence[str] = (),
    width: float = LOCATOR_WIDTH,
) -> OutlineMap:
    """A locator map: the outlines of ``areas`` ((name, GeoJSON geometry or None) pairs),
    projected and simplified as ``choropleth_map`` does, and ``point`` ((longitude, latitude)
    in degrees) marked, the drawing widened to take it in. An area without a geometry is not
    drawn but named in ``missing``; with no outline at all the map ``is_empty``. Raises
    ``ValueError`` for a geometry that is not a Polygon or MultiPolygon."""
    drawn = [(name, geometry_rings(geometry)) for name, geometry in areas if geometry is not None]
    shapes: list[tuple[str, str]] = []
    marker: Point | None = None
    height = 0.0
    if drawn:
        rings = [ring for _, area_rings in drawn for ring in area_rings]
        if point is not None:
            rings.append([list(point)])
        projection = Projection.fit(rings, width=width, max_height=width, padding=8.0)
        height = projection.height
        shapes = [(name, _outline_path(area_rings, projection)) for name, area_rings in drawn]
        if point is not None:
            x, y = projection.point(*point)
            marker = (round(x, 1), round(y, 1))
    return OutlineMap(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=round(height, 1),
        shapes=shapes,
        marker=marker,
        missing=[name for name, geometry in areas if geometry is None],
        attribution=list(dict.fromkeys(attribution)) if drawn else [],
    )
