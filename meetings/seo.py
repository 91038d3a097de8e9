"""Public meetings for search engines: their sitemap and schema.org ``Event`` descriptions."""

from __future__ import annotations

from django.utils import timezone

from core.seo import RecordSitemap, schema_thing

from .models import Meeting


class MeetingSitemap(RecordSitemap):
    changefreq = "weekly"
    fields = ("uuid",)

    def records(self):
        return Meeting.objects.public()


def meeting_schema(meeting: Meeting) -> dict:
    """schema.org ``Event`` for a meeting's page: title, times (ISO 8601 with the UK offset),
    whether it is cancelled, where (the venue and address, or online) and the
    organising organisation."""
    data = {
        **schema_thing("Event", meeting.title, meeting.get_absolute_url(), context=True),
        "startDate": timezone.localtime(meeting.start).isoformat(),
        "endDate": timezone.localtime(meeting.end).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.cancelled
        else "https://schema.org/EventScheduled",
    }
    if meeting.venue or meeting.address:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = {"@type": "Place", "name": meeting.venue or meeting.address, "address": meeting.address}
    elif meeting.joining_url:
        # The joining link is for those the page shows it to, never for search engines.
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": data["url"]}
    if meeting.organiser.is_public:  # as the page: a draft organisation is never named
        data["organizer"] = schema_thing("Organization", meeting.organiser.name, meeting.organiser.get_absolute_url())
    return data
