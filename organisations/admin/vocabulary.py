"""The admins of the services-and-needs taxonomy, its terms, initiatives, and the directory search's
synonym groups."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin, count_column

from ..models import Initiative, SynonymGroup, Taxonomy, TaxonomyTerm


@admin.register(Taxonomy)
class TaxonomyAdmin(AnchorNetModelAdmin):
    list_display = ("name", "version", "uri", "term_count")
    search_fields = ("name", "description")
    list_filter = ()  # a handful of vocabularies: nothing to filter
    readonly_fields = ("uuid", "created_at", "updated_at")

    counted_relations: ClassVar = {"term_count": "terms"}
    term_count = count_column("term_count", _("terms"))


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AnchorNetModelAdmin):
    list_display = ("name", "code", "taxonomy", "parent", "organisation_count")
    list_filter = ("taxonomy",)
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("taxonomy", "parent")
    list_select_related = ("taxonomy", "parent")
    readonly_fields = ("uuid", "created_at", "updated_at")

    counted_relations: ClassVar = {"organisation_count": "organisations"}
    organisation_count = count_column("organisation_count", _("organisations"))


@admin.register(Initiative)
class InitiativeAdmin(AnchorNetModelAdmin):
    list_display = ("name", "website", "organisation_count")
    list_filter = ()  # few enough to scan
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")

    counted_relations: ClassVar = {"organisation_count": "organisations"}
    organisation_count = count_column("organisation_count", _("organisations"))


@admin.register(SynonymGroup)
class SynonymGroupAdmin(AnchorNetModelAdmin):
    """Words residents use for the same thing: a directory search for one finds the others."""

    list_display = ("phrases", "note", "updated_at")
    list_filter = ()  # a few dozen groups: search finds one
    search_fields = ("phrases", "note")
    readonly_fields = ("created_at", "updated_at")
