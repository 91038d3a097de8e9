"""The officers' admin for the network's activity: support relationships, the engagement log,
the reasons groups are quiet and the skills and assets exchange's offers and needs."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import (
    AnchorNetModelAdmin,
    ExportableAdminMixin,
    ImportableAdminMixin,
    QuerySetMethodFilter,
    count_column,
)
from localities.models import Locality, LocalityKind

from . import privacy
from .models import Engagement, ExchangeEntry, QuietNote, RelationshipStatus, SupportRelationship, SupportRequest
from .resources import EngagementResource
from .selectors import groups_known_in, support_requests_in


class RelationshipStatusFilter(admin.SimpleListFilter):
    """Upcoming, active or ended today, by the dates (the QuerySet's rule)."""

    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return RelationshipStatus.choices

    def queryset(self, request, queryset):
        # Each status value names the QuerySet method that filters by it.
        if self.value() in RelationshipStatus.values:
            return getattr(queryset, self.value())(timezone.localdate())
        return queryset


@admin.register(SupportRelationship)
class SupportRelationshipAdmin(AnchorNetModelAdmin):
    list_display = ("group", "anchor", "kind", "started_on", "ended_on", "status_today")
    list_filter = (RelationshipStatusFilter, "kind")
    list_select_related = ("anchor", "group")
    search_fields = ("anchor__name", "group__name", "end_reason")
    autocomplete_fields = ("anchor", "group")
    date_hierarchy = "started_on"
    ordering = ("-started_on", "pk")
    fieldsets = (
        (None, {"fields": ["anchor", "group", "kind"]}),
        (_("Dates"), {"fields": ["started_on", "ended_on", "end_reason"]}),
    )

    @admin.display(description=_("status today"))
    def status_today(self, obj: SupportRelationship) -> str:
        return obj.status.label


class PlaceFilter(admin.SimpleListFilter):
    """Records about one place (a locality's slug) or anywhere inside it, by the dashboard's
    rule (``engagement.selectors``), so a figure's link shows the same count. Offered only
    when set (from the dashboard): a list of every place would swamp the sidebar."""

    title = _("place")
    parameter_name = "place"

    def place(self) -> Locality | None:
        return Locality.objects.filter(slug=self.value()).first() if self.value() else None

    def lookups(self, request, model_admin):
        place = self.place()
        return [(place.slug, place.name)] if place else []

    def has_output(self) -> bool:
        # Applied even when nothing is offered: a link to a place that no longer exists must
        # show nothing rather than everything.
        return self.value() is not None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        place = self.place()
        if place is None:
            return queryset.none()
        return self.in_place(queryset, Locality.objects.subtree(place), place)


class EngagementPlaceFilter(PlaceFilter):
    """Entries involving a community group in use serving the place (``groups_known_in``)."""

    title = _("group served in")

    def in_place(self, queryset, places, place):
        return queryset.filter(organisations__in=groups_known_in(places).values("pk")).distinct()


class SupportRequestPlaceFilter(PlaceFilter):
    """Requests about the place (``support_requests_in``; for a district, also those of its
    network that named no place)."""

    def in_place(self, queryset, places, place):
        district = place if place.kind == LocalityKind.DISTRICT else None
        return queryset.filter(pk__in=support_requests_in(places, district=district).values("pk"))


@admin.register(Engagement)
class EngagementAdmin(ImportableAdminMixin, ExportableAdminMixin, AnchorNetModelAdmin):
    resource_classes = [EngagementResource]
    export_prefetch = ("organisations",)
    list_display = ("occurred_on", "kind", "anchor", "organisation_count", "follow_up_on", "follow_up_done")
    list_filter = ("kind", "follow_up_done", EngagementPlaceFilter)
    list_select_related = ("anchor",)
    search_fields = ("anchor__name", "organisations__name", "outcome")
    autocomplete_fields = ("anchor", "organisations", "staff")
    date_hierarchy = "occurred_on"
    ordering = ("-occurred_on", "-pk")
    fieldsets = (
        (None, {"fields": ["anchor", "occurred_on", "kind", "organisations", "staff", "outcome"]}),
        (_("Follow-up"), {"fields": ["follow_up_on", "follow_up_done"]}),
        (
            _("Officers only"),
            {
                "fields": ["officer_notes"],
                "description": _("Only officers see these notes, here and on the engagement form."),
            },
        ),
    )

    counted_relations: ClassVar = {"organisation_count": "organisations"}
    organisation_count = count_column("organisation_count", _("organisations"))


@admin.register(QuietNote)
class QuietNoteAdmin(AnchorNetModelAdmin):
    list_display = ("organisation", "reason", "note", "recorded_by", "created_at")
    list_filter = ("reason",)
    list_select_related = ("organisation", "recorded_by")
    search_fields = ("organisation__name", "note")
    autocomplete_fields = ("organisation", "recorded_by")
    ordering = ("-created_at", "-pk")
    fields = ("organisation", "reason", "note", "recorded_by")


class CurrentFilter(QuerySetMethodFilter):
    """Current or no longer current, by ``closed_at`` (the QuerySet's rule)."""

    title = _("current")
    parameter_name = "current"
    method = "current"
    labels = (_("Current"), _("No longer current"))


@admin.register(ExchangeEntry)
class ExchangeEntryAdmin(AnchorNetModelAdmin):
    list_display = ("organisation", "direction", "term", "is_current_now", "met_by", "updated_at")
    list_filter = ("direction", CurrentFilter, "term")
    list_select_related = ("organisation", "term", "met_by")
    search_fields = ("organisation__name", "term__name", "description", "met_by__name")
    autocomplete_fields = ("organisation", "term", "met_by", "closed_by", "engagement")
    ordering = ("-updated_at", "-pk")
    fieldsets = (
        (None, {"fields": ["organisation", "direction", "term", "description"]}),
        (
            _("No longer current"),
            {
                "fields": ["closed_at", "closed_by", "met_by", "engagement"],
                "description": _("Empty while it is current. A need met through the exchange says who met it."),
            },
        ),
    )

    @admin.display(description=_("current"), boolean=True)
    def is_current_now(self, obj: ExchangeEntry) -> bool:
        return obj.is_current


class OverdueFilter(admin.SimpleListFilter):
    """Requests still new after their acknowledgement deadline (the QuerySet's rule)."""

    title = _("acknowledgement")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_overdue=True)
        return queryset


class PersonDataForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's email address"),
        max_length=254,
        help_text=_("As they gave it on their request for support; upper and lower case do not matter."),
    )


@admin.register(SupportRequest)
class SupportRequestAdmin(AnchorNetModelAdmin):
    """Every request for support. The admin is officers-only (``core.admin``), so the contact
    details shown here are seen by officers alone; the anchor's editors see those of their own
    requests in the request queue."""

    list_display = ("reference", "group_name", "anchor", "locality", "status", "overdue_column", "created_at")
    list_filter = ("status", OverdueFilter, "route", SupportRequestPlaceFilter)
    list_select_related = ("anchor", "locality")
    search_fields = ("reference", "group_name", "contact_name", "contact_email", "anchor__name")
    autocomplete_fields = ("anchor", "locality", "network")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    readonly_fields = ("reference", "consented_at", "created_at", "acknowledged_at", "closed_at")
    fieldsets = (
        (None, {"fields": ["reference", "group_name", "need", "postcode_district", "locality"]}),
        (_("Routing"), {"fields": ["anchor", "network", "route"]}),
        (_("Status"), {"fields": ["status", "acknowledged_at", "closed_at", "outcome"]}),
        (
            _("Contact details (officers and the anchor only)"),
            {"fields": ["contact_name", "contact_email", "contact_phone", "consented_at", "created_at"]},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    @admin.display(description=_("overdue"), boolean=True, ordering="is_overdue")
    def overdue_column(self, obj: SupportRequest) -> bool:
        return obj.overdue

    # -- UK GDPR subject requests ---------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view(self.person_data_view)
        return [path("person/", view, name="engagement_supportrequest_person"), *super().get_urls()]

    def person_data_view(self, request: HttpRequest) -> HttpResponse:
        """ "Find a person's data": an officer answers a person's UK GDPR request by their email
        address (``engagement.privacy``). Everything is posted (with CSRF), so no address lands
        in a URL or a server log. ``action`` is ``find`` (what is held), ``export`` (a JSON
        download, article 15), ``erase`` (the confirmation page) or ``confirm_erase`` (erase
        and record who did, article 17)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = PersonDataForm(request.POST if request.method == "POST" else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Find a person's data"),
            "form": form,
        }
        template = "admin/engagement/supportrequest/person_data.html"
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            action = request.POST.get("action", "find")
            if action == "export":
                response = JsonResponse(
                    privacy.person_data(email), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
                )
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                return response
            if action == "confirm_erase":
                count = privacy.erase_person(email, user=request.user)
                done = _("Erased the person’s contact details from %(count)d records.") % {"count": count}
                messages.success(request, done)
                return redirect("admin:engagement_supportrequest_person")
            references, history_count = privacy.person_summary(email)
            context.update(searched=True, references=references, history_count=history_count)
            if action == "erase" and references:
                template = "admin/engagement/supportrequest/person_erase_confirmation.html"
        return TemplateResponse(request, template, context)
