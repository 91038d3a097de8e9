"""The directory's search and filters (django-filter), all carried in the query string so a
search can be bookmarked and shared: ``/directory/?q=food&area=batley-and-spen&role=lead_anchor``.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, MultipleChoiceFilter

from localities.geography import Origin, metres_from_squared_degrees, miles_text
from localities.models import Locality, LocalityKind
from localities.selectors import PostcodePlace, postcode_place

from .models import (
    AnchorRoleKind,
    CostOption,
    Initiative,
    Language,
    Network,
    Organisation,
    OrganisationQuerySet,
    TaxonomyTerm,
)
from .opening import weekend_days
from .search import (
    Lexicon,
    TextSearch,
    did_you_mean,
    load_lexicon,
    order_by_relevance,
    query_words,
    read_search,
    search_organisations,
)
from .selectors import near_postcode_district, organisation_names_public, postcode_district_has_organisations

# How far from a resident's postcode a distance is worth showing ("0.8 miles"): the councils
# covered are about 20 miles across; anything farther is listed after, without one.
NEAREST_WITHIN_METRES = 40_000

OPEN_NOW, OPEN_THIS_WEEKEND = "now", "weekend"
OPEN_CHOICES = [(OPEN_NOW, _("Open now")), (OPEN_THIS_WEEKEND, _("Open this weekend"))]
COST_CHOICES = [(CostOption.FREE.value, _("Free"))]

COMMUNITY_GROUP = "community_group"
COORDINATOR = "coordinator"
ROLE_CHOICES = [
    (AnchorRoleKind.LEAD_ANCHOR.value, _("Lead anchor")),
    (AnchorRoleKind.LOCAL_ANCHOR.value, _("Local anchor")),
    (AnchorRoleKind.ANCHOR.value, _("Anchor (network without tiers)")),
    (COORDINATOR, _("Network coordinator")),
    (COMMUNITY_GROUP, _("Community group")),
]


def area_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Current localities grouped by district for a ``<select>`` with ``<optgroup>``s, in tree
    order: the district itself first ("All of Kirklees"), then each area followed by its wards.
    One query. Ended localities (an abolished ward) are left out."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    names: dict[int, str] = {}
    for locality in Locality.objects.current().in_tree_order().only("pk", "name", "slug", "kind", "ancestor_path"):
        names[locality.pk] = locality.name
        if locality.kind == LocalityKind.DISTRICT:
            groups[locality.pk] = (locality.name, [(locality.slug, _("All of %(name)s") % {"name": locality.name})])
            continue
        ids = locality.ancestor_ids
        if not ids or ids[0] not in groups:
            continue
        if locality.kind == LocalityKind.AREA:
            label = _("%(name)s area") % {"name": locality.name}
        elif len(ids) > 1:
            label = f"{locality.name} ({names.get(ids[-1], '')})"
        else:
            label = locality.name
        groups[ids[0]][1].append((locality.slug, label))
    return list(groups.values())


def network_choices() -> list[tuple[str, str]]:
    return list(Network.objects.order_by("name").values_list("slug", "name"))


def service_choices() -> list[tuple[str, str]]:
    return list(TaxonomyTerm.objects.services().order_by("name").values_list("slug", "name"))


def language_choices() -> list[tuple[str, str]]:
    return list(Language.objects.order_by("name").values_list("code", "name"))


def initiative_choices() -> list[tuple[str, str]]:
    return list(Initiative.objects.order_by("name").values_list("slug", "name"))


class DirectoryFilterForm(forms.Form):
    """The filter form, laid out with GOV.UK Design System components (crispy-forms-gds)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template wraps search box and filters in one GET form
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("area", legend_size=Size.SMALL),
            Field.select("open"),
            Field.checkboxes("cost", legend_size=Size.SMALL, small=True),
            Field.select("language"),
            Field.select("role"),
            Field.select("network"),
            Field.checkboxes("service", legend_size=Size.SMALL, small=True),
            Field.checkboxes("initiative", legend_size=Size.SMALL, small=True),
        )


class OrganisationFilter(FilterSet):
    """Search and filters for the public directory. Every filter ANDs with the others; several
    services or initiatives match organisations with any of them."""

    q = CharFilter(label=_("Search by name, need or postcode"), method="filter_q")
    # Choices that come from the database are filled per request in __init__ (see CHOICES).
    area = ChoiceFilter(label=_("Area"), method="filter_area", empty_label=_("All areas"))
    open = ChoiceFilter(
        label=_("When it is open"), choices=OPEN_CHOICES, method="filter_open", empty_label=_("Any time")
    )
    cost = MultipleChoiceFilter(
        label=_("Cost"), choices=COST_CHOICES, method="filter_cost", widget=forms.CheckboxSelectMultiple
    )
    language = ChoiceFilter(label=_("Language spoken"), method="filter_language", empty_label=_("Any language"))
    role = ChoiceFilter(label=_("Role"), choices=ROLE_CHOICES, method="filter_role", empty_label=_("Any role"))
    network = ChoiceFilter(label=_("Network"), method="filter_network", empty_label=_("Any network"))
    service = MultipleChoiceFilter(
        label=_("Services and needs"),
        method="filter_service",
        widget=forms.CheckboxSelectMultiple,
    )
    initiative = MultipleChoiceFilter(
        label=_("Initiatives"),
        method="filter_initiative",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields: list[str] = []
        form = DirectoryFilterForm

    CHOICES = {
        "area": area_choices,
        "network": network_choices,
        "service": service_choices,
        "initiative": initiative_choices,
        "language": language_choices,
    }

    def __init__(self, data=None, *args, now=None, **kwargs):
        """``now``: the moment "open now" and "this weekend" are measured from (an aware
        datetime; the current time unless given)."""
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)
        # One query per list, once per request, before the form is built: django-filter's
        # choice fields cannot take callables, and a module-level list would go stale.
        for name, choices in self.CHOICES.items():
            self.filters[name].extra["choices"] = choices()
        self.form.fields["q"].widget.attrs.update({"class": "govuk-input", "autocomplete": "off"})
        self.form.fields["q"].max_length = 200
        self.form.fields["q"].error_messages["max_length"] = _("Search for 200 characters or fewer.")
        for name in ("area", "role", "network", "open", "language"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose an option from the list.")
        for name in ("service", "initiative", "cost"):
            self.form.fields[name].error_messages["invalid_choice"] = _(
                "Choose %(name)s from the list.",
            ) % {"name": self.form.fields[name].label.lower()}

    @property
    def qs(self) -> OrganisationQuerySet:
        return order_by_relevance(super().qs)

    # Where the results are for, once filtered: the place a postcode or the area filter chose
    # (its ward, area or district), and the postcode itself (``localities.selectors``).
    place: Locality | None = None
    postcode: PostcodePlace | None = None
    # A search in words, as read (``organisations.search``), and what it was read against: kept
    # for the results' "why it matched" and the "did you mean" suggestion. The lexicon is loaded
    # once per request (from the cache: ``load_lexicon``), so the directory's query count does
    # not depend on the results.
    search: TextSearch | None = None
    lexicon: Lexicon | None = None
    # True when the postcode searched for is in none of the areas the portal covers: neither
    # the imported directory nor any organisation knows its postcode district.
    outside_area: bool = False

    def filter_q(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        self.postcode = postcode_place(value)
        if self.postcode is None:
            if query_words(value):
                self.lexicon = load_lexicon()
                self.search = read_search(value, self.lexicon)
            return search_organisations(queryset, value, lexicon=self.lexicon)
        if self.postcode.ward is not None:
            self.place = self.postcode.ward
            return self._nearest_first(queryset.for_place(self.place))
        if not (
            self.postcode.found
            or self.postcode.district_listed
            or postcode_district_has_organisations(self.postcode.outward)
        ):
            self.outside_area = True
            return queryset.none()
        return self._nearest_first(near_postcode_district(queryset, self.postcode.outward))

    def _nearest_first(self, queryset: OrganisationQuerySet) -> OrganisationQuerySet:
        """``queryset`` with each organisation's distance from the postcode searched for
        (``distance_squared``, which ``order_by_relevance`` orders by within each ``reach``),
        where the postcode has coordinates; unchanged where it has none. No extra query."""
        if self.postcode is None or self.postcode.latitude is None or self.postcode.longitude is None:
            return queryset
        origin = Origin(self.postcode.latitude, self.postcode.longitude)
        return queryset.with_centroid(within=origin.box(NEAREST_WITHIN_METRES)).with_distance_from(origin)

    def distance(self, organisation: Organisation) -> str:
        """How far ``organisation`` is from the postcode searched for, for its card ("0.8
        miles"); empty when either has no coordinates. No query."""
        squared = getattr(organisation, "distance_squared", None)
        return "" if squared is None else miles_text(metres_from_squared_degrees(squared))

    def filter_area(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        locality = Locality.objects.filter(slug=value).first()
        if locality is None:
            return queryset.none()
        if self.place is None:
            self.place = locality
        return queryset.for_place(locality)

    def match_reasons(self, organisation: Organisation) -> list[str]:
        """Why ``organisation`` matched the search in words (``TextSearch.reasons``); empty
        without one. No query: reads the card's prefetched services."""
        return self.search.reasons(organisation) if self.search is not None else []

    def suggestion(self) -> str | None:
        """A better-spelt search to offer when this one found nothing (``did_you_mean``) and
        that finds something itself (filters aside: the link keeps them, and the resident may
        then remove some), or None. Two queries (the published organisations' names, then
        whether the suggestion finds any); none without a search in words."""
        if self.search is None or self.lexicon is None:
            return None
        suggested = did_you_mean(self.search, self.lexicon, organisation_names_public())
        if suggested is None or not search_organisations(self.queryset, suggested, lexicon=self.lexicon).exists():
            return None
        return suggested

    def wider_places(self) -> dict[int, Locality]:
        """The places containing the chosen one, by ``reach`` (1 for the nearest), for the
        "serves all of Kirklees" labels. One query; empty when no place was chosen."""
        above = self.place.containing_ids[1:] if self.place is not None else []
        if not above:
            return {}
        by_id = Locality.objects.containing(self.place).in_bulk()
        return {distance: by_id[pk] for distance, pk in enumerate(above, start=1) if pk in by_id}

    def filter_open(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        if value == OPEN_NOW:
            return queryset.open_at(self.now)
        return queryset.open_on(weekend_days(self.now))

    def filter_cost(self, queryset: OrganisationQuerySet, name: str, value: list[str]) -> OrganisationQuerySet:
        # "Free" is the only choice: a fee or a donation is not something residents filter for.
        return queryset.free() if CostOption.FREE in value else queryset

    def filter_language(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        return queryset.speaking(value)

    def filter_role(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        if value == COMMUNITY_GROUP:
            return queryset.community_groups()
        if value == COORDINATOR:
            return queryset.coordinators()
        return queryset.with_anchor_role(value)

    def filter_network(self, queryset: OrganisationQuerySet, name: str, value: str) -> OrganisationQuerySet:
        network = Network.objects.filter(slug=value).first()
        return queryset.in_network(network) if network else queryset.none()

    def filter_service(self, queryset: OrganisationQuerySet, name: str, value: list[str]) -> OrganisationQuerySet:
        if not value:
            return queryset
        through = Organisation.services.through.objects.filter(
            organisation=OuterRef("pk"), taxonomyterm__slug__in=value
        )
        return queryset.filter(Exists(through))

    def filter_initiative(self, queryset: OrganisationQuerySet, name: str, value: list[str]) -> OrganisationQuerySet:
        if not value:
            return queryset
        through = Organisation.initiatives.through.objects.filter(
            organisation=OuterRef("pk"), initiative__slug__in=value
        )
        return queryset.filter(Exists(through))

    def _chosen(self) -> list[tuple[str, str, str, str, bool]]:
        """(field name, field label, chosen value, value label, whether the field takes several)
        for each value in force, in the form's order; empty when the form is invalid."""
        if not self.form.is_valid():
            return []
        chosen = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            labels = dict(_flatten(getattr(field, "choices", [])))
            values = value if isinstance(value, list) else [value]
            chosen.extend((name, str(field.label), v, str(labels.get(v, v)), isinstance(value, list)) for v in values)
        return chosen

    def active_filters(self) -> list[tuple[str, str]]:
        """(field label, chosen value label) pairs for the filters in force (the search words
        aside), for the count on the folded filter form. Empty when the form is invalid."""
        return [(label, shown) for name, label, _value, shown, _many in self._chosen() if name != "q"]

    def removable_filters(self, query: QueryDict) -> list[tuple[str, str, str]]:
        """(field label, chosen value label, address without it) for the search words and each
        filter in force, so each can be removed with a link that keeps the others (and goes
        back to the first page). ``query`` is the request's ``GET``. Empty when the form is
        invalid."""
        removable = []
        for name, label, chosen, shown, many in self._chosen():
            remaining = query.copy()
            remaining.pop("page", None)
            if many:
                remaining.setlist(name, [v for v in query.getlist(name) if v != chosen])
            else:
                remaining.pop(name, None)
            removable.append((str(_("Search")) if name == "q" else label, shown, f"?{remaining.urlencode()}"))
        return removable


def _flatten(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label
