from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Network meetings: the schedule (with recurring series), agenda, minutes, attendance,
    actions, and iCalendar downloads and feeds."""

    name = "meetings"
    verbose_name = "Meetings"
