"""Inlines of the organisations admin: anchor roles (on an organisation and on a network),
memberships and opening times."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.admin import AnchorNetTabularInline

from ..models import AnchorRole, Membership, Schedule
from .forms import AnchorRoleForm, AnchorRoleInlineFormSet


class _AnchorRoleInlineBase(AnchorNetTabularInline):
    model = AnchorRole
    form = AnchorRoleForm
    formset = AnchorRoleInlineFormSet

    def get_queryset(self, request):
        # What each row's autocompletes show, fetched with the rows (see AnchorNetInlineFormSet).
        return (
            super()
            .get_queryset(request)
            .select_related(
                "organisation",
                "network",
                "locality",
                "lead__organisation",
                "lead__network",
                "lead__locality",
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            # The chosen lead's label names its organisation, place and network: fetch them at once.
            kwargs["queryset"] = AnchorRole.objects.select_related("organisation", "network", "locality")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnchorRoleInline(_AnchorRoleInlineBase):
    """An organisation's anchor roles, on its page."""

    fk_name = "organisation"
    fields = ("network", "role", "locality", "lead", "joined_on", "agreement_signed_on", "left_on")
    autocomplete_fields = ("network", "locality", "lead")


class NetworkAnchorRoleInline(_AnchorRoleInlineBase):
    """A network's anchor roles, on its page."""

    fk_name = "network"
    fields = (
        "organisation",
        "role",
        "locality",
        "lead",
        "joined_on",
        "agreement_signed_on",
        "left_on",
    )
    autocomplete_fields = ("organisation", "locality", "lead")


class MembershipInline(AnchorNetTabularInline):
    """The people who may edit or view an organisation's records."""

    model = Membership
    fields = ("user", "role")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class ScheduleInline(AnchorNetTabularInline):
    """An organisation's weekly opening times, one row per day (Open Referral UK schedule)."""

    model = Schedule
    fields = ("byday", "opens_at", "closes_at", "by_appointment", "valid_from", "valid_to", "notes")
    verbose_name = _("opening time")
    verbose_name_plural = _("opening times (one row per day; leave empty to use the opening hours text)")
