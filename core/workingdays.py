"""Working days in England: Monday to Friday, except England's bank holidays.

The bank holidays come from the ``holidays`` package (``country_holidays("GB", subdiv="ENG")``:
the dates GOV.UK publishes, https://www.gov.uk/bank-holidays, including one-off holidays
such as a coronation and the days that stand in for a holiday on a weekend), never from a
hand-kept list. Dates are ``datetime.date`` in UK local time.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts: something
    received on a Friday afternoon or a Sunday has its first working day on Monday).
    ``days`` must be at least 0; 0 gives ``start``.

    Raises:
        ValueError: ``days`` is negative.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if is_working_day(day):
            counted += 1
    return day


def latest_start_past_deadline(on: datetime.date, days: int) -> datetime.date:
    """The last date ``start`` for which ``add_working_days(start, days)`` is before ``on``: on
    ``on``, everything that started on or before it has had its ``days`` working days and
    more. ``add_working_days`` never decreases as ``start`` grows, so the walk back stops at
    the first date that qualifies (within a few weeks of ``on``)."""
    start = on - ONE_DAY
    while add_working_days(start, days) >= on:
        start -= ONE_DAY
    return start
