"""Drill-down from the dashboard (issue 14: "every figure links to the list of records behind
it, and that list shows the same count"): for each kind of record a FilterSet whose base is
every record of that kind the dashboard counts from for a scope and period, and whose
``figure`` (and, for a ward's or an area's row, ``within``) filter is the figure's own
condition, read from the same selectors as the figure (``engagement.selectors``: the
``*_conditions``, ``groups_counted``, ``engagements_involving``, ``requests_acknowledged``), so
that the list and the figure cannot disagree.

What a person is shown of those records follows the records' own rules
(``visible_to(user)``): the heading gives the figure, the table the records among them the
person may open, and the page says how many it leaves out. Never more than the dashboard
counts from.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, FilterSet

from core.db import among
from engagement.models import (
    Engagement,
    EngagementKind,
    ExchangeEntry,
    SupportRelationship,
    SupportRequest,
)
from engagement.selectors import (
    GROUP_FIGURES,
    Activity,
    OutreachStatus,
    engagements_involving,
    exchange_conditions,
    exchange_entries_of,
    follow_up_conditions,
    group_activity,
    groups_counted,
    groups_known_in,
    open_follow_ups_in,
    organisations_serving,
    relationship_conditions,
    relationships_of,
    requests_acknowledged,
    requests_received_in,
    support_requests_in,
)
from localities.models import Locality, LocalityKind
from localities.selectors import localities_in_force_during
from organisations.models import Network, Organisation

from .periods import Period

if TYPE_CHECKING:
    from core.permissions import User


@dataclasses.dataclass
class Scope:
    """What a list is drawn from: the dashboard's place (a district, an area or a ward) and
    period. The groups known and their activity are read once, when first needed (seven
    queries), exactly as ``portal.dashboard.build_dashboard`` reads them."""

    place: Locality
    period: Period

    @functools.cached_property
    def network(self) -> Network | None:
        """The network whose district the place is (a whole network's list), else None."""
        return Network.objects.filter(district=self.place).first() if self.place.kind == LocalityKind.DISTRICT else None

    @property
    def places(self):
        return Locality.objects.subtree(self.place)

    @functools.cached_property
    def group_ids(self) -> list[int]:
        return list(groups_known_in(self.places, as_of=self.period.as_of).values_list("pk", flat=True))

    @property
    def groups(self):
        return Organisation.objects.filter(among("id", self.group_ids))

    @functools.cached_property
    def activity(self) -> Activity:
        period = self.period
        return group_activity(self.group_ids, start=period.start, end=period.end, as_of=period.as_of)

    @functools.cached_property
    def within_choices(self) -> list[tuple[str, str]]:
        """The wards and areas the dashboard has a row for in this scope and period (slug, name);
        read once (two queries)."""
        start, end = self.period.start, self.period.end
        places = [
            *localities_in_force_during(self.place, kind=LocalityKind.WARD, start=start, end=end),
            *localities_in_force_during(self.place, kind=LocalityKind.AREA, start=start, end=end),
        ]
        return [(place.slug, place.name) for place in places]


class RecordFilter(FilterSet):
    """The base of the drill-down lists: ``figure`` is required (the view sends the kind's
    first when the query string has none); a value that is not one of the kind's figures, or a
    ``within`` the kind has no ward's or area's figure for, is an error the page shows (400),
    never a server error."""

    figure = ChoiceFilter(label=_("Figure"), method="filter_figure", empty_label=None)
    # A ward's or an area's row (``WithinFilter``); these kinds have none on the dashboard, so
    # no value is a choice and any is refused (400) with ``within_error``.
    within = ChoiceFilter(label=_("Ward or area"), method="filter_within")
    within_error = _(
        "This list is only for the whole place the dashboard shows: the dashboard counts these "
        "records for no single ward or area. Remove the ward or area from the address."
    )
    # (value, label) of the figures of this kind, in the dashboard's order.
    figures: tuple[tuple[str, str], ...] = ()
    model: type
    noun = _("records")

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs):
        self.scope = scope
        super().__init__(data, queryset if queryset is not None else self.base(), **kwargs)
        self.filters["figure"].extra["choices"] = list(self.figures)
        self.form.fields["figure"].choices = list(self.figures)
        self.form.fields["figure"].error_messages["invalid_choice"] = _(
            "Choose a figure from the dashboard: that one is not a figure of this list."
        )
        # Every kind reads ``within``, so that one a list cannot answer is refused in words
        # rather than ignored (which would show the whole place's records under a ward's name).
        choices = self.within_choices()
        self.filters["within"].extra["choices"] = choices
        self.form.fields["within"].choices = [("", ""), *choices]
        self.form.fields["within"].error_messages["invalid_choice"] = self.within_error

    def base(self) -> QuerySet:  # pragma: no cover - each kind defines it
        raise NotImplementedError

    def filter_figure(self, queryset, name, value):  # pragma: no cover - each kind defines it
        raise NotImplementedError

    def within_choices(self) -> list[tuple[str, str]]:
        """The (slug, name) of the wards and areas this list answers for: none here."""
        return []

    def filter_within(self, queryset, name, value):  # pragma: no cover - no value is valid here
        raise NotImplementedError

    @property
    def figure_label(self) -> str:
        value = self.form.cleaned_data.get("figure") if hasattr(self.form, "cleaned_data") else None
        return str(dict(self.figures).get(value, ""))

    def visible(self, user: User | None) -> QuerySet:
        """The records behind the figure that ``user`` may open, ordered and with what the
        table shows loaded (a fixed number of queries for a page)."""
        return self.qs.filter(pk__in=self.model.objects.visible_to(user).values("pk")).order_by(*self.ordering)

    ordering: tuple[str, ...] = ("pk",)

    def rows(self, records: list) -> list:
        """The page's records, with anything the table needs beyond the columns (no query)."""
        return records


class WithinFilter(RecordFilter):
    """A list that also answers for one ward's or area's row of the dashboard (``within``:
    one of the wards and areas the dashboard has a row for in this scope and period)."""

    within_error = _("Choose a ward or an area of the place the dashboard shows.")

    def within_choices(self):
        return self.scope.within_choices

    @staticmethod
    def place_id(slug: str) -> int | None:
        return Locality.objects.filter(slug=slug).values_list("pk", flat=True).first()


class GroupRecords(WithinFilter):
    """The community groups known in the scope (``groups_known_in``), by figure: all, engaged
    in the period, new, quiet, by outreach status, supported by nobody (``group_counts_for``);
    ``within`` a ward or an area of the scope, as its row on the dashboard counts them."""

    figures = (
        ("known", _("Groups known")),
        ("engaged", _("Groups engaged in the period")),
        ("new", _("New groups reached")),
        ("quiet", _("Quiet groups")),
        *((f"status_{status.value}", status.label) for status in OutreachStatus),
        ("unsupported", _("Groups supported by nobody")),
    )
    model = Organisation
    noun = _("groups")
    ordering = ("name", "pk")

    def base(self):
        return self.scope.groups

    def filter_figure(self, queryset, name, value):
        return queryset.filter(among("id", groups_counted(self.scope.activity, value)))

    def filter_within(self, queryset, name, value):
        place = self.place_id(value)
        return queryset.filter(among("id", groups_counted(self.scope.activity, "known", place=place)))

    def visible(self, user):
        return super().visible(user).only("pk", "name", "slug", "status")

    def rows(self, records):
        activity = self.scope.activity.groups
        labels = dict(OutreachStatus.choices)
        for record in records:
            facts = activity[record.pk]
            record.outreach_label = labels[facts.outreach_status]
            record.last_contact_on = facts.last_contact_on
            record.is_quiet = facts.is_quiet
        return records


class EngagementRecords(WithinFilter):
    """The entries of the log dated in the period that involve a group known in the scope
    (``engagements_involving``), all or of one kind; ``within`` a ward or an area."""

    figures = (("all", _("Engagements")), *((f"kind_{kind.value}", kind.label) for kind in EngagementKind))
    model = Engagement
    noun = _("engagements")
    ordering = ("-occurred_on", "-pk")

    # The entries are read in SQL (``engagements_involving``), not from the scope's
    # ``group_activity``: that would read the whole outreach window and every group's status
    # (six queries and a year of the log) for a list that shows only the period's entries.
    def base(self):
        return engagements_involving(self.scope.group_ids, start=self.scope.period.start, end=self.scope.period.end)

    def filter_figure(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(kind=value.removeprefix("kind_"))

    def filter_within(self, queryset, name, value):
        place = Locality.objects.get(slug=value)  # one of ``within_choices``: it exists
        period = self.scope.period
        served = engagements_involving(self.scope.group_ids, start=period.start, end=period.end, place=place)
        return queryset.filter(pk__in=served.values("pk"))

    def visible(self, user):
        return _with_entry_columns(super().visible(user))


class RequestRecords(RecordFilter):
    """Requests for support about a place in the scope (with a whole network's, those of the
    network that named no place) received in the period (``request_figures``)."""

    figures = (
        ("received", _("Requests received")),
        ("in_time", _("Acknowledged in time")),
        ("late", _("Acknowledged late")),
        ("overdue", _("Overdue, not yet acknowledged")),
    )
    model = SupportRequest
    noun = _("requests")
    ordering = ("created_at", "pk")

    def base(self):
        place = self.scope.place
        district = place if place.kind == LocalityKind.DISTRICT else None
        requests = support_requests_in(self.scope.places, district=district)
        return requests_received_in(requests, start=self.scope.period.start, end=self.scope.period.end)

    def filter_figure(self, queryset, name, value):
        if value == "overdue":
            return queryset.with_overdue().filter(is_overdue=True)
        if value in ("in_time", "late"):
            return requests_acknowledged(queryset, value)
        return queryset

    def visible(self, user):
        requests = super().visible(user).with_overdue().select_related("anchor", "locality")
        return requests.defer(*SupportRequest.PRIVATE_FIELDS, "need")


class RelationshipRecords(RecordFilter):
    """Support relationships with a group known in the scope as the group supported
    (``relationship_figures``): started or ended in the period, active at its end."""

    figures = (("started", _("Started")), ("ended", _("Ended")), ("active", _("Active at the end of the period")))
    model = SupportRelationship
    noun = _("support relationships")
    ordering = ("-started_on", "group__name", "pk")

    def base(self):
        return relationships_of(self.scope.groups)

    def filter_figure(self, queryset, name, value):
        period = self.scope.period
        return queryset.filter(relationship_conditions(start=period.start, end=period.end, as_of=period.as_of)[value])

    def visible(self, user):
        return super().visible(user).select_related("anchor", "group")


class ExchangeRecords(RecordFilter):
    """The exchange's offers and needs of organisations serving a place in the scope
    (``exchange_figures``): current at the period's end, or needs met in it."""

    figures = (
        ("offers", _("Skills and assets offered")),
        ("needs", _("Skills and assets needed")),
        ("exchanges", _("Exchanges made (needs met)")),
    )
    model = ExchangeEntry
    noun = _("offers and needs")
    ordering = ("organisation__name", "pk")

    def base(self):
        return exchange_entries_of(organisations_serving(self.scope.places))

    def filter_figure(self, queryset, name, value):
        period = self.scope.period
        return queryset.filter(exchange_conditions(start=period.start, end=period.end, as_of=period.as_of)[value])

    def visible(self, user):
        return super().visible(user).select_related("organisation", "term", "met_by")


class FollowUpRecords(RecordFilter):
    """Entries involving a group known in the scope whose follow-up falls in the period and is
    not done (``follow_up_figures``); ``overdue``: its date has passed."""

    figures = (("open", _("Open follow-ups due in the period")), ("overdue", _("Of which overdue")))
    model = Engagement
    noun = _("follow-ups")
    ordering = ("follow_up_on", "pk")

    def base(self):
        return open_follow_ups_in(self.scope.groups, start=self.scope.period.start, end=self.scope.period.end)

    def filter_figure(self, queryset, name, value):
        return queryset.filter(follow_up_conditions(today=timezone.localdate())[value])

    def visible(self, user):
        return _with_entry_columns(super().visible(user))


def _with_entry_columns(entries: QuerySet) -> QuerySet:
    """Entries of the log with what their table shows (anchor, organisations by name); the
    officers' notes are not loaded."""
    return (
        entries.select_related("anchor")
        .defer(*Engagement.PRIVATE_FIELDS)
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name").only("pk", "name")))
    )


RECORD_KINDS: dict[str, type[RecordFilter]] = {
    "groups": GroupRecords,
    "engagements": EngagementRecords,
    "requests": RequestRecords,
    "relationships": RelationshipRecords,
    "exchange": ExchangeRecords,
    "follow-ups": FollowUpRecords,
}
assert {value for value, _label in GroupRecords.figures} == set(GROUP_FIGURES)


def period_query(period: Period) -> dict[str, str]:
    """The dashboard form's fields that choose ``period`` again."""
    if period.kind in ("quarter", "year"):
        return {"period": period.kind, period.kind: period.code}
    return {
        "period": "custom",
        **{f"start_{n}": str(part) for n, part in enumerate((period.start.day, period.start.month, period.start.year))},
        **{f"end_{n}": str(part) for n, part in enumerate((period.end.day, period.end.month, period.end.year))},
    }


def records_url(kind: str, figure: str, *, place: Locality, period: Period, within: Locality | None = None) -> str:
    """The list behind a figure: ``/dashboard/records/<kind>/?place=...&<period>&figure=...``."""
    query = {"place": place.slug, **period_query(period), "figure": figure}
    if within is not None:
        query["within"] = within.slug
    return reverse("portal:dashboard_records", kwargs={"kind": kind}) + "?" + urlencode(query)
