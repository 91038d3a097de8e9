"""Working days in England, across weekends and bank holidays (from the holidays package)."""

import datetime

import pytest

from core.workingdays import add_working_days, is_working_day, latest_start_past_deadline

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 24), True),  # a Thursday
        (D(2026, 12, 25), False),  # Christmas Day
        (D(2026, 12, 26), False),  # a Saturday
        (D(2026, 12, 28), False),  # Monday: the substitute for Boxing Day, on the Saturday
        (D(2026, 12, 29), True),
        (D(2026, 8, 31), False),  # the summer bank holiday in England (not Scotland's)
        (D(2026, 8, 3), True),  # Scotland's summer bank holiday is a working day in England
    ],
)
def test_weekends_and_englands_bank_holidays_are_not_working_days(day, working):
    assert is_working_day(day) is working


def test_ten_working_days_from_a_monday_is_the_friday_of_the_next_week():
    assert add_working_days(D(2026, 11, 2), 10) == D(2026, 11, 16)


def test_counting_starts_the_next_working_day_after_a_weekend():
    # Saturday 7 November 2026: Monday 9 is the first working day, Friday 20 the tenth.
    assert add_working_days(D(2026, 11, 7), 10) == D(2026, 11, 20)


def test_christmas_and_boxing_day_substitutes_are_skipped():
    # From Monday 21 December 2026: 22, 23, 24, 29, 30, 31 December (25 is Christmas Day, 28
    # stands in for Boxing Day on the Saturday), then 1 January 2027 is New Year's Day, so
    # 4, 5, 6 and 7 January.
    assert add_working_days(D(2026, 12, 21), 10) == D(2027, 1, 7)


def test_an_easter_bank_holiday_weekend_is_skipped():
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert add_working_days(D(2026, 4, 1), 2) == D(2026, 4, 7)


def test_zero_days_is_the_day_itself_and_negative_is_refused():
    assert add_working_days(D(2026, 4, 3), 0) == D(2026, 4, 3)
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2026, 4, 3), -1)


def test_the_latest_start_past_its_deadline_is_the_last_one_whose_deadline_has_gone():
    on = D(2027, 1, 8)
    start = latest_start_past_deadline(on, 10)
    assert add_working_days(start, 10) < on
    assert add_working_days(start + datetime.timedelta(days=1), 10) >= on
    assert start == D(2026, 12, 21)
