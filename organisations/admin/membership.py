"""Who may edit or view an organisation's records."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AnchorNetModelAdmin

from ..models import Membership


@admin.register(Membership)
class MembershipAdmin(AnchorNetModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")
    readonly_fields = ("created_at", "updated_at")
