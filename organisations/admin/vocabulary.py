"""The admins of the services-and-needs taxonomy, its terms, and initiatives."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin

from ..models import Initiative, Taxonomy, TaxonomyTerm


@admin.register(Taxonomy)
class TaxonomyAdmin(AnchorNetModelAdmin):
    list_display = ("name", "version", "uri", "term_count")
    search_fields = ("name", "description")
    list_filter = ()  # a handful of vocabularies: nothing to filter
    readonly_fields = ("uuid", "created_at", "updated_at")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        return queryset.annotate(term_count=Count("terms", distinct=True))

    @admin.display(description=_("terms"), ordering="term_count")
    def term_count(self, obj: Taxonomy) -> int:
        return obj.term_count


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AnchorNetModelAdmin):
    list_display = ("name", "code", "taxonomy", "parent", "organisation_count")
    list_filter = ("taxonomy",)
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("taxonomy", "parent")
    list_select_related = ("taxonomy", "parent")
    readonly_fields = ("uuid", "created_at", "updated_at")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        return queryset.annotate(organisation_count=Count("organisations", distinct=True))

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj: TaxonomyTerm) -> int:
        return obj.organisation_count


@admin.register(Initiative)
class InitiativeAdmin(AnchorNetModelAdmin):
    list_display = ("name", "website", "organisation_count")
    list_filter = ()  # few enough to scan
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        return queryset.annotate(organisation_count=Count("organisations", distinct=True))

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj: Initiative) -> int:
        return obj.organisation_count
