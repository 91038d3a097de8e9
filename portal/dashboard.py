"""The officers' monitoring dashboard (issue 14): the figures for a scope and a period, as
plain data — groups of ``(label, value)`` figures, one row per ward, one per area — so that
the page, the CSV and XLSX downloads and (later) the charts all read the same rows.

Scope follows ADR 0005 through ``engagement.selectors.outreach_patch``: officers choose any
network, area or ward; a network coordinator's editors their network's district and what lies
in it; an anchor's editors the places their organisation anchors and what lies in them; a
councillor the wards they represent (ADR 0010, ``dashboard_patch``). The counting rules live
with the records (``engagement.selectors``); this module chooses the records and arranges the
answers. The number of queries is fixed: it grows with neither wards, groups nor engagements.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import bar_chart, describe_values, line_chart
from core.db import among
from engagement.models import EngagementKind, QuietReason, SupportRequest
from engagement.selectors import (
    OutreachStatus,
    engagement_figures,
    engagements_per_period,
    exchange_figures,
    follow_up_figures,
    group_activity,
    group_figures,
    groups_known_in,
    organisations_serving,
    outreach_patch,
    place_figures,
    relationship_figures,
    request_figures,
    requests_waiting_longest,
    support_requests_in,
)
from localities.maps import ward_map
from localities.models import Locality, LocalityKind, LocalityQuerySet
from localities.selectors import localities_in_force_during, wards_in_force_during, wards_represented_by
from organisations.models import Network, Organisation
from voices.brief import voices_by_status
from voices.models import VoiceStatus

from .drill import period_query, records_url
from .periods import Period, quarters_up_to, short_label

if TYPE_CHECKING:
    from core.permissions import User

# An area is "quieter than most" when the share of its groups engaged in the period is below
# this fraction of the median area's share: a quarter below the typical area, so that one
# unlucky group in a small area does not flag it. A judgement, not a contract term.
QUIET_AREA_FRACTION = 0.75
# How many groups "supported by nobody" the page names before it says how many more.
NAMED_GROUPS_LIMIT = 20
# The trend lines: this many contract quarters up to the period's end (two years), and a line
# per area when there are at most this many (more lines than that cannot be told apart).
TREND_QUARTERS = 8
TREND_AREAS = 4


# The group figures' labels, as the overview card shows them (``engagement.selectors.GROUP_FIGURES``).
GROUP_LABELS = {
    "known": gettext_lazy("Groups known"),
    "engaged": gettext_lazy("Groups engaged in the period"),
    "new": gettext_lazy("New groups reached"),
    "quiet": gettext_lazy("Quiet groups"),
    "unsupported": gettext_lazy("Groups supported by nobody"),
}


# ------------------------------------------------------------------------------------------
# Scope: which places a person may choose
# ------------------------------------------------------------------------------------------
def scope_network(place: Locality) -> Network | None:
    """The network whose district ``place`` is, when the scope is a whole network; else None.
    One query for a district, none otherwise."""
    return Network.objects.filter(district=place).first() if place.kind == LocalityKind.DISTRICT else None


def place_label(place: Locality, network: Network | None = None) -> str:
    """How the dashboard names a scope: the network for its district ("Kirklees Community
    Anchor Network"), else "Batley and Spen area", "Batley East ward"."""
    if place.kind == LocalityKind.DISTRICT:
        return str(network or place)
    if place.kind == LocalityKind.AREA:
        return _("%(name)s area") % {"name": place.name}
    if place.kind == LocalityKind.WARD:
        return _("%(name)s ward") % {"name": place.name}
    return place.name


def dashboard_patch(user: User | None) -> LocalityQuerySet | None:
    """The places ``user`` may see the dashboard for: None for all (officers); else an
    anchor's or a coordinator's editors' patch (``outreach_patch``) and, for a councillor, the
    wards they represent today (``wards_represented_by``: in the group, in office; ADR 0010).
    Empty for anyone else."""
    patch = outreach_patch(user)
    if patch is None:
        return None
    return patch | wards_represented_by(user)


def may_see_dashboard(user: User | None) -> bool:
    """Whether ``user`` has any place to see the dashboard for (``scope_choices``): officers,
    the editors of an anchor or of a network's coordinator, and councillors in office."""
    patch = dashboard_patch(user)
    return patch is None or patch.exists()


def scope_choices(user: User | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The places ``user`` may see the dashboard for, as ``<optgroup>`` choices of locality
    slugs, in tree order: each network's district first ("Whole network: ..."), then its areas
    and wards. Only current places. Empty for someone with no patch. At most four queries."""
    patch = dashboard_patch(user)
    places = Locality.objects.current().filter(kind__in=[LocalityKind.DISTRICT, LocalityKind.AREA, LocalityKind.WARD])
    if patch is not None:
        places = places.filter(pk__in=patch.values("pk"))
    networks = {network.district_id: network for network in Network.objects.order_by("name")}
    places = list(places.only("pk", "name", "slug", "kind", "ancestor_path"))
    names = {place.pk: place.name for place in places}

    def tree_key(place: Locality) -> tuple:
        # Each area followed by its wards: the names on the path below the district.
        return (*(names.get(pk, "") for pk in place.ancestor_ids[1:]), place.name) if place.ancestor_ids else ()

    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for place in sorted(places, key=lambda place: (place.ancestor_ids[:1] or [place.pk], tree_key(place))):
        district_id = place.ancestor_ids[0] if place.ancestor_ids else place.pk
        network = networks.get(district_id)
        heading = network.name if network else (place.name if place.kind == LocalityKind.DISTRICT else "")
        options = groups.setdefault(district_id, (heading or _("Other places"), []))[1]
        if place.kind == LocalityKind.DISTRICT and network:
            label = _("Whole network: %(name)s") % {"name": network.name}
        else:
            label = place_label(place, network)
        options.append((place.slug, label))
    return list(groups.values())


# ------------------------------------------------------------------------------------------
# The figures, as plain data
# ------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Figure:
    """One number on the dashboard: its label, its value (an int, or text such as "75%"),
    and the address of the list of the records behind it (the admin's, for officers, where
    there is one; else ``portal.drill.records_url``); empty for a figure that counts no list
    of records (anchors active, organisation engagements)."""

    label: str
    value: int | str | None
    link: str = ""


@dataclasses.dataclass
class FigureGroup:
    """A summary card: a title and its figures. ``rows`` is what a chart draws."""

    key: str
    title: str
    figures: list[Figure]

    @property
    def rows(self) -> list[tuple[str, int | str | None]]:
        return [(figure.label, figure.value) for figure in self.figures]


@dataclasses.dataclass
class PlaceRow:
    """A ward's or an area's coverage: keyed by ``locality`` so a map or a population figure
    can join it. ``share_engaged`` is a percentage (0–100, whole numbers) or None with no
    groups; ``days_since_contact`` is None when no group there was ever contacted.
    ``residents`` is the place's population where an officer has entered one (``Locality.population``),
    else None."""

    locality: Locality
    groups_known: int
    groups_engaged: int
    engagements: int
    anchors: int
    quiet: int
    quiet_reasons: list[tuple[str, int]]
    last_contact_on: datetime.date | None
    days_since_contact: int | None
    residents: int | None = None
    below_median: bool = False
    # The lists behind the row's counts: ``{"groups_known" | "groups_engaged" | "engagements" |
    # "quiet": url}`` (``portal.drill.records_url``).
    links: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def share_engaged(self) -> int | None:
        return round(100 * self.groups_engaged / self.groups_known) if self.groups_known else None

    @property
    def per_thousand(self) -> float | None:
        """Engagements per 1,000 residents (one decimal place), where the place has a population
        figure (``Locality.population``, entered by officers with its source); else None."""
        return round(1000 * self.engagements / self.residents, 1) if self.residents else None


@dataclasses.dataclass
class Dashboard:
    """Everything the page shows for one scope and period."""

    place: Locality
    network: Network | None
    period: Period
    as_of: datetime.date
    groups: list[FigureGroup]
    wards: list[PlaceRow]
    areas: list[PlaceRow]
    area_median: dict[str, float | None]
    wards_without_anchor: list[Locality]
    wards_without_engagement: list[Locality]
    unsupported_groups: list
    unsupported_count: int
    waiting_longest: list
    unsupported_link: str = ""
    # What happened in the period (not states): engagements, requests received, support
    # started or ended, exchanges made. All zero: the page says nothing was recorded.
    activity_in_period: int = 0
    # Engagements per contract quarter, for the trend lines: the quarters' short labels, oldest
    # first, and (name, counts) for the whole scope and, where there are few enough, each area.
    trend_periods: list[str] = dataclasses.field(default_factory=list)
    trend: list[tuple[str, list[int]]] = dataclasses.field(default_factory=list)

    @property
    def scope_label(self) -> str:
        return place_label(self.place, self.network)

    @property
    def is_empty(self) -> bool:
        """No figure above zero (no groups known, nothing recorded): an empty network or place."""
        return all(not figure.value for group in self.groups for figure in group.figures)

    @property
    def is_quiet_period(self) -> bool:
        """Groups known, but nothing recorded in the period."""
        return not self.is_empty and not self.activity_in_period


def _admin_changelist(model: str, **params) -> str:
    return reverse(f"admin:engagement_{model}_changelist") + "?" + urlencode(params)


def build_dashboard(*, user: User | None, place: Locality, period: Period, officer: bool) -> Dashboard:
    """The dashboard for ``place`` (a district for a whole network, an area or a ward) over
    ``period``, as ``user`` sees it: every counted figure links to the list of the records
    behind it — the admin's list where there is one, for officers (``officer``); else the
    dashboard's own read-only list (``portal.drill``), which shows the same count and names
    only the records ``user`` may open — and the requests waiting longest are only those
    ``user`` may open. The caller has checked that ``user`` may choose ``place``
    (``scope_choices``)."""
    start, end, as_of, today = period.start, period.end, period.as_of, timezone.localdate()
    places = Locality.objects.subtree(place)
    # The groups known, read once: every figure below nests this set, and deciding it (no
    # anchor role, not coordinating, not archived, serving a place in scope) in each subquery
    # again cost more than the counting itself. One query; a list of ids, not of rows.
    group_ids = list(groups_known_in(places, as_of=as_of).order_by().values_list("pk", flat=True))
    groups = Organisation.objects.filter(among("id", group_ids))
    network = scope_network(place)
    requests = support_requests_in(places, district=place if place.kind == LocalityKind.DISTRICT else None)

    quarters = quarters_up_to(end, TREND_QUARTERS)
    activity = group_activity(group_ids, start=start, end=end, as_of=as_of, since=quarters[0].start)
    group_counts = group_figures(activity)
    engagements = engagement_figures(activity)
    follow_ups = follow_up_figures(groups, start=start, end=end, today=today)
    relationships = relationship_figures(groups, start=start, end=end, as_of=as_of)
    exchange = exchange_figures(organisations_serving(places), start=start, end=end, as_of=as_of)
    request_counts = request_figures(requests, start=start, end=end)

    # Links: the admin is for officers alone; everyone else (and officers, for the figures the
    # admin has no list for) gets the dashboard's own list of the same records.
    dates = {"occurred_on__gte": start.isoformat(), "occurred_on__lte": end.isoformat()}
    received = {"created_at__date__gte": start.isoformat(), "created_at__date__lte": end.isoformat()}

    def records(kind: str, figure: str, within: Locality | None = None) -> str:
        return records_url(kind, figure, place=place, period=period, within=within)

    def engagement_link(figure: str, **extra) -> str:
        if officer:
            return _admin_changelist("engagement", place=place.slug, **dates, **extra)
        return records("engagements", figure)

    def request_link(figure: str, **extra) -> str:
        if officer:
            return _admin_changelist("supportrequest", place=place.slug, **extra)
        return records("requests", figure)

    def groups(figure: str) -> Figure:
        return Figure(str(GROUP_LABELS[figure]), group_counts[figure], records("groups", figure))

    statuses = [
        Figure(str(status.label), group_counts[f"status_{status.value}"], records("groups", f"status_{status.value}"))
        for status in OutreachStatus
    ]
    kinds = engagements["by_kind"]
    figure_groups = [
        FigureGroup(
            "overview",
            _("Overview"),
            [
                Figure(_("Anchors active"), engagements["anchors"]),
                groups("known"),
                groups("engaged"),
                groups("new"),
                Figure(_("Engagements"), engagements["entries"], engagement_link("all")),
                Figure(_("Organisation engagements (once per group per engagement)"), engagements["contacts"]),
                groups("quiet"),
                groups("unsupported"),
            ],
        ),
        FigureGroup("outreach", _("Groups by outreach status"), statuses),
        FigureGroup(
            "kinds",
            _("Engagements by kind"),
            [
                Figure(
                    str(kind.label),
                    kinds.get(kind.value, {}).get("entries", 0),
                    engagement_link(f"kind_{kind.value}", kind__exact=kind.value),
                )
                for kind in EngagementKind
            ],
        ),
        FigureGroup(
            "requests",
            _("Requests for support"),
            [
                Figure(_("Received"), request_counts["received"], request_link("received", **received)),
                Figure(_("Acknowledged in time"), request_counts["in_time"], records("requests", "in_time")),
                Figure(_("Acknowledged late"), request_counts["late"], records("requests", "late")),
                Figure(
                    _("Overdue, not yet acknowledged"),
                    request_counts["overdue"],
                    request_link("overdue", **received, overdue="yes"),
                ),
            ],
        ),
        FigureGroup(
            "support",
            _("Support relationships"),
            [
                Figure(_("Started"), relationships["started"], records("relationships", "started")),
                Figure(_("Ended"), relationships["ended"], records("relationships", "ended")),
                Figure(
                    _("Active at the end of the period"),
                    relationships["active"],
                    records("relationships", "active"),
                ),
            ],
        ),
        FigureGroup(
            "exchange",
            _("Skills and assets exchange"),
            [
                Figure(_("Skills and assets offered"), exchange["offers"], records("exchange", "offers")),
                Figure(_("Skills and assets needed"), exchange["needs"], records("exchange", "needs")),
                Figure(_("Exchanges made (needs met)"), exchange["exchanges"], records("exchange", "exchanges")),
            ],
        ),
        FigureGroup(
            "follow_ups",
            _("Follow-ups"),
            [
                Figure(_("Open follow-ups due in the period"), follow_ups["open"], records("follow-ups", "open")),
                Figure(_("Of which overdue"), follow_ups["overdue"], records("follow-ups", "overdue")),
            ],
        ),
        _voices_figures(place, period),
    ]

    ward_places = list(wards_in_force_during(place, start=start, end=end).select_related("boundary"))
    area_places = list(localities_in_force_during(place, kind=LocalityKind.AREA, start=start, end=end))
    figures = place_figures(ward_places + area_places, activity, within=place)
    wards = _place_rows(ward_places, figures, as_of=as_of, records=records)
    # The areas' table shows how many are quiet; the wards' say why.
    areas = _place_rows(area_places, figures, as_of=as_of, records=records, with_reasons=False)
    median = _median(areas)
    if median["share_engaged"] is not None:
        for area in areas:
            area.below_median = (
                area.share_engaged is not None and area.share_engaged < QUIET_AREA_FRACTION * median["share_engaged"]
            )

    unsupported = [
        pk for pk, group in activity.groups.items() if group.outreach_status != OutreachStatus.SUPPORTED.value
    ]
    return Dashboard(
        trend_periods=[short_label(quarter) for quarter in quarters],
        trend=_trend(place, network, activity, areas, quarters),
        place=place,
        network=network,
        period=period,
        as_of=as_of,
        groups=figure_groups,
        wards=wards,
        areas=areas,
        area_median=median,
        wards_without_anchor=[row.locality for row in wards if not row.anchors],
        wards_without_engagement=[row.locality for row in wards if not row.engagements],
        unsupported_groups=list(
            Organisation.objects.filter(among("id", unsupported))
            .order_by("name")
            .only("pk", "name", "slug", "status")[:NAMED_GROUPS_LIMIT]
        ),
        unsupported_count=group_counts["unsupported"],
        unsupported_link=records("groups", "unsupported"),
        activity_in_period=engagements["entries"]
        + request_counts["received"]
        + relationships["started"]
        + relationships["ended"]
        + exchange["exchanges"],
        waiting_longest=requests_waiting_longest(requests & SupportRequest.objects.visible_to(user)),
    )


def _voices_figures(place: Locality, period: Period) -> FigureGroup:
    """Residents heard in the period, and where their voices stand: the figures of the voices
    brief for the same place and period (``voices.brief``), which each links to. One query."""
    by_status = voices_by_status(place, start=period.start, end=period.end)
    brief = reverse("portal:voices_brief") + "?" + urlencode({"place": place.slug, **period_query(period)})
    return FigureGroup(
        "voices",
        _("Residents' voices"),
        [
            Figure(_("Residents heard"), sum(by_status.values()), brief),
            *(Figure(str(status.label), by_status[status], brief) for status in VoiceStatus),
        ],
    )


def _trend(place, network, activity, areas: list[PlaceRow], quarters) -> list[tuple[str, list[int]]]:
    """Engagements per quarter for the whole scope and, when it has at most
    ``TREND_AREAS`` areas, for each of them (no query: ``activity`` holds them)."""
    spans = [(quarter.start, quarter.end) for quarter in quarters]
    lines = [(place, place_label(place, network))]
    if 1 < len(areas) <= TREND_AREAS:
        lines += [(row.locality, row.locality.name) for row in areas]
    counts = engagements_per_period(activity, spans, [None, *(locality for locality, _name in lines[1:])])
    return [(name, line) for (_locality, name), line in zip(lines, counts, strict=True)]


def _place_rows(places: list[Locality], figures, *, as_of, records, with_reasons: bool = True) -> list[PlaceRow]:
    reasons = dict(QuietReason.choices)
    rows = []
    for place in places:
        counted = figures[place.pk]
        quiet_reasons = []
        if with_reasons:
            quiet_reasons = [(str(label), counted.quiet_reasons.get(value, 0)) for value, label in reasons.items()]
            quiet_reasons.append((_("No reason recorded"), counted.quiet_reasons.get(None, 0)))
        rows.append(
            PlaceRow(
                locality=place,
                groups_known=counted.groups_known,
                groups_engaged=counted.groups_engaged,
                engagements=counted.engagements,
                anchors=counted.anchors,
                quiet=counted.quiet,
                quiet_reasons=[(label, count) for label, count in quiet_reasons if count],
                last_contact_on=counted.last_contact_on,
                days_since_contact=(as_of - counted.last_contact_on).days if counted.last_contact_on else None,
                residents=place.population,
                links={
                    "groups_known": records("groups", "known", place),
                    "groups_engaged": records("groups", "engaged", place),
                    "engagements": records("engagements", "all", place),
                    "quiet": records("groups", "quiet", place),
                },
            )
        )
    return rows


MEDIAN_COLUMNS = ("groups_known", "groups_engaged", "share_engaged", "engagements", "per_thousand", "quiet")


def _median(rows: list[PlaceRow]) -> dict[str, float | None]:
    """The median of each of ``MEDIAN_COLUMNS`` over ``rows`` (None where no row has one)."""
    median: dict[str, float | None] = {}
    for column in MEDIAN_COLUMNS:
        values = [getattr(row, column) for row in rows if getattr(row, column) is not None]
        median[column] = statistics.median(values) if values else None
    return median


# ------------------------------------------------------------------------------------------
# Pictures of the same rows
# ------------------------------------------------------------------------------------------
def dashboard_charts(dashboard: Dashboard) -> dict[str, object]:
    """The dashboard's charts, drawn from the rows the page and the downloads show (no query):
    bars of the groups by outreach status and of the engagements by kind, trend lines of the
    engagements per quarter, and the map of the scope's wards shaded by engagements in the
    period. Each carries its own data table (``core.charts``)."""
    scope, period = dashboard.scope_label, dashboard.period.label
    cards = {group.key: group for group in dashboard.groups}
    outreach_rows = [(figure.label, figure.value, figure.link or None) for figure in cards["outreach"].figures]
    kind_rows = [(figure.label, figure.value, figure.link or None) for figure in cards["kinds"].figures]
    return {
        "outreach": bar_chart(
            outreach_rows,
            chart_id="chart-outreach",
            title=_("Groups by outreach status, %(scope)s") % {"scope": scope},
            description=describe_values([row[:2] for row in outreach_rows], units=(_("group"), _("groups"))),
            label_heading=_("Outreach status"),
            value_heading=_("Groups"),
        ),
        "kinds": bar_chart(
            kind_rows,
            chart_id="chart-kinds",
            title=_("Engagements by kind, %(period)s") % {"period": period},
            description=describe_values([row[:2] for row in kind_rows], units=(_("engagement"), _("engagements"))),
            label_heading=_("Kind"),
            value_heading=_("Engagements"),
        ),
        "trend": line_chart(
            dashboard.trend_periods,
            dashboard.trend,
            chart_id="chart-trend",
            title=_("Engagements per quarter, the two years to %(end)s") % {"end": dashboard.trend_periods[-1]},
            description=_(
                "Engagements in each contract quarter for %(scope)s%(areas)s. The table below gives every number."
            )
            % {"scope": scope, "areas": _(" and each of its areas") if len(dashboard.trend) > 1 else ""},
            period_heading=_("Quarter"),
        ),
        "map": ward_map(
            [row.locality for row in dashboard.wards],
            {row.locality.pk: row.engagements for row in dashboard.wards},
            chart_id="chart-wards",
            title=_("Engagements by ward, %(period)s") % {"period": period},
            description=describe_values(
                [(row.locality.name, row.engagements) for row in dashboard.wards],
                units=(_("engagement"), _("engagements")),
            ),
            value_heading=_("Engagements"),
        ),
    }
