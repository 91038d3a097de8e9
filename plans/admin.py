"""Admin for locality plans, their items and references: where officers oversee every plan.

Lead-anchor editors write plans in the front-end editor (``/plans/mine/``); should anyone but an
officer reach these pages, each queryset is scoped with ``core.permissions.plans``. Status
changes go through ``plans.services`` (the actions below), never through the form, so publishing
always supersedes the previous plan in the same transaction.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AnchorNetModelAdmin, AnchorNetStackedInline, AnchorNetTabularInline
from core.permissions import is_officer
from core.permissions.plans import can_edit_plan, plans_editable_by

from .models import PUBLIC_STATUSES, LocalityPlan, PlanItem, PlanReference
from .services import plan_publish, plan_share


class PlanScopedAdminMixin:
    """Limit what a non-officer sees and changes to the plans they may edit."""

    plan_path = "plan"  # how to reach the plan from this admin's model

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_officer(request.user):
            return queryset
        editable = plans_editable_by(request.user).values("pk")
        lookup = "pk__in" if self.plan_path == "" else f"{self.plan_path}__in"
        return queryset.filter(**{lookup: editable})

    def _plan_of(self, obj):
        return obj if self.plan_path == "" else getattr(obj, self.plan_path)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or is_officer(request.user):
            return allowed
        return can_edit_plan(request.user, self._plan_of(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed or is_officer(request.user):
            return allowed
        return can_edit_plan(request.user, self._plan_of(obj))


class PlanItemInline(AnchorNetStackedInline):
    """A plan's items, in section order."""

    model = PlanItem
    fields = (
        ("kind", "order"),
        "title",
        "detail",
        "themes",
        "organisations",
        ("people_heard", "heard_in_conversations", "heard_through_survey", "heard_at_events"),
        "heard_other",
        ("heard_from", "heard_to"),
    )
    autocomplete_fields = ("themes", "organisations")
    ordering = ("kind", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes", "organisations")


class PlanReferenceInline(AnchorNetTabularInline):
    """Other plans the plan, or one of its items, lines up with."""

    model = PlanReference
    fields = ("kind", "title", "owner", "url", "item")

    def get_formset(self, request, obj=None, **kwargs):
        self._parent = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "item":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        parent = getattr(self, "_parent", None)
        items = (
            PlanItem.objects.filter(plan=parent).order_by("kind", "order")
            if parent is not None
            else PlanItem.objects.none()
        )
        kwargs["queryset"] = items
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # The plan's items, read once for every row rather than once per row.
        field.choices = [("", _("The whole plan")), *((item.pk, str(item)) for item in items)]
        return field


@admin.register(LocalityPlan)
class LocalityPlanAdmin(PlanScopedAdminMixin, AnchorNetModelAdmin):
    plan_path = ""
    list_display = (
        "title",
        "locality",
        "owner",
        "period_label",
        "status",
        "published_on",
        "item_count",
    )
    list_filter = (
        "status",
        ("locality", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "summary", "slug", "locality__name", "owner__name")
    autocomplete_fields = ("locality", "owner")
    list_select_related = ("locality", "owner")
    readonly_fields = (
        "uuid",
        "slug",
        "status",
        "shared_on",
        "published_on",
        "supersedes",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            _("The plan"),
            {"fields": ["title", "locality", "owner", ("period_start", "period_end"), "summary"]},
        ),
        (
            _("Status"),
            {
                "fields": ["status", "shared_on", "published_on", "supersedes"],
                "description": _("Use the actions on the list to share or publish a plan."),
            },
        ),
        (_("Record"), {"fields": ["uuid", "slug", "created_at", "updated_at"]}),
    )
    inlines = (PlanItemInline, PlanReferenceInline)
    actions = ("share", "publish")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_autocomplete_request(request):
            return queryset
        return queryset.annotate(item_count=Count("items", distinct=True))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status in PUBLIC_STATUSES:
            # A published plan's place and owner are its history.
            fields += ["locality", "owner"]
        return fields

    @admin.display(description=_("years"), ordering="period_start")
    def period_label(self, obj: LocalityPlan) -> str:
        return obj.period_label

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj: LocalityPlan) -> int:
        return obj.item_count

    def _transition(self, request, queryset, service, done: tuple[str, str]) -> None:
        changed, problems = 0, []
        for plan in queryset.order_by("pk"):
            try:
                service(plan=plan, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                problems.append(f"{plan}: {reason}")
            else:
                changed += 1
        if changed:
            self.message_user(request, ngettext(done[0], done[1], changed) % {"count": changed}, messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=_("Share selected plans with councillors"), permissions=["change"])
    def share(self, request, queryset):
        self._transition(
            request,
            queryset,
            plan_share,
            ("Shared %(count)d plan with councillors.", "Shared %(count)d plans with councillors."),
        )

    @admin.action(
        description=_("Publish selected plans (replacing each area's current plan)"),
        permissions=["change"],
    )
    def publish(self, request, queryset):
        self._transition(
            request,
            queryset,
            plan_publish,
            ("Published %(count)d plan.", "Published %(count)d plans."),
        )


@admin.register(PlanItem)
class PlanItemAdmin(PlanScopedAdminMixin, AnchorNetModelAdmin):
    list_display = ("title", "kind", "order", "plan", "people_heard")
    list_filter = ("kind", "plan__status", "plan__locality")
    search_fields = ("title", "detail", "plan__title")
    autocomplete_fields = ("plan", "themes", "organisations")
    list_select_related = ("plan",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(PlanReference)
class PlanReferenceAdmin(PlanScopedAdminMixin, AnchorNetModelAdmin):
    list_display = ("title", "kind", "owner", "plan", "item")
    list_filter = ("kind", "plan__status")
    search_fields = ("title", "owner", "url", "plan__title")
    autocomplete_fields = ("plan", "item")
    list_select_related = ("plan", "item")
    readonly_fields = ("created_at", "updated_at")
