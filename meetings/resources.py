"""What officers export from the meetings admin (django-import-export, CSV or XLSX): meetings,
attendance — which organisations each meeting involved, for contract monitoring — and
actions. The admin's search and filters apply. Times are UK time, ISO 8601 with the offset;
column names follow RFC 5545 where it has one (``uid``, ``dtstart``, ``dtend``, ``status``).

Joining links are never exported: they are for the people who may attend, not spreadsheets.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from import_export import fields, widgets

from core.exports import ExportResource

from .models import LONDON, Action, Attendance, Meeting


def _uk_time(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment, LONDON).isoformat(timespec="minutes") if moment else ""


class MeetingResource(ExportResource):
    """One row per meeting."""

    uid = fields.Field(attribute="ical_uid", column_name="uid", readonly=True)
    title = fields.Field(attribute="title", column_name="summary")
    kind = fields.Field(attribute="get_kind_display", column_name="kind", readonly=True)
    network = fields.Field(attribute="network__name", column_name="network", readonly=True)
    organiser = fields.Field(attribute="organiser__name", column_name="organiser", readonly=True)
    dtstart = fields.Field(column_name="dtstart", readonly=True)
    dtend = fields.Field(column_name="dtend", readonly=True)
    visibility = fields.Field(attribute="get_visibility_display", column_name="open_to", readonly=True)
    location = fields.Field(column_name="location", readonly=True)
    online = fields.Field(attribute="is_online", column_name="online", readonly=True, widget=widgets.BooleanWidget())
    areas = fields.Field(column_name="areas", readonly=True)
    status = fields.Field(column_name="status", readonly=True)
    minutes_published = fields.Field(
        attribute="minutes_published_on", column_name="minutes_published_on", widget=widgets.DateWidget("%Y-%m-%d")
    )
    attended = fields.Field(column_name="organisations_attended", readonly=True)
    apologies = fields.Field(column_name="organisations_sent_apologies", readonly=True)
    actions = fields.Field(column_name="actions_raised", readonly=True)

    class Meta:
        model = Meeting
        fields = (
            "uid",
            "title",
            "kind",
            "network",
            "organiser",
            "dtstart",
            "dtend",
            "visibility",
            "location",
            "online",
            "areas",
            "status",
            "minutes_published",
            "attended",
            "apologies",
            "actions",
        )
        export_order = fields

    def dehydrate_dtstart(self, meeting: Meeting) -> str:
        return _uk_time(meeting.start)

    def dehydrate_dtend(self, meeting: Meeting) -> str:
        return _uk_time(meeting.end)

    def dehydrate_location(self, meeting: Meeting) -> str:
        return ", ".join(part for part in (meeting.venue, " ".join(meeting.address.split())) if part)

    def dehydrate_areas(self, meeting: Meeting) -> str:
        return "; ".join(place.name for place in meeting.localities.all())

    def dehydrate_status(self, meeting: Meeting) -> str:
        return "CANCELLED" if meeting.cancelled else "CONFIRMED"

    def _count(self, meeting: Meeting, status: str) -> int:
        return sum(1 for row in meeting.attendances.all() if row.status == status)

    def dehydrate_attended(self, meeting: Meeting) -> int:
        return self._count(meeting, "attended")

    def dehydrate_apologies(self, meeting: Meeting) -> int:
        return self._count(meeting, "apologies")

    def dehydrate_actions(self, meeting: Meeting) -> int:
        return len(meeting.actions.all())


class AttendanceResource(ExportResource):
    """One row per organisation per meeting: who was invited, came or sent apologies."""

    meeting_uid = fields.Field(attribute="meeting__ical_uid", column_name="meeting_uid", readonly=True)
    meeting = fields.Field(attribute="meeting__title", column_name="meeting", readonly=True)
    dtstart = fields.Field(column_name="meeting_dtstart", readonly=True)
    network = fields.Field(attribute="meeting__network__name", column_name="network", readonly=True)
    organisation_id = fields.Field(attribute="organisation__uuid", column_name="organization_id", readonly=True)
    organisation = fields.Field(attribute="organisation__name", column_name="organization_name", readonly=True)
    status = fields.Field(attribute="get_status_display", column_name="status", readonly=True)

    class Meta:
        model = Attendance
        fields = ("meeting_uid", "meeting", "dtstart", "network", "organisation_id", "organisation", "status")
        export_order = fields

    def dehydrate_dtstart(self, attendance: Attendance) -> str:
        return _uk_time(attendance.meeting.start)


class ActionResource(ExportResource):
    """One row per action: what, who, by when, and whether it is done."""

    description = fields.Field(attribute="description", column_name="action")
    owner_id = fields.Field(attribute="owner__uuid", column_name="owner_organization_id", readonly=True)
    owner = fields.Field(attribute="owner__name", column_name="owner", readonly=True)
    due_on = fields.Field(attribute="due_on", column_name="due", widget=widgets.DateWidget("%Y-%m-%d"))
    status = fields.Field(attribute="get_status_display", column_name="status", readonly=True)
    overdue = fields.Field(attribute="is_overdue", column_name="overdue", readonly=True, widget=widgets.BooleanWidget())
    meeting = fields.Field(attribute="raised_at__title", column_name="raised_at", readonly=True)
    meeting_dtstart = fields.Field(column_name="raised_at_dtstart", readonly=True)

    class Meta:
        model = Action
        fields = ("description", "owner_id", "owner", "due_on", "status", "overdue", "meeting", "meeting_dtstart")
        export_order = fields

    def dehydrate_meeting_dtstart(self, action: Action) -> str:
        return _uk_time(action.raised_at.start)
