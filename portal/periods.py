"""Reporting periods: a quarter of the council's financial year, a financial year, or custom
dates.

The financial year runs from 1 April to 31 March (HM Treasury's and the councils'
accounting year); the anchor contract reports by its quarters, Q1 April–June to Q4
January–March, labelled as the contract's returns are: "Q1 2026/27 (Apr–Jun 2026)".
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_MONTH = 4  # April
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_QUARTER_CODE = re.compile(r"(?P<year>\d{4})-Q(?P<quarter>[1-4])")
_YEAR_CODE = re.compile(r"(?P<year>\d{4})")


def financial_year_of(day: datetime.date) -> int:
    """The first calendar year of the financial year ``day`` falls in (2026 for 2026/27)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_label(year: int) -> str:
    """``2026`` → ``"2026/27"``."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclasses.dataclass(frozen=True)
class Period:
    """A span of days, both ends included, with the label the page and the exports show.

    ``kind`` is ``"quarter"``, ``"year"`` or ``"custom"``; ``code`` is what the dashboard's
    form sends for it (``"2026-Q1"``, ``"2026"``, or empty for custom dates).
    """

    kind: str
    start: datetime.date
    end: datetime.date
    label: str
    code: str = ""

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1–4 of financial year ``year`` (its first calendar year).

        Raises:
            ValueError: ``quarter`` is not 1 to 4.
        """
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1 to 4")
        first_month = (FIRST_MONTH - 1 + 3 * (quarter - 1)) % 12 + 1
        calendar_year = year if first_month >= FIRST_MONTH else year + 1
        start = datetime.date(calendar_year, first_month, 1)
        after = datetime.date(calendar_year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
        end = after - datetime.timedelta(days=1)
        months = f"{MONTH_ABBREVIATIONS[start.month - 1]}–{MONTH_ABBREVIATIONS[end.month - 1]} {calendar_year}"
        return cls("quarter", start, end, f"Q{quarter} {year_label(year)} ({months})", f"{year}-Q{quarter}")

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """1 April ``year`` to 31 March ``year + 1``."""
        return cls(
            "year",
            datetime.date(year, FIRST_MONTH, 1),
            datetime.date(year + 1, FIRST_MONTH, 1) - datetime.timedelta(days=1),
            year_label(year),
            str(year),
        )

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> Period:
        """From ``start`` to ``end``, both included.

        Raises:
            ValueError: ``end`` is before ``start``.
        """
        if end < start:
            raise ValueError("the end is before the start")
        return cls("custom", start, end, _("%(start)s to %(end)s") % {"start": _day(start), "end": _day(end)})

    @classmethod
    def from_code(cls, code: str) -> Period:
        """The quarter (``"2026-Q1"``) or financial year (``"2026"``) a form value names.

        Raises:
            ValueError: ``code`` is neither.
        """
        if match := _QUARTER_CODE.fullmatch(code or ""):
            return cls.quarter(int(match["year"]), int(match["quarter"]))
        if match := _YEAR_CODE.fullmatch(code or ""):
            return cls.financial_year(int(match["year"]))
        raise ValueError(f"not a quarter or a financial year: {code!r}")

    @classmethod
    def current_quarter(cls, today: datetime.date | None = None) -> Period:
        return quarters_up_to(today or timezone.localdate(), 1)[0]

    @property
    def as_of(self) -> datetime.date:
        """The day "as on the period's end" means: its last day, or today while it runs (a
        status on a day still to come is not known yet)."""
        return min(self.end, timezone.localdate())

    @property
    def has_ended_quarter(self) -> bool:
        """Whether this is a contract quarter whose last day has passed: one a return may be
        submitted for."""
        return self.kind == "quarter" and self.end < timezone.localdate()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarters_up_to(day: datetime.date, count: int = 8) -> list[Period]:
    """The ``count`` contract quarters ending with the one ``day`` falls in, oldest first: the
    periods of the dashboard's trend lines."""
    year, quarter = financial_year_of(day), (day.month - FIRST_MONTH) % 12 // 3 + 1
    quarters = []
    for _step in range(count):
        quarters.append(Period.quarter(year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return quarters[::-1]


def short_label(period: Period) -> str:
    """A quarter's label without its months ("Q1 2026/27"), for a chart's axis."""
    return period.label.split(" (", 1)[0]


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def quarter_choices(*, years: int = 5, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The quarters of the last ``years`` financial years up to the current one, newest first."""
    current = Period.current_quarter(today)
    year, quarter = (int(part) for part in current.code.replace("Q", "").split("-"))
    choices = []
    for _step in range(years * 4):
        period = Period.quarter(year, quarter)
        choices.append((period.code, period.label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


def year_choices(*, years: int = 5, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The last ``years`` financial years up to the current one, newest first."""
    current = financial_year_of(today or timezone.localdate())
    return [(str(year), year_label(year)) for year in range(current, current - years, -1)]
