"""Admin for organisations, networks, anchor roles, services (taxonomy terms), initiatives and
memberships: where council officers keep the directory up to date."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    AnchorNetInlineFormSet,
    AnchorNetModelAdmin,
    AnchorNetTabularInline,
    ExportableAdminMixin,
    InlineModelForm,
)
from core.models import PublicationStatus
from core.validators import is_postcode, normalise_postcode
from localities.admin import DistrictFilter, current_q, localities_as_tree, pk_param
from localities.models import Locality, LocalityKind

from .models import (
    AnchorRole,
    AnchorRoleKind,
    Initiative,
    Membership,
    Network,
    Organisation,
    ProfileRevision,
    ProfileRevisionStatus,
    Taxonomy,
    TaxonomyTerm,
)
from .resources import AnchorRoleResource, OrganisationResource
from .services import (
    organisation_restore,
    profile_revision_approve,
    profile_revision_changes,
    profile_revision_reject,
)

# What to tell an officer when a trigger in migration 0003 refuses a save that the forms did not
# catch first (e.g. two conflicting edits in one submission). Keys are fragments of the
# triggers' messages on PostgreSQL and SQLite.
ANCHOR_ROLE_DATABASE_ERRORS = {
    "does not fit": _(
        "Nothing was saved: an anchor role does not fit its network. A network with lead and "
        "local anchors takes only those roles; a network of peers takes only plain anchors."
    ),
    "do not fit": _(
        "Nothing was saved: the network still has current anchor roles that do not fit the new "
        "structure. End or change those roles first."
    ),
    "needs a current lead anchor": _(
        "Nothing was saved: a current local anchor needs a lead anchor that is a current lead "
        "anchor of the same network."
    ),
    "move this lead anchor": _(
        "Nothing was saved: a lead anchor still has current local anchors. Move them to another "
        "lead anchor (or record that they left) before this role ends or changes."
    ),
}


def _names(names: list[str], limit: int = 5) -> str:
    """``"A, B and 3 more"``: a short list for a message."""
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        return _("%(names)s and %(count)d more") % {"names": shown, "count": len(names) - limit}
    return shown


# ------------------------------------------------------------------------------
# Forms: explain the database's rules before the database has to refuse a save
# ------------------------------------------------------------------------------
class AnchorRoleForm(InlineModelForm):
    """An anchor role. ``AnchorRole.clean`` and the model's constraints explain the rules; as an
    inline form it also checks the constraints that involve the parent (see ``InlineModelForm``)."""

    class Meta:
        model = AnchorRole
        fields = "__all__"  # the admin's fields/fieldsets choose what is shown


class AnchorRoleInlineFormSet(AnchorNetInlineFormSet):
    """Anchor roles edited together: catch conflicts between rows of one submission, which
    neither the rows' own validation nor the database (until it is too late) can see."""

    def clean(self):
        super().clean()
        errors: list[str] = []
        current_leads: set[tuple] = set()
        current_roles: set[tuple] = set()
        ending_leads: set[int] = set()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form.errors or (self.can_delete and data.get("DELETE")):
                continue
            rows.append((form, data))
            saved = form.instance
            if (
                saved.pk
                and saved.role == AnchorRoleKind.LEAD_ANCHOR
                and saved.left_on is None
                and (data.get("role") != AnchorRoleKind.LEAD_ANCHOR or data.get("left_on") is not None)
            ):
                ending_leads.add(saved.pk)
        for _form, data in rows:
            if data.get("left_on") is not None:
                continue
            network, locality, organisation = (
                data.get("network"),
                data.get("locality"),
                data.get("organisation"),
            )
            if network is None or locality is None or organisation is None:
                continue
            # The parent may be new (no pk yet); every row shares it, so "new" identifies it.
            place = (network.pk or "new", locality.pk)
            if data.get("role") == AnchorRoleKind.LEAD_ANCHOR:
                if place in current_leads:
                    errors.append(
                        _("%(place)s: two rows make a current lead anchor for the same area in %(network)s.")
                        % {"place": locality, "network": network}
                    )
                current_leads.add(place)
            org_place = (organisation.pk or "new", *place)
            if org_place in current_roles:
                errors.append(
                    _("%(organisation)s has two current roles for %(place)s in %(network)s.")
                    % {"organisation": organisation, "place": locality, "network": network}
                )
            current_roles.add(org_place)
            lead = data.get("lead")
            if data.get("role") == AnchorRoleKind.LOCAL_ANCHOR and lead is not None and lead.pk in ending_leads:
                errors.append(
                    _("%(organisation)s cannot work under %(lead)s: that lead anchor role ends in this change.")
                    % {"organisation": organisation, "lead": lead.organisation}
                )
        if errors:
            raise ValidationError(errors)


# ------------------------------------------------------------------------------
# List filters
# ------------------------------------------------------------------------------
class NetworkFilter(admin.SimpleListFilter):
    """Organisations with a current anchor role in a network."""

    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Network.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        roles = AnchorRole.objects.current().filter(network_id=pk_param(self.value()))
        return queryset.filter(pk__in=roles.values("organisation_id"))


class AnchorRoleFilter(admin.SimpleListFilter):
    """An organisation's current place in the networks: lead, local or peer anchor,
    coordinator, or a community group (none of those)."""

    title = _("anchor role")
    parameter_name = "role"
    COORDINATOR = "coordinator"
    COMMUNITY_GROUP = "community_group"

    def lookups(self, request, model_admin):
        return [
            *AnchorRoleKind.choices,
            (self.COORDINATOR, _("Network coordinator")),
            (self.COMMUNITY_GROUP, _("Community group (no anchor role)")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in AnchorRoleKind.values:
            return queryset.with_anchor_role(value)
        if value == self.COORDINATOR:
            return queryset.coordinators()
        if value == self.COMMUNITY_GROUP:
            return queryset.community_groups()
        return queryset


class ServingLocalityFilter(admin.SimpleListFilter):
    """Organisations serving a place or anywhere inside it. Offers districts, areas and current
    wards, as a tree; any locality id works in the address."""

    title = _("area served")
    parameter_name = "locality"

    def lookups(self, request, model_admin):
        places = Locality.objects.filter(
            Q(kind__in=[LocalityKind.DISTRICT, LocalityKind.AREA]) | (Q(kind=LocalityKind.WARD) & current_q())
        ).only("pk", "name", "parent_id", "ancestor_path")
        # Kept for queryset(): facet counts call it once per choice, so no query per choice.
        self._places = {str(place.pk): place for place in places}
        return [
            (str(place.pk), f"{'— ' * depth}{place.name}")
            for place, depth in localities_as_tree(list(self._places.values()))
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        locality = self._places.get(self.value())
        if locality is None:
            # Any place may be asked for by address, e.g. an ended ward from a locality's page.
            locality = Locality.objects.filter(pk=pk_param(self.value())).first()
        if locality is None:
            return queryset.none()
        return queryset.serving(locality)


class CurrentRoleFilter(admin.SimpleListFilter):
    """Roles held now, or roles the organisation has left."""

    title = _("current or left")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("left", _("Left"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "left":
            return queryset.filter(left_on__isnull=False)
        return queryset


class RoleDistrictFilter(DistrictFilter):
    """Anchor roles whose locality is in a district."""

    locality_field = "locality"


# ------------------------------------------------------------------------------
# Inlines
# ------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------
# Organisations
# ------------------------------------------------------------------------------
@admin.register(Organisation)
class OrganisationAdmin(ExportableAdminMixin, AnchorNetModelAdmin):
    # Named, so that "Export" is added to it rather than replacing it (django-import-export).
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
    autocomplete_fields = ("localities", "services", "initiatives")
    readonly_fields = ("uuid", "postcode_outward", "created_at", "updated_at")
    fieldsets = (
        (_("About"), {"fields": ["name", "slug", "kind", "description"]}),
        (
            _("Contact details (public)"),
            {
                "fields": ["website", "email", "phone", "address", "postcode", "postcode_outward"],
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
        (_("Identifiers"), {"fields": ["charity_number", "company_number", "uuid"]}),
        (_("Areas and services"), {"fields": ["localities", "services", "initiatives"]}),
        (_("Publication"), {"fields": ["status", "is_demo", "created_at", "updated_at"]}),
    )
    inlines = (AnchorRoleInline, MembershipInline)
    actions = ("publish", "archive", "return_to_draft")
    database_error_messages = ANCHOR_ROLE_DATABASE_ERRORS

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Say so when an editor's edit to this profile waits for review: changing the profile
        here meanwhile is fine (approval keeps what the editor did not change), but the officer
        should know."""
        if request.method == "GET":
            pending = (
                ProfileRevision.objects.pending().filter(organisation_id=object_id).only("pk").first()
                if str(object_id).isdigit()
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
                .select_related("network", "locality")
                .order_by("role", "locality__name"),
                to_attr="current_anchor_roles",
            ),
            Prefetch(
                "coordinated_networks",
                queryset=Network.objects.order_by("name"),
                to_attr="coordinated_network_list",
            ),
        )

    def get_urls(self):
        deleted = self.admin_site.admin_view(self.deleted_view)
        return [
            path("deleted/", deleted, name="organisations_organisation_deleted"),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        """Deleted organisations, newest first, each with a button that restores it with its
        areas, services, initiatives, anchor roles and memberships (POST)."""
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


# ------------------------------------------------------------------------------
# Networks and anchor roles
# ------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------
# Services (taxonomy), initiatives, memberships
# ------------------------------------------------------------------------------
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


@admin.register(Membership)
class MembershipAdmin(AnchorNetModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")
    readonly_fields = ("created_at", "updated_at")


# ------------------------------------------------------------------------------
# Profile edits held for review
# ------------------------------------------------------------------------------
@admin.register(ProfileRevision)
class ProfileRevisionAdmin(AnchorNetModelAdmin):
    """Officers review editors' edits to published profiles: see what changed, then approve
    (the edit goes live) or reject with a note."""

    list_display = ("organisation", "status", "submitted_by", "created_at", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("organisation", "submitted_by", "reviewed_by")
    search_fields = ("organisation__name", "submitted_by__username", "submitted_by__email")
    fields = (
        "organisation",
        "status",
        "submitted_by",
        "created_at",
        "changes",
        "review_note",
        "reviewed_by",
        "reviewed_at",
    )
    readonly_fields = ("organisation", "status", "submitted_by", "created_at", "changes", "reviewed_by", "reviewed_at")
    change_form_template = "admin/organisations/profilerevision/change_form.html"

    def has_add_permission(self, request, obj=None):
        return False  # edits arrive from editors through the front end

    @admin.display(description=_("what changed"))
    def changes(self, obj: ProfileRevision):
        rows = profile_revision_changes(obj)
        if not rows:
            return _("Nothing: the edit matches the published profile.")
        changed_since = any(row[3] for row in rows)
        note = (
            format_html(
                "<p><strong>{}</strong></p>",
                _(
                    "Someone changed the profile after this edit was made: the last column shows the value "
                    "live now. Approving publishes the proposed value; fields the editor did not change keep "
                    "their live values."
                ),
            )
            if changed_since
            else ""
        )
        return format_html(
            '{}<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            note,
            _("Field"),
            _("When the edit was made"),
            _("Proposed"),
            _("Live now, if changed since"),
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>', rows),
        )

    def response_change(self, request, obj):
        """Say what the decision did, rather than Django's "was changed successfully"."""
        if "_approve" in request.POST or "_reject" in request.POST:
            obj.refresh_from_db()
            if obj.status == ProfileRevisionStatus.APPROVED:
                message = _("The edit to %(name)s is approved and live on its public page.")
            else:
                message = _("The edit to %(name)s is rejected; the editor sees your note.")
            self.message_user(request, message % {"name": obj.organisation.name}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:organisations_profilerevision_changelist"))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("review_note", "")
        if "_approve" in request.POST:
            profile_revision_approve(revision=obj, user=request.user, note=note)
        elif "_reject" in request.POST:
            profile_revision_reject(revision=obj, user=request.user, note=note)
        else:
            obj.save(update_fields=["review_note", "updated_at"])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ReviewForm(form):
            def clean(self):
                cleaned_data = super().clean()
                if self.instance.pk and not self.instance.is_pending and ({"_approve", "_reject"} & set(request.POST)):
                    raise ValidationError(_("This edit has already been reviewed."))
                if "_reject" in request.POST and not (cleaned_data.get("review_note") or "").strip():
                    self.add_error("review_note", _("Say why the edit is rejected, so the editor can put it right."))
                return cleaned_data

        return ReviewForm
