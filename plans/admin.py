"""Admin for locality plans, their items and references: where officers oversee every plan.

Lead-anchor editors write plans in the front-end editor (``/plans/mine/``); the admin is the
officers' alone (``core.admin.OfficersOnlyMixin``). A change to a plan goes through
``plans.services.plan_update``, with the status the form was loaded with, exactly as in the
editor; status changes go through the other services (the actions below), so publishing always
supersedes the previous plan in the same transaction.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AnchorNetModelAdmin, AnchorNetStackedInline, AnchorNetTabularInline, count_column
from core.concurrency import VERSION_FIELD

from .models import LocalityPlan, PlanComment, PlanItem, PlanItemProposal, PlanOpening, PlanReference, PlanShare
from .services import UPDATABLE_FIELDS, plan_publish, plan_share, plan_update


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


class LocalityPlanAdminForm(forms.ModelForm):
    """The plan's change form, carrying (hidden) the status it was loaded with, for
    ``plan_update``'s check."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_status"].initial = self.instance.status
            self.fields["expected_status"].required = True


@admin.register(LocalityPlan)
class LocalityPlanAdmin(AnchorNetModelAdmin):
    form = LocalityPlanAdminForm
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
                "fields": ["status", "shared_on", "published_on", "supersedes", "expected_status"],
                "description": _("Use the actions on the list to share or publish a plan."),
            },
        ),
        (_("Record"), {"fields": ["uuid", "slug", "created_at", "updated_at"]}),
    )
    inlines = (PlanItemInline, PlanReferenceInline)
    actions = ("share", "publish")
    counted_relations: ClassVar = {"item_count": "items"}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_public:
            # A published plan's place and owner are its history.
            fields += ["locality", "owner"]
        return fields

    def save_model(self, request, obj, form, change):
        """A new plan is saved as the form made it (a draft); a change goes through
        ``plan_update``, which refuses it if the plan's status changed since the form was
        loaded (shown on the form again by ``AnchorNetModelAdmin``'s safety net)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        plan_update(
            plan=obj,
            user=request.user,
            expected_status=form.cleaned_data["expected_status"],
            expected_version=form.cleaned_data.get(VERSION_FIELD),
            values={name: form.cleaned_data[name] for name in UPDATABLE_FIELDS if name in form.cleaned_data},
        )

    @admin.display(description=_("years"), ordering="period_start")
    def period_label(self, obj: LocalityPlan) -> str:
        return obj.period_label

    item_count = count_column("item_count", _("items"))

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
class PlanItemAdmin(AnchorNetModelAdmin):
    list_display = ("title", "kind", "order", "plan", "people_heard")
    list_filter = ("kind", "plan__status", "plan__locality")
    search_fields = ("title", "detail", "plan__title")
    autocomplete_fields = ("plan", "themes", "organisations")
    list_select_related = ("plan",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(PlanReference)
class PlanReferenceAdmin(AnchorNetModelAdmin):
    list_display = ("title", "kind", "owner", "plan", "item")
    list_filter = ("kind", "plan__status")
    search_fields = ("title", "owner", "url", "plan__title")
    autocomplete_fields = ("plan", "item")
    list_select_related = ("plan", "item")
    readonly_fields = ("created_at", "updated_at")


class _RecordAdmin(AnchorNetModelAdmin):
    """Records the portal writes as things happen (a share, a councillor opening a plan):
    officers read them; nobody adds or changes one by hand, since it would no longer say what
    happened. Deleting stays possible (e.g. a councillor's account erased)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlanShare)
class PlanShareAdmin(_RecordAdmin):
    """What each plan was when it was shared with councillors (``plans.services.plan_share``)."""

    list_display = ("plan", "shared_on", "shared_by")
    list_filter = ("shared_on", "plan__status")
    search_fields = ("plan__title", "plan__locality__name", "shared_by__username")
    list_select_related = ("plan", "shared_by")
    fields = ("plan", "shared_on", "shared_by", "snapshot", "created_at")
    date_hierarchy = "shared_on"


@admin.register(PlanOpening)
class PlanOpeningAdmin(_RecordAdmin):
    """When each councillor first opened a plan shared with them."""

    list_display = ("plan", "user", "first_opened_at")
    list_filter = ("plan__status", "first_opened_at")
    search_fields = ("plan__title", "user__username", "user__first_name", "user__last_name")
    list_select_related = ("plan", "user")
    fields = ("plan", "user", "first_opened_at")
    date_hierarchy = "first_opened_at"


class AnsweredFilter(admin.SimpleListFilter):
    """Questions by whether one of the plan's writers has replied
    (``PlanCommentQuerySet.with_answered``); "Unanswered" is the officers' list of questions
    waiting for an answer."""

    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return (("no", _("Unanswered questions")), ("yes", _("Answered questions")))

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unanswered().order_by("created_at", "pk")
        if self.value() == "yes":
            return queryset.questions().filter(answered=True)
        return queryset


@admin.register(PlanComment)
class PlanCommentAdmin(AnchorNetModelAdmin):
    """Questions and comments on shared plans, and the replies. Written on the plan's pages
    (``plans.services.plan_comment_add``, which tells the right people), so not added here;
    an officer may correct a comment's text (say, to remove someone's personal details), and
    the history keeps what it said before."""

    list_display = ("__str__", "plan", "author_role", "author", "is_question", "answered", "is_reply", "created_at")
    list_filter = (AnsweredFilter, "is_question", "author_role", "plan__status")
    search_fields = ("body", "item_title", "plan__title", "author__username", "author__first_name", "author__last_name")
    list_select_related = ("plan", "author")
    readonly_fields = ("plan", "item", "item_title", "parent", "author", "author_role", "is_question", "created_at")
    fields = ("plan", "item", "item_title", "parent", "author", "author_role", "is_question", "body", "created_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_answered()

    @admin.display(description=_("answered"), boolean=True, ordering="answered")
    def answered(self, obj: PlanComment) -> bool | None:
        """Whether a question has been answered; nothing for a comment or a reply."""
        return obj.answered if obj.is_question else None

    @admin.display(description=_("reply"), boolean=True)
    def is_reply(self, obj: PlanComment) -> bool:
        return obj.is_reply


@admin.register(PlanItemProposal)
class PlanItemProposalAdmin(_RecordAdmin):
    """Items local anchors proposed for their lead anchor's plans, and the decisions
    (``plans.services.proposal_create``, ``proposal_decide``): the lead anchor decides in the
    front end, so officers read them here."""

    list_display = ("title", "plan", "organisation", "kind", "status", "created_at", "decided_at")
    list_filter = ("status", "kind", "plan__status")
    search_fields = ("title", "detail", "plan__title", "organisation__name", "proposer__username")
    list_select_related = ("plan", "organisation")
    fields = (
        "plan",
        "organisation",
        "proposer",
        "kind",
        "title",
        "detail",
        "note",
        "status",
        "decision_note",
        "decided_by",
        "decided_at",
        "item",
    )
    date_hierarchy = "created_at"
