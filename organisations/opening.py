"""Opening times in plain English, for the organisation page: "Mondays, 10am to 2pm",
"Monday to Friday, 9am to 5pm", "Saturdays, 10am to 12 noon (1 April to 30 September)".

The wording follows the GOV.UK style guide on times ("10am to 2pm", "12 noon", "midnight",
"to" rather than a dash) and dates ("1 April 2026").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LONDON, WEEKDAYS, Organisation, Schedule, Weekday

_PLURAL_DAYS = {
    Weekday.MONDAY: gettext_lazy("Mondays"),
    Weekday.TUESDAY: gettext_lazy("Tuesdays"),
    Weekday.WEDNESDAY: gettext_lazy("Wednesdays"),
    Weekday.THURSDAY: gettext_lazy("Thursdays"),
    Weekday.FRIDAY: gettext_lazy("Fridays"),
    Weekday.SATURDAY: gettext_lazy("Saturdays"),
    Weekday.SUNDAY: gettext_lazy("Sundays"),
}


def time_text(moment: datetime.time) -> str:
    """``10:00`` → "10am", ``14:30`` → "2:30pm", ``12:00`` → "12 noon", ``00:00`` → "midnight"."""
    if moment.hour == 0 and moment.minute == 0:
        return _("midnight")
    if moment.hour == 12 and moment.minute == 0:
        return _("12 noon")
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _date_text(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def days_text(codes: Iterable[str]) -> str:
    """BYDAY codes as words: one run of three or more days in a row reads "Monday to Friday";
    otherwise "Mondays", "Mondays and Thursdays", "Mondays, Wednesdays and Fridays"."""
    indexes = sorted({WEEKDAYS.index(code) for code in codes})
    if len(indexes) >= 3 and indexes[-1] - indexes[0] == len(indexes) - 1:
        return _("%(first)s to %(last)s") % {
            "first": Weekday(WEEKDAYS[indexes[0]]).label,
            "last": Weekday(WEEKDAYS[indexes[-1]]).label,
        }
    names = [str(_PLURAL_DAYS[Weekday(WEEKDAYS[index])]) for index in indexes]
    if len(names) == 1:
        return names[0]
    return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def _season_text(schedule: Schedule) -> str:
    if schedule.valid_from and schedule.valid_to:
        return _("%(from)s to %(to)s") % {"from": _date_text(schedule.valid_from), "to": _date_text(schedule.valid_to)}
    if schedule.valid_from:
        return _("from %(from)s") % {"from": _date_text(schedule.valid_from)}
    if schedule.valid_to:
        return _("until %(to)s") % {"to": _date_text(schedule.valid_to)}
    return ""


def opening_lines(schedules: Iterable[Schedule], *, today: datetime.date) -> list[str]:
    """One sentence per group of openings that share their times, season, notes and whether
    they need an appointment, in weekday order, e.g. ["Monday to Thursday, 10am to 2pm",
    "Saturdays, 10am to 12 noon, by appointment (1 April 2026 to 30 September 2026)"].

    Openings whose season ended before ``today`` (a date in Europe/London) are left out; an
    empty list means nothing current is recorded. Reads the rows given (prefetched): no query.
    """
    groups: dict[tuple, list[Schedule]] = {}
    for schedule in sorted(schedules, key=lambda row: (row.weekday_index, row.opens_at or datetime.time.min)):
        if schedule.ended_by(today):
            continue
        key = (
            schedule.opens_at,
            schedule.closes_at,
            schedule.valid_from,
            schedule.valid_to,
            schedule.by_appointment,
            schedule.notes,
            bool(schedule.byday),
        )
        groups.setdefault(key, []).append(schedule)
    lines = []
    for rows in groups.values():
        first = rows[0]
        parts = []
        if first.byday:
            parts.append(days_text(row.byday for row in rows))
        if first.opens_at and first.closes_at:
            times = {"opens": time_text(first.opens_at), "closes": time_text(first.closes_at)}
            parts.append(_("%(opens)s to %(closes)s") % times)
        if first.by_appointment:
            parts.append(_("by appointment") if parts else _("By appointment"))
        line = ", ".join(parts)
        season = _season_text(first)
        if season:
            line += f" ({season})"
        if first.notes:
            line += f": {first.notes}"
        lines.append(line)
    return lines


@dataclass(frozen=True)
class OpeningTimes:
    """What a public page says about when an organisation is open: the ``lines`` of its current
    weekly openings (``opening_lines``), or, only while there are none, its free-text
    ``opening_hours`` as ``text``. Both empty when nothing is recorded."""

    lines: list[str]
    text: str


def opening_times(organisation: Organisation, *, today: datetime.date) -> OpeningTimes:
    """The one place that decides between the structured openings and the free text (the
    admin's help text promises the text "only while no opening times are recorded"; an
    opening whose season has ended no longer counts, as in the API's feed). Reads the
    prefetched ``schedules``: no query."""
    lines = opening_lines(organisation.schedules.all(), today=today)
    return OpeningTimes(lines=lines, text="" if lines else organisation.opening_hours)


def weekend_days(moment: datetime.datetime) -> list[datetime.date]:
    """The days of "this weekend" at ``moment`` (an aware datetime), on the clock in
    Europe/London: the coming Saturday and Sunday; on a Saturday, that day and the next; on a
    Sunday, that day only."""
    today = moment.astimezone(LONDON).date()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:
        return [today]
    return [saturday, saturday + datetime.timedelta(days=1)]
