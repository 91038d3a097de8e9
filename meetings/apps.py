from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Network meetings, their papers and actions (models come in a later issue)."""

    name = "meetings"
    verbose_name = "Meetings"
