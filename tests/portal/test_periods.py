"""Reporting periods: the contract's quarters of the financial year (1 April to 31 March)."""

from __future__ import annotations

import datetime

import pytest

from portal.periods import Period, financial_year_of, quarter_choices, year_choices


@pytest.mark.parametrize(
    ("quarter", "start", "end", "label"),
    [
        (1, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), "Q1 2026/27 (Apr–Jun 2026)"),
        (2, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), "Q2 2026/27 (Jul–Sep 2026)"),
        (3, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "Q3 2026/27 (Oct–Dec 2026)"),
        (4, datetime.date(2027, 1, 1), datetime.date(2027, 3, 31), "Q4 2026/27 (Jan–Mar 2027)"),
    ],
)
def test_quarters_of_the_financial_year(quarter, start, end, label):
    period = Period.quarter(2026, quarter)

    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.from_code(period.code) == period


def test_a_financial_year_runs_from_april_to_march_and_a_leap_february_counts():
    period = Period.financial_year(2027)

    assert (period.start, period.end, period.label) == (
        datetime.date(2027, 4, 1),
        datetime.date(2028, 3, 31),
        "2027/28",
    )
    assert period.days == 366


@pytest.mark.parametrize(
    ("day", "year"),
    [(datetime.date(2027, 3, 31), 2026), (datetime.date(2027, 4, 1), 2027), (datetime.date(2027, 1, 5), 2026)],
)
def test_the_financial_year_a_day_falls_in(day, year):
    assert financial_year_of(day) == year


def test_the_current_quarter_and_the_choices_newest_first():
    today = datetime.date(2027, 2, 14)

    assert Period.current_quarter(today).code == "2026-Q4"
    assert quarter_choices(years=1, today=today)[0] == ("2026-Q4", "Q4 2026/27 (Jan–Mar 2027)")
    assert [code for code, _label in quarter_choices(years=1, today=today)] == [
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
    ]
    assert year_choices(years=2, today=today) == [("2026", "2026/27"), ("2025", "2025/26")]


@pytest.mark.parametrize("code", ["", "2026-Q5", "2026-Q0", "26", "2026-q1", "2026/27"])
def test_a_code_that_is_neither_a_quarter_nor_a_year_is_refused(code):
    with pytest.raises(ValueError, match="not a quarter or a financial year"):
        Period.from_code(code)


def test_a_custom_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before the start"):
        Period.custom(datetime.date(2026, 5, 2), datetime.date(2026, 5, 1))
    assert Period.custom(datetime.date(2026, 5, 1), datetime.date(2026, 5, 1)).label == "1 May 2026 to 1 May 2026"
