"""The officers' admin for residents' voices: every voice, with its contact details, and the
action "erase at the resident's request" (UK GDPR article 17, ``voices.privacy``)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AnchorNetModelAdmin, QuerySetMethodFilter

from . import privacy
from .models import Voice
from .services import recount_items


class UntaggedFilter(QuerySetMethodFilter):
    title = _("themes")
    parameter_name = "untagged"
    method = "untagged"
    labels = (_("No theme yet"), _("Tagged"))


class CountedFilter(QuerySetMethodFilter):
    title = _("duplicates")
    parameter_name = "counted"
    method = "counted"
    labels = (_("Counted (not merged)"), _("Merged into another"))


@admin.register(Voice)
class VoiceAdmin(AnchorNetModelAdmin):
    """Every voice. The admin is officers-only (``core.admin``), so the contact details shown here
    are seen by officers alone; an anchor's editors see those of their own voices on the voices
    pages."""

    list_display = ("__str__", "locality", "anchor", "heard_via", "status", "created_at")
    list_filter = ("status", "heard_via", UntaggedFilter, CountedFilter, "may_quote", "may_contact", "is_demo")
    list_select_related = ("locality", "anchor")
    search_fields = ("what_matters", "contact_name", "contact_email", "locality__name", "anchor__name")
    autocomplete_fields = ("locality", "anchor", "themes", "merged_into", "cited_on", "recorded_by")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    readonly_fields = ("consent_given_at", "status_changed_at", "erased_at", "created_at")
    actions = ("erase_at_request",)
    fieldsets = (
        (None, {"fields": ["locality", "what_matters", "themes", "heard_via", "recorded_by", "anchor"]}),
        (_("Status"), {"fields": ["status", "status_reason", "status_changed_at", "merged_into", "cited_on"]}),
        (
            _("Contact details and consent (officers and the anchor only)"),
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "may_contact",
                    "may_quote",
                    "consent_given_at",
                    "erased_at",
                    "created_at",
                    "is_demo",
                ]
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        # An officer's correction of the citations keeps the plan items' counts right too.
        before = set(form.instance.cited_on.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.cited_on.values_list("pk", flat=True))
        recount_items(before | after)

    @admin.action(description=_("Erase at the resident's request (their words and contact details)"))
    def erase_at_request(self, request, queryset):
        count = privacy.erase_at_request(queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "Erased %(count)d voice: its words and contact details are gone, history included.",
                "Erased %(count)d voices: their words and contact details are gone, history included.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
