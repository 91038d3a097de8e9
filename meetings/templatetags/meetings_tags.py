"""Dates and times the GOV.UK way: "Tuesday 31 March 2026, 6pm to 8pm", in UK time."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from meetings.models import LONDON

register = template.Library()


@register.filter
def govuk_time(value: datetime.datetime | None) -> str:
    """``6pm``, ``6:30pm``, ``midday``, ``midnight`` (GOV.UK style guide), in UK time."""
    if value is None:
        return ""
    local = timezone.localtime(value, LONDON) if timezone.is_aware(value) else value
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


@register.filter
def govuk_date(value: datetime.datetime | datetime.date | None) -> str:
    """``Tuesday 31 March 2026``, in UK time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, LONDON) if timezone.is_aware(value) else value
    return f"{value:%A} {value.day} {value:%B %Y}"


@register.simple_tag
def meeting_when(meeting) -> str:
    """``Tuesday 31 March 2026, 6pm to 8pm``; both dates when it ends on another day."""
    start = timezone.localtime(meeting.start, LONDON)
    end = timezone.localtime(meeting.end, LONDON)
    if start.date() == end.date():
        return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_time(end)}"
    return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_date(end)}, {govuk_time(end)}"
