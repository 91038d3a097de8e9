"""Admin for meetings, series, actions and calendar subscriptions: where officers keep the
schedule, the papers and the actions up to date."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AnchorNetInlineFormSet, AnchorNetModelAdmin, AnchorNetTabularInline, ExportableAdminMixin
from core.forms import is_storable_id

from .models import (
    LONDON,
    Action,
    ActionStatus,
    Attendance,
    CalendarToken,
    Meeting,
    MeetingSeries,
    MeetingSeriesException,
)
from .resources import ActionResource, AttendanceResource, MeetingResource
from .services import series_create_occurrences, series_exception_apply

# How far ahead "Create the next occurrences" makes meetings.
OCCURRENCES_AHEAD = relativedelta(months=12)


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment, LONDON).strftime("%a %-d %b %Y, %H:%M") if moment else "—"


# ------------------------------------------------------------------------------
# Meetings
# ------------------------------------------------------------------------------
class AttendanceInline(AnchorNetTabularInline):
    model = Attendance
    fields = ("organisation", "status")
    autocomplete_fields = ("organisation",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ActionInline(AnchorNetTabularInline):
    model = Action
    fk_name = "raised_at"
    fields = ("description", "owner", "due_on", "status")
    autocomplete_fields = ("owner",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


@admin.register(Meeting)
class MeetingAdmin(ExportableAdminMixin, AnchorNetModelAdmin):
    resource_classes = [MeetingResource]
    export_prefetch = ("organiser", "localities", "attendances", "actions")
    list_display = (
        "title",
        "when",
        "kind",
        "visibility",
        "network",
        "series",
        "is_cancelled",
        "minutes_published",
    )
    list_display_links = ("title",)
    list_filter = ("kind", "visibility", "cancelled", "minutes_published", "network", "series")
    list_select_related = ("network", "series")
    search_fields = ("title", "venue", "organiser__name", "network__name", "agenda")
    autocomplete_fields = ("series", "organiser", "network", "localities")
    date_hierarchy = "start"
    ordering = ("start", "pk")
    readonly_fields = ("uuid", "occurrence_start", "sequence", "page_link")
    inlines = (AttendanceInline, ActionInline)
    fieldsets = (
        (None, {"fields": ("title", "kind", "network", "organiser", "localities", "visibility")}),
        (_("When and where"), {"fields": ("start", "end", "venue", "address", "joining_url")}),
        (
            _("Papers"),
            {"fields": ("agenda", "minutes", "minutes_published", "minutes_published_on")},
        ),
        (_("Cancellation"), {"fields": ("cancelled", "cancellation_reason")}),
        (
            _("Series and calendar"),
            {"fields": ("series", "occurrence_start", "uuid", "sequence", "page_link")},
        ),
    )

    object_history_template = "admin/meetings/meeting/object_history.html"
    # The most attendance and action changes the meeting's history page lists.
    RELATED_HISTORY_LIMIT = 500

    def history_view(self, request, object_id, extra_context=None):
        """The meeting's history, and under it every change to its attendance and actions:
        editors record those on the front end, and a removed row has no page of its own, so
        this is where an officer finds who removed what, and when. Three queries."""
        limit = self.RELATED_HISTORY_LIMIT
        rows = []
        meeting_id = int(object_id) if is_storable_id(object_id) else None
        if meeting_id is not None:
            attendance = Attendance.history.filter(meeting_id=meeting_id).select_related(
                "history_user", "organisation"
            )[: limit + 1]
            actions = Action.history.filter(raised_at_id=meeting_id).select_related("history_user", "owner")[
                : limit + 1
            ]
            for row in attendance:
                row.label = _("Attendance: %(organisation)s, %(status)s") % {
                    "organisation": row.organisation.name if row.organisation else _("a removed organisation"),
                    "status": row.get_status_display(),
                }
                rows.append(row)
            for row in actions:
                row.label = _("Action: %(action)s") % {"action": str(row.instance)}
                rows.append(row)
            rows.sort(key=lambda row: row.history_date, reverse=True)
        context = {
            "related_history": rows[:limit],
            "related_history_truncated": len(rows) > limit,
            "related_history_limit": limit,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    @admin.display(description=_("when (UK time)"), ordering="start")
    def when(self, obj: Meeting) -> str:
        return _local(obj.start)

    @admin.display(description=_("cancelled"), boolean=True, ordering="cancelled")
    def is_cancelled(self, obj: Meeting) -> bool:
        return obj.cancelled

    @admin.display(description=_("public page"))
    def page_link(self, obj: Meeting) -> str:
        return obj.get_absolute_url() if obj.pk else "—"

    def autocomplete_label(self, obj: Meeting) -> str:
        return f"{obj.title} ({_local(obj.start)})"


# ------------------------------------------------------------------------------
# Series
# ------------------------------------------------------------------------------
class ExceptionInlineFormSet(AnchorNetInlineFormSet):
    """Every row knows the series as edited on the page, so an exception is checked against
    the rule being saved (even for a new series)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self.fk.set_cached_value(form.instance, self.instance)
        return form


class MeetingSeriesExceptionInline(AnchorNetTabularInline):
    model = MeetingSeriesException
    formset = ExceptionInlineFormSet
    fields = ("original_start", "cancelled", "moved_to", "reason")
    extra = 0


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AnchorNetModelAdmin):
    list_display = (
        "title",
        "kind",
        "network",
        "rrule",
        "first_meeting",
        "duration_minutes",
        "visibility",
        "occurrence_count",
    )
    list_filter = ("kind", "visibility", "network")
    list_select_related = ("network",)
    search_fields = ("title", "network__name", "organiser__name")
    autocomplete_fields = ("network", "organiser", "localities")
    inlines = (MeetingSeriesExceptionInline,)
    actions = ("create_next_occurrences",)
    fieldsets = (
        (None, {"fields": ("title", "kind", "network", "organiser", "localities", "visibility")}),
        (_("Recurrence"), {"fields": ("rrule", "dtstart", "duration_minutes")}),
        (_("Where (copied to each meeting)"), {"fields": ("venue", "address", "joining_url")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_occurrences=Count("meetings"))

    @admin.display(description=_("first meeting (UK time)"), ordering="dtstart")
    def first_meeting(self, obj: MeetingSeries) -> str:
        return _local(obj.dtstart)

    @admin.display(description=_("meetings made"), ordering="_occurrences")
    def occurrence_count(self, obj: MeetingSeries) -> int:
        return obj._occurrences

    @admin.action(description=_("Create the next occurrences (12 months)"))
    def create_next_occurrences(self, request, queryset):
        now = timezone.now()
        total = 0
        for series in queryset:
            total += len(series_create_occurrences(series=series, since=now, until=now + OCCURRENCES_AHEAD))
        self.message_user(
            request,
            ngettext(
                "Made %(count)d meeting. Occurrences that already had one were left as they were.",
                "Made %(count)d meetings. Occurrences that already had one were left as they were.",
                total,
            )
            % {"count": total},
            messages.SUCCESS,
        )

    def save_formset(self, request, form, formset, change):
        """After saving exceptions, apply the new or changed ones to meetings already made:
        cancel them, or move them."""
        super().save_formset(request, form, formset, change)
        if formset.model is not MeetingSeriesException:
            return
        touched = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        applied = [meeting for exception in touched if (meeting := series_exception_apply(exception=exception))]
        if applied:
            self.message_user(
                request,
                ngettext(
                    "Updated %(count)d meeting already made from this series: %(names)s.",
                    "Updated %(count)d meetings already made from this series: %(names)s.",
                    len(applied),
                )
                % {"count": len(applied), "names": ", ".join(str(m) for m in applied)},
                messages.INFO,
            )


# ------------------------------------------------------------------------------
# Actions
# ------------------------------------------------------------------------------
@admin.register(Action)
class ActionAdmin(ExportableAdminMixin, AnchorNetModelAdmin):
    resource_classes = [ActionResource]
    list_display = ("__str__", "owner", "due_on", "status", "raised_at")
    list_filter = ("status", "raised_at__network", ("owner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("owner", "raised_at")
    search_fields = ("description", "owner__name", "raised_at__title")
    autocomplete_fields = ("owner", "raised_at")
    date_hierarchy = "due_on"
    actions = ("mark_done",)

    @admin.action(description=_("Mark as done"))
    def mark_done(self, request, queryset):
        changed = self.update_queryset(request, queryset, status=ActionStatus.DONE)
        self.message_user(
            request,
            ngettext("Marked %(count)d action done.", "Marked %(count)d actions done.", changed) % {"count": changed},
            messages.SUCCESS,
        )


# ------------------------------------------------------------------------------
# Attendance, across meetings
# ------------------------------------------------------------------------------
@admin.register(Attendance)
class AttendanceAdmin(ExportableAdminMixin, AnchorNetModelAdmin):
    """Who each meeting involved, across every meeting: for monitoring which organisations the
    network engages (filter by network, kind of meeting, status; export the result). Each
    meeting's own list is edited on the meeting's page."""

    resource_classes = [AttendanceResource]
    list_display = ("organisation", "status", "meeting", "meeting_when", "network")
    list_filter = ("status", "meeting__network", "meeting__kind", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organisation", "meeting", "meeting__network")
    search_fields = ("organisation__name", "meeting__title")
    autocomplete_fields = ("meeting", "organisation")
    date_hierarchy = "meeting__start"
    ordering = ("-meeting__start", "organisation__name")

    @admin.display(description=_("meeting (UK time)"), ordering="meeting__start")
    def meeting_when(self, obj: Attendance) -> str:
        return _local(obj.meeting.start)

    @admin.display(description=_("network"), ordering="meeting__network__name")
    def network(self, obj: Attendance) -> str:
        return obj.meeting.network.name


# ------------------------------------------------------------------------------
# Calendar subscriptions
# ------------------------------------------------------------------------------
@admin.register(CalendarToken)
class CalendarTokenAdmin(AnchorNetModelAdmin):
    # A security record: a revoked address must never work again, so history is for reading.
    revert_allowed = False

    """Whose private calendar addresses exist, and a way to stop one working. The secret is
    never shown: only its hash is stored, and that is left off the page too."""

    list_display = ("user", "created_at", "revoked_at", "is_active")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "created_at", "revoked_at")
    readonly_fields = ("user", "created_at", "revoked_at")
    actions = ("revoke",)

    @admin.display(description=_("working"), boolean=True)
    def is_active(self, obj: CalendarToken) -> bool:
        return obj.is_active

    def has_add_permission(self, request) -> bool:
        return False  # people make their own, on /meetings/subscribe/

    @admin.action(description=_("Stop the selected addresses working"))
    def revoke(self, request, queryset):
        changed = self.update_queryset(request, queryset.filter(revoked_at__isnull=True), revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("Revoked %(count)d address.", "Revoked %(count)d addresses.", changed) % {"count": changed},
            messages.SUCCESS,
        )
