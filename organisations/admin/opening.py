"""When organisations are open, and the languages their people speak (Open Referral UK
schedule and language): the list of languages, and every opening time across the directory."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin, count_column

from ..models import Language, Schedule


@admin.register(Language)
class LanguageAdmin(AnchorNetModelAdmin):
    list_display = ("name", "code", "organisation_count")
    list_filter = ()  # a short list: nothing to filter
    search_fields = ("name", "code")
    readonly_fields = ("uuid", "created_at", "updated_at")

    counted_relations: ClassVar = {"organisation_count": "organisations"}
    organisation_count = count_column("organisation_count", _("organisations"))


@admin.register(Schedule)
class ScheduleAdmin(AnchorNetModelAdmin):
    """Every organisation's opening times; officers usually change them on the organisation."""

    list_display = ("organisation", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "by_appointment")
    list_filter = ("byday", "by_appointment")
    search_fields = ("organisation__name", "notes")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
    # The list joins the organisation anyway (list_select_related), so it can read by name.
    ordering = ("organisation__name", "byday", "opens_at")
    readonly_fields = ("uuid", "created_at", "updated_at")
