"""The organisations admin: the directory's records, their roles, restore of deleted ones."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AnchorNetModelAdmin, ExportableAdminMixin, ImportableAdminMixin
from core.forms import is_storable_id
from core.models import PublicationStatus
from core.validators import is_postcode, normalise_postcode

from ..models import AnchorRole, Network, Organisation, ProfileRevision
from ..resources import OrganisationResource
from ..services import organisation_deletion_blockers, organisation_restore
from .filters import AnchorRoleFilter, NetworkFilter, ServingLocalityFilter
from .forms import ANCHOR_ROLE_DATABASE_ERRORS
from .inlines import AnchorRoleInline, MembershipInline, ScheduleInline


@admin.register(Organisation)
class OrganisationAdmin(ImportableAdminMixin, ExportableAdminMixin, AnchorNetModelAdmin):
    # Named, so that "Import" and "Export" are added to it rather than replacing it (django-import-export).
    change_list_template = "admin/organisations/organisation/change_list.html"
    resource_classes = [OrganisationResource]
    export_prefetch = ("localities", "services")
    list_display = ("name", "kind", "status", "network_roles", "is_demo", "updated_at")
    list_filter = (
        "status",
        "kind",
        NetworkFilter,
        AnchorRoleFilter,
        ServingLocalityFilter,
        "initiatives",
        "services",
        "is_demo",
    )
    search_fields = ("name", "slug", "description", "postcode", "charity_number", "company_number")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("localities", "services", "initiatives", "languages")
    readonly_fields = ("uuid", "postcode_outward", "created_at", "updated_at")
    fieldsets = (
        (_("About"), {"fields": ["name", "slug", "kind", "description"]}),
        (
            _("Contact details (public)"),
            {
                "fields": ["website", "email", "phone", "address", "postcode", "postcode_outward", "opening_hours"],
                "description": _("Shown on public pages: never a person's own details."),
            },
        ),
        (
            _("Contact details (officers only)"),
            {
                "fields": ["contact_name", "contact_phone", "contact_email"],
                "description": _("Never shown publicly: for officers to reach the organisation."),
            },
        ),
        (
            _("Cost, languages and access"),
            {
                "fields": [
                    "cost_option",
                    "cost_amount",
                    "cost_amount_description",
                    "languages",
                    "step_free_access",
                    "accessibility_details",
                ],
                "description": _("Shown on the public page and in the directory's results."),
            },
        ),
        (_("Identifiers"), {"fields": ["charity_number", "company_number", "uuid"]}),
        (_("Areas and services"), {"fields": ["localities", "services", "initiatives"]}),
        (_("Publication"), {"fields": ["status", "is_demo", "created_at", "updated_at"]}),
    )
    inlines = (AnchorRoleInline, MembershipInline, ScheduleInline)
    actions = ("publish", "archive", "return_to_draft")
    database_error_messages = ANCHOR_ROLE_DATABASE_ERRORS

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Say so when an editor's edit to this profile waits for review: changing the profile
        here meanwhile is fine (approval keeps what the editor did not change), but the officer
        should know."""
        if request.method == "GET":
            pending = (
                ProfileRevision.objects.pending().filter(organisation_id=object_id).only("pk").first()
                if is_storable_id(object_id)
                else None
            )
            if pending is not None:
                url = reverse("admin:organisations_profilerevision_change", args=[pending.pk])
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("An editor's edit to this profile is waiting for review."),
                        url,
                        _("Review it"),
                    ),
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        # Two queries for the whole page, whatever its length: never one per row.
        return queryset.prefetch_related(
            Prefetch(
                "anchor_roles",
                queryset=AnchorRole.objects.current()
                .select_related("network", "locality", "lead__organisation")
                .order_by("role", "locality__name"),
                to_attr="current_anchor_roles",
            ),
            Prefetch(
                "coordinated_networks",
                queryset=Network.objects.order_by("name"),
                to_attr="coordinated_network_list",
            ),
        )

    def get_deleted_objects(self, objs, request):
        """Refuse to delete an organisation that anything refers to, listing what: it is
        archived instead, so nothing hanging on it is lost (docs/adr/0007-archive-dont-delete.md).
        Django's delete page then offers no way to confirm; the template says to archive."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for organisation in objs:
            blockers = organisation_deletion_blockers(organisation)
            if blockers:
                protected.append(
                    _("%(name)s: %(records)s") % {"name": organisation.name, "records": ", ".join(blockers)}
                )
        return to_delete, model_count, perms_needed, protected

    def get_urls(self):
        deleted = self.admin_site.admin_view(self.deleted_view)
        return [
            path("deleted/", deleted, name="organisations_organisation_deleted"),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        """Deleted organisations, newest first, each with a button that restores it with its
        areas, services and initiatives (POST)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                organisation = organisation_restore(
                    organisation_id=int(request.POST.get("organisation_id", "")), user=request.user
                )
            except (ValueError, Organisation.DoesNotExist):
                self.message_user(
                    request, _("That organisation cannot be restored: it is not deleted."), messages.ERROR
                )
            else:
                self.message_user(request, _("Restored %(name)s.") % {"name": organisation.name}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:organisations_organisation_change", args=[organisation.pk]))
        live = Organisation.objects.values("pk")
        deleted = (
            Organisation.history.filter(history_type="-")
            .exclude(id__in=live)
            .select_related("history_user")
            .order_by("-history_date")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted organisations"),
            "deleted": deleted,
        }
        return TemplateResponse(request, "admin/organisations/organisation/deleted.html", context)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # "ls146jb" finds LS14 6JB: postcodes are stored normalised.
        if is_postcode(search_term):
            results = results | queryset.filter(postcode=normalise_postcode(search_term))
        return results, may_have_duplicates

    @admin.display(description=_("network roles"))
    def network_roles(self, obj: Organisation):
        """Current roles from the prefetch, e.g. "Lead anchor, Batley and Spen"."""
        lines = [(role.get_role_display(), role.locality.name) for role in obj.current_anchor_roles]
        lines += [(_("Coordinator"), network.name) for network in obj.coordinated_network_list]
        if not lines:
            return None
        return format_html_join(mark_safe("<br>"), "{}, {}", lines)

    def _change_status(self, request, queryset, status: str, done: tuple[str, str]) -> None:
        selected = queryset.count()
        changed = self.update_queryset(request, queryset, status=status)
        unchanged = selected - changed
        text = ngettext(done[0], done[1], changed) % {"count": changed}
        if unchanged:
            text += " " + ngettext(
                "%(count)d was already %(status)s.", "%(count)d were already %(status)s.", unchanged
            ) % {"count": unchanged, "status": PublicationStatus(status).label.lower()}
        self.message_user(request, text, messages.SUCCESS if changed else messages.INFO)

    @admin.action(description=_("Publish selected organisations"), permissions=["change"])
    def publish(self, request, queryset):
        self._change_status(
            request,
            queryset,
            PublicationStatus.PUBLISHED,
            ("Published %(count)d organisation.", "Published %(count)d organisations."),
        )

    @admin.action(description=_("Archive selected organisations"), permissions=["change"])
    def archive(self, request, queryset):
        self._change_status(
            request,
            queryset,
            PublicationStatus.ARCHIVED,
            ("Archived %(count)d organisation.", "Archived %(count)d organisations."),
        )

    @admin.action(description=_("Return selected to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._change_status(
            request,
            queryset,
            PublicationStatus.DRAFT,
            (
                "Returned %(count)d organisation to draft.",
                "Returned %(count)d organisations to draft.",
            ),
        )
