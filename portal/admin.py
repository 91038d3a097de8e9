"""Submitted quarterly returns in the officers' admin: to read, never to change. A return is
what was reported to the council; a correction is a new submission that replaces it, made from
the dashboard (``portal.services.return_submit``)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetModelAdmin

from .models import SubmittedReturn


@admin.register(SubmittedReturn)
class SubmittedReturnAdmin(AnchorNetModelAdmin):
    """Every submitted return, read-only, with its history."""

    list_display = ("network", "period_label", "submitted_by", "submitted_at", "replaced_column")
    list_filter = ("network", "period_start")
    list_select_related = ("network", "submitted_by")
    search_fields = ("network__name", "period_label", "period_code", "submitted_by__username", "reason")
    date_hierarchy = "submitted_at"
    ordering = ("-period_start", "-submitted_at")
    fields = (
        "network",
        "period_label",
        "period_start",
        "period_end",
        "submitted_by",
        "submitted_at",
        "replaces",
        "reason",
        "page_link",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The figures and the files are the return's own page's, never shown here: a page of 50
        # returns (and of the returns replacing them) would otherwise read 100 workbooks.
        return super().get_queryset(request).summaries()

    @admin.display(description=_("replaced"), boolean=True)
    def replaced_column(self, obj: SubmittedReturn) -> bool:
        return obj.is_replaced

    @admin.display(description=_("figures and downloads"))
    def page_link(self, obj: SubmittedReturn) -> str:
        return format_html('<a href="{}">{}</a>', reverse("portal:return_detail", args=[obj.pk]), _("Open the return"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
