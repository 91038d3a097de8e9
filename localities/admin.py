"""Admin for the locality tree: districts, areas, wards and neighbourhoods."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin, ExportableAdminMixin, ImportableAdminMixin, QuerySetMethodFilter

from .models import Locality, LocalityKind, Postcode, PostcodeImport, WardBoundary, WardRepresentation
from .onspd import postcode_key
from .resources import LocalityResource


def current_q(prefix: str = "") -> Q:
    """The condition ``LocalityQuerySet.current()`` applies, for use inside other expressions."""
    today = timezone.localdate()
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today})
    )


def locality_label(locality: Locality) -> str:
    """``Batley East (ward)``, or ``Batley East (ward, ended 5 May 2026)`` for one no longer in
    force, so officers can still find old places but see that they have gone."""
    kind = locality.get_kind_display().lower()
    today = timezone.localdate()
    if locality.valid_to is not None and locality.valid_to < today:
        return _("%(name)s (%(kind)s, ended %(date)s)") % {
            "name": locality.name,
            "kind": kind,
            "date": date_format(locality.valid_to, "j M Y"),
        }
    if locality.valid_from is not None and locality.valid_from > today:
        return _("%(name)s (%(kind)s, from %(date)s)") % {
            "name": locality.name,
            "kind": kind,
            "date": date_format(locality.valid_from, "j M Y"),
        }
    return f"{locality.name} ({kind})"


def pk_param(value: str) -> int:
    """A primary key from a list filter's query string; a bad one shows the admin's "invalid
    filter" notice rather than a server error."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise IncorrectLookupParameters(exc) from exc


class CurrentLocalityFilter(admin.SimpleListFilter):
    """In force today, ended, or not yet in force (e.g. new wards entered ahead of time)."""

    title = _("in force")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("ended", _("Ended")), ("future", _("Not yet in force"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current()
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class DistrictFilter(admin.SimpleListFilter):
    """Rows in a district: the district itself or anything inside it.

    ``locality_field`` is the path from the filtered model to its locality ("" when filtering
    localities themselves), so other admins reuse this with a one-line subclass.
    """

    title = _("district")
    parameter_name = "district"
    locality_field = ""

    def lookups(self, request, model_admin):
        # Kept for queryset(): facet counts call it once per choice, so no query per choice.
        self._districts = {
            str(district.pk): district
            for district in Locality.objects.filter(kind=LocalityKind.DISTRICT)
            .order_by("name")
            .only("pk", "name", "ancestor_path")
        }
        return [(pk, district.name) for pk, district in self._districts.items()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        district = self._districts.get(self.value())
        if district is None:
            pk_param(self.value())  # a malformed id is an invalid filter, not a server error
            return queryset.none()
        in_district = Locality.objects.subtree(district).values("pk")
        lookup = f"{self.locality_field}__in" if self.locality_field else "pk__in"
        return queryset.filter(**{lookup: in_district})


@admin.register(Locality)
class LocalityAdmin(ImportableAdminMixin, ExportableAdminMixin, AnchorNetModelAdmin):
    resource_classes = [LocalityResource]
    list_display = (
        "name",
        "kind",
        "parent",
        "gss_code",
        "valid_from",
        "valid_to",
        "is_current",
        "organisation_count",
    )
    list_filter = ("kind", CurrentLocalityFilter, DistrictFilter)
    search_fields = ("name", "slug", "gss_code")
    counted_relations: ClassVar = {"organisation_count": "organisations"}
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    ordering = ("ancestor_path", "name")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ["name", "slug", "kind", "parent", "description"]}),
        (_("Identifiers and dates"), {"fields": ["gss_code", "valid_from", "valid_to"]}),
        (_("Population"), {"fields": ["population", "population_source"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if self.is_autocomplete_request(request):
            # Offer current places first; ended ones stay findable (officers record history),
            # labelled by autocomplete_label.
            queryset = queryset.annotate(
                not_current=Case(When(current_q(), then=Value(0)), default=Value(1), output_field=IntegerField())
            ).order_by("not_current", "ancestor_path", "name")
        return queryset, may_have_duplicates

    def autocomplete_label(self, obj: Locality) -> str:
        return locality_label(obj)

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj: Locality) -> bool:
        return obj.is_current()

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj: Locality) -> str:
        """Organisations that list this place among their areas served (places inside it are
        not counted; the link's list is the same set)."""
        count = obj.organisation_count
        if not count:
            return "0"
        url = reverse("admin:organisations_organisation_changelist")
        return format_html('<a href="{}?localities__id__exact={}">{}</a>', url, obj.pk, count)


@admin.register(WardBoundary)
class WardBoundaryAdmin(AnchorNetModelAdmin):
    """Ward outlines come from ONS files (``manage.py import_ward_boundaries``), not typed by
    hand: officers may check and delete one, or correct its source and attribution text."""

    list_display = ("locality", "ward_code", "source", "point_count", "updated_at")
    list_filter = ("source",)
    search_fields = ("locality__name", "locality__gss_code", "source")
    list_select_related = ("locality",)
    readonly_fields = ("locality", "ward_code", "point_count", "created_at", "updated_at")
    fields = ("locality", "ward_code", "point_count", "source", "attribution", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("GSS code"), ordering="locality__gss_code")
    def ward_code(self, obj: WardBoundary) -> str:
        return obj.locality.gss_code or "—"

    @admin.display(description=_("points in the outline"))
    def point_count(self, obj: WardBoundary) -> int:
        """Positions in every ring of the outline: a rough check the import drew something."""
        return sum(len(ring) for polygon in obj.geometry.get("coordinates", []) for ring in polygon)


class CurrentTermFilter(QuerySetMethodFilter):
    title = _("in office")
    parameter_name = "in_office"
    method = "current"
    labels = (_("In office today"), _("Ended, or not started yet"))


class RepresentationDistrictFilter(DistrictFilter):
    locality_field = "ward"


@admin.register(WardRepresentation)
class WardRepresentationAdmin(AnchorNetModelAdmin):
    """Which councillor represents which ward, and when: officers add a term after each
    election and give it its last day when it ends. The account must also be in the
    ``Councillor`` group to see anything (docs/adr/0010-councillors-and-their-wards.md)."""

    list_display = ("user", "ward", "starts_on", "ends_on", "in_office")
    list_filter = (CurrentTermFilter, RepresentationDistrictFilter, "starts_on")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "ward__name")
    autocomplete_fields = ("user", "ward")
    list_select_related = ("user", "ward")
    readonly_fields = ("created_at", "updated_at")
    fields = ("user", "ward", "starts_on", "ends_on", "created_at", "updated_at")
    date_hierarchy = "starts_on"

    @admin.display(description=_("in office today"), boolean=True)
    def in_office(self, obj: WardRepresentation) -> bool:
        return obj.is_current()


def localities_as_tree(
    localities: QuerySet[Locality] | list[Locality],
) -> list[tuple[Locality, int]]:
    """``localities`` in depth-first order (each place under its parent, siblings by name), with
    each one's depth counted within the list. A place whose parent is not in the list starts a
    branch of its own."""
    items = list(localities)
    by_id = {loc.pk: loc for loc in items}
    children: dict[int | None, list[Locality]] = {}
    for loc in items:
        parent_id = loc.parent_id if loc.parent_id in by_id else None
        children.setdefault(parent_id, []).append(loc)
    ordered: list[tuple[Locality, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for loc in sorted(children.get(parent_id, []), key=lambda item: item.name.lower()):
            ordered.append((loc, depth))
            walk(loc.pk, depth + 1)

    walk(None, 0)
    return ordered


class _ImportedDataAdmin(AnchorNetModelAdmin):
    """Data the import commands write: officers look things up; nobody adds, edits or deletes
    rows by hand, since the next import would silently undo it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LivePostcodeFilter(QuerySetMethodFilter):
    title = _("in use")
    parameter_name = "live"
    method = "live"
    labels = (_("In use"), _("Retired"))


@admin.register(Postcode)
class PostcodeAdmin(_ImportedDataAdmin):
    """The ONS Postcode Directory rows of the portal's councils (``manage.py import_postcodes``):
    which ward a postcode is in, and whether it is still in use."""

    list_display = ("postcode", "ward", "ward_code", "council_code", "terminated")
    list_select_related = ("ward",)
    list_filter = (LivePostcodeFilter, "council_code")
    search_fields = ("postcode", "ward_code", "ward__name")
    fields = (
        "postcode",
        "ward",
        "ward_code",
        "council_code",
        "introduced",
        "terminated",
        "latitude",
        "longitude",
    )
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = postcode_key(search_term)
        if key:
            # "ls14  6jb" and "LS146" find LS14 6JB: spacing varies, the key has none.
            results |= queryset.filter(key__startswith=key)
        return results, may_have_duplicates


@admin.register(PostcodeImport)
class PostcodeImportAdmin(_ImportedDataAdmin):
    """Each postcode import: the file, when, how many postcodes, and the ward codes it could
    not place (wards the portal does not have)."""

    list_display = ("source", "imported_at", "councils", "postcodes", "retired")
    search_fields = ("source",)
    fields = ("source", "imported_at", "ward_column", "councils", "postcodes", "retired", "unknown_ward_codes")
    date_hierarchy = "imported_at"
