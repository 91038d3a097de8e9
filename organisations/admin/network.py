"""The networks and anchor roles admins."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin, ExportableAdminMixin

from ..models import AnchorRole, Network
from ..resources import AnchorRoleResource
from .filters import CurrentRoleFilter, RoleDistrictFilter
from .forms import ANCHOR_ROLE_DATABASE_ERRORS, AnchorRoleForm
from .inlines import NetworkAnchorRoleInline


@admin.register(Network)
class NetworkAdmin(AnchorNetModelAdmin):
    list_display = ("name", "district", "coordinator", "structure", "current_anchor_count")
    list_filter = ("structure", "district")
    search_fields = ("name", "slug", "district__name", "coordinator__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("district", "coordinator")
    list_select_related = ("district", "coordinator")
    readonly_fields = ("created_at", "updated_at")
    fields = (
        "name",
        "slug",
        "district",
        "coordinator",
        "structure",
        "description",
        "website",
        "email",
        "phone",
        "address",
        "opening_hours",
        "created_at",
        "updated_at",
    )
    inlines = (NetworkAnchorRoleInline,)
    database_error_messages = ANCHOR_ROLE_DATABASE_ERRORS

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        return queryset.annotate(
            current_anchor_count=Count(
                "anchor_roles__organisation",
                filter=Q(anchor_roles__left_on__isnull=True),
                distinct=True,
            )
        )

    @admin.display(description=_("current anchors"), ordering="current_anchor_count")
    def current_anchor_count(self, obj: Network) -> int:
        """Organisations with a current role (one organisation anchoring two areas counts once)."""
        return obj.current_anchor_count


@admin.register(AnchorRole)
class AnchorRoleAdmin(ExportableAdminMixin, AnchorNetModelAdmin):
    resource_classes = [AnchorRoleResource]
    export_prefetch = ("lead__organisation",)
    form = AnchorRoleForm
    list_display = (
        "organisation",
        "role",
        "network",
        "locality",
        "lead_organisation",
        "joined_on",
        "agreement_signed_on",
        "left_on",
        "is_current",
    )
    list_filter = ("network", "role", CurrentRoleFilter, RoleDistrictFilter)
    search_fields = ("organisation__name", "locality__name")
    autocomplete_fields = ("organisation", "network", "locality", "lead")
    list_select_related = ("organisation", "network", "locality", "lead__organisation")
    readonly_fields = ("created_at", "updated_at")
    fields = (
        "organisation",
        "network",
        "role",
        "locality",
        "lead",
        "joined_on",
        "agreement_signed_on",
        "left_on",
        "created_at",
        "updated_at",
    )
    database_error_messages = ANCHOR_ROLE_DATABASE_ERRORS

    def get_queryset(self, request):
        # str(role) names the organisation, place and network: autocompletes list 20 at a time.
        return super().get_queryset(request).select_related("organisation", "network", "locality")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            kwargs["queryset"] = AnchorRole.objects.select_related("organisation", "network", "locality")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if self.is_autocomplete_request(request) and request.GET.get("field_name") == "lead":
            # Choosing a local anchor's lead: offer only current lead anchors.
            queryset = queryset.current().leads()
        return queryset, may_have_duplicates

    @admin.display(description=_("lead anchor"), ordering="lead__organisation__name")
    def lead_organisation(self, obj: AnchorRole):
        return obj.lead.organisation if obj.lead_id else None

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj: AnchorRole) -> bool:
        return obj.is_current
