"""Reading the query parameters of the Open Referral UK API: each reader returns a clean value
or raises ``BadParameter`` with a message a developer can act on (the view answers 400)."""

from __future__ import annotations

import datetime
import math
import re

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.validators import is_postcode, normalise_postcode
from organisations.models import Weekday

from .identifiers import parse_uuid

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# A search radius wider than this (in metres) is no longer a neighbourhood search; the
# councils the portal serves are each well under 100 km across.
MAX_PROXIMITY_METRES = 100_000
DEFAULT_PROXIMITY_METRES = 5_000

# The schedules' own RFC 5545 BYDAY codes (``Weekday``), by code and by the English day name
# people type (the member's name, MONDAY …), upper-cased.
DAYS = {day.value: day.value for day in Weekday} | {day.name: day.value for day in Weekday}
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


class BadParameter(ValueError):
    """A query parameter the API cannot use. ``parameter`` names it; ``str()`` says why."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


def query_text(query: QueryDict, name: str) -> str:
    value = query.get(name, "")
    if "\x00" in value:
        raise BadParameter(name, f"{name} must not contain a NUL character.")
    return value.strip()


def positive_int(query: QueryDict, name: str, *, default: int, maximum: int | None = None) -> int:
    """A whole number from 1 to ``maximum``; ``default`` when absent or blank."""
    text = query_text(query, name)
    if not text:
        return default
    if not re.fullmatch(r"\+?\d{1,9}", text):
        raise BadParameter(name, f"{name} must be a whole number of 1 or more, not {text!r}.")
    value = int(text)
    if value < 1 or (maximum is not None and value > maximum):
        limit = f"from 1 to {maximum}" if maximum is not None else "of 1 or more"
        raise BadParameter(name, f"{name} must be a whole number {limit}, not {value}.")
    return value


def page(query: QueryDict) -> tuple[int, int]:
    """``(page, per_page)``: the 1-based page number and items per page (at most 200)."""
    return (
        positive_int(query, "page", default=1),
        positive_int(query, "per_page", default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE),
    )


def number(query: QueryDict, name: str, *, maximum: float = 150) -> float | None:
    """A finite number from 0 to ``maximum`` (an age in years), or None when absent."""
    text = query_text(query, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadParameter(name, f"{name} must be a number, not {text!r}.") from None
    if not math.isfinite(value) or not 0 <= value <= maximum:
        raise BadParameter(name, f"{name} must be a number from 0 to {maximum:g}.")
    return value


def time_of_day(query: QueryDict, name: str) -> datetime.time | None:
    """A wall-clock time ``HH:MM`` or ``HH:MM:SS`` (24-hour), or None when absent."""
    text = query_text(query, name)
    if not text:
        return None
    match = _TIME_RE.match(text)
    if not match:
        raise BadParameter(name, f"{name} must be a time like 09:30 or 17:00:00, not {text!r}.")
    return datetime.time(int(match[1]), int(match[2]), int(match[3] or 0))


def day(query: QueryDict) -> str | None:
    """A day of the week as an RFC 5545 code (``MO`` … ``SU``); accepts the English name too."""
    text = query_text(query, "day")
    if not text:
        return None
    code = DAYS.get(text.upper())
    if code is None:
        codes = ", ".join(Weekday.values)
        raise BadParameter("day", f"day must be one of {codes} (or the day's name), not {text!r}.")
    return code


def modified_after(query: QueryDict) -> datetime.datetime | None:
    """An ISO 8601 date (midnight UTC) or date-time (UTC when it has no zone), or None."""
    text = query_text(query, "modified_after")
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace(" ", "+", 1) if " " in text and "T" in text else text)
        if moment is None:
            date = parse_date(text)
            moment = datetime.datetime.combine(date, datetime.time()) if date else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            "modified_after", f"modified_after must be a date or date-time like 2026-12-01T09:00:00Z, not {text!r}."
        )
    moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise BadParameter("modified_after", f"modified_after is out of range: {text!r}.") from None


def term_id(query: QueryDict, name: str) -> str | None:
    """A taxonomy or taxonomy term id (a UUID), or None when absent."""
    text = query_text(query, name)
    if not text:
        return None
    value = parse_uuid(text)
    if value is None:
        raise BadParameter(name, f"{name} must be a UUID like 3f7b145d-84af-42d7-8fae-eaca714b02b2, not {text!r}.")
    return value


def postcode(query: QueryDict) -> str | None:
    """A full UK postcode in its written form (``LS14 6JB``), or None when absent."""
    text = query_text(query, "postcode")
    if not text:
        if query_text(query, "proximity"):
            raise BadParameter("proximity", "proximity needs a postcode to measure from.")
        return None
    if not is_postcode(text):
        raise BadParameter("postcode", f"postcode must be a full UK postcode like LS14 6JB, not {text!r}.")
    return normalise_postcode(text)


def proximity(query: QueryDict) -> float:
    """A distance in metres, more than 0 and at most ``MAX_PROXIMITY_METRES``; the default
    (``DEFAULT_PROXIMITY_METRES``) when absent."""
    text = query_text(query, "proximity")
    if not text:
        return DEFAULT_PROXIMITY_METRES
    try:
        value = float(text)
    except ValueError:
        raise BadParameter("proximity", f"proximity must be a distance in metres, not {text!r}.") from None
    if not math.isfinite(value) or not 0 < value <= MAX_PROXIMITY_METRES:
        raise BadParameter("proximity", f"proximity must be more than 0 and at most {MAX_PROXIMITY_METRES} metres.")
    return value
