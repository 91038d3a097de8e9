"""Series occurrences (clock changes, exceptions, idempotency), cancelling, and tokens."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings.models import (
    CalendarToken,
    Meeting,
    MeetingSeriesException,
    hash_calendar_token,
    parse_rrule,
)
from meetings.services import (
    calendar_token_create,
    calendar_token_revoke,
    meeting_cancel,
    series_create_occurrences,
    series_exception_apply,
)
from tests.factories import LocalityFactory, UserFactory

from .factories import MeetingFactory, MeetingSeriesExceptionFactory, MeetingSeriesFactory, london

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def local_starts(meetings):
    return [m.start.astimezone(london(2026, 1, 1).tzinfo) for m in meetings]


def test_an_1800_series_stays_at_1800_local_time_across_both_clock_changes():
    # 2026: clocks go forward on Sunday 29 March and back on Sunday 25 October. The Tuesdays
    # after are 31 March and 27 October; the Tuesdays before are still on the other offset.
    series = MeetingSeriesFactory(rrule="FREQ=WEEKLY;BYDAY=TU", dtstart=london(2026, 3, 17, 18))
    created = series_create_occurrences(series=series, until=london(2026, 11, 1))
    by_date = {timezone_local.date(): timezone_local for timezone_local in local_starts(created)}

    for day in (
        datetime.date(2026, 3, 24),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 10, 27),
    ):
        assert by_date[day].time() == datetime.time(18, 0), day
    assert all(start.time() == datetime.time(18, 0) for start in by_date.values())
    # Same wall-clock time, different instants: 18:00 GMT then 18:00 BST, and back.
    assert by_date[datetime.date(2026, 3, 24)].utcoffset() == datetime.timedelta(0)
    assert by_date[datetime.date(2026, 3, 31)].utcoffset() == datetime.timedelta(hours=1)
    assert by_date[datetime.date(2026, 10, 20)].utcoffset() == datetime.timedelta(hours=1)
    assert by_date[datetime.date(2026, 10, 27)].utcoffset() == datetime.timedelta(0)
    stored = {m.start.astimezone(UTC).date(): m.start.astimezone(UTC).time() for m in Meeting.objects.all()}
    assert stored[datetime.date(2026, 3, 24)] == datetime.time(18, 0)
    assert stored[datetime.date(2026, 3, 31)] == datetime.time(17, 0)
    assert stored[datetime.date(2026, 10, 20)] == datetime.time(17, 0)
    assert stored[datetime.date(2026, 10, 27)] == datetime.time(18, 0)
    march_31 = Meeting.objects.get(start=london(2026, 3, 31, 18))
    assert march_31.end - march_31.start == datetime.timedelta(minutes=90)


def test_a_quarterly_series_on_the_second_tuesday():
    series = MeetingSeriesFactory(rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU", dtstart=london(2026, 1, 13, 18))
    created = series_create_occurrences(series=series, until=london(2027, 1, 1))
    assert [start.date() for start in local_starts(created)] == [
        datetime.date(2026, 1, 13),
        datetime.date(2026, 4, 14),
        datetime.date(2026, 7, 14),
        datetime.date(2026, 10, 13),
    ]
    assert {start.time() for start in local_starts(created)} == {datetime.time(18, 0)}


def test_occurrences_copy_the_series_and_are_made_only_once():
    ward = LocalityFactory()
    series = MeetingSeriesFactory(venue="Town Hall", localities=[ward])
    first = series_create_occurrences(series=series, until=london(2026, 4, 1))
    assert len(first) == 3
    meeting = first[0]
    assert (
        meeting.title,
        meeting.kind,
        meeting.visibility,
        meeting.venue,
        meeting.joining_url,
    ) == (
        series.title,
        series.kind,
        series.visibility,
        "Town Hall",
        series.joining_url,
    )
    assert list(meeting.localities.all()) == [ward]
    assert meeting.occurrence_start == meeting.start

    meeting.agenda = "Our own agenda for January"
    meeting.title = "January meeting, with the budget"
    meeting.save()
    assert series_create_occurrences(series=series, until=london(2026, 4, 1)) == []
    meeting.refresh_from_db()
    assert meeting.agenda == "Our own agenda for January"
    assert meeting.title == "January meeting, with the budget"

    later = series_create_occurrences(series=series, until=london(2026, 6, 1))
    assert [m.start for m in later] == [london(2026, 4, 1, 18), london(2026, 5, 6, 18)]
    assert Meeting.objects.filter(series=series).count() == 5


def test_since_leaves_out_earlier_occurrences():
    series = MeetingSeriesFactory()
    created = series_create_occurrences(series=series, since=london(2026, 4, 15), until=london(2026, 7, 1))
    assert [m.start for m in created] == [london(2026, 5, 6, 18), london(2026, 6, 3, 18)]


def test_a_cancelled_occurrence_is_skipped_and_a_moved_one_moved():
    series = MeetingSeriesFactory()
    MeetingSeriesExceptionFactory(series=series, original_start=london(2026, 2, 4, 18), cancelled=True)
    MeetingSeriesExceptionFactory(
        series=series,
        original_start=london(2026, 3, 4, 18),
        cancelled=False,
        moved_to=london(2026, 3, 11, 17, 30),
    )
    series_create_occurrences(series=series, until=london(2026, 5, 31))

    meetings = list(Meeting.objects.filter(series=series).order_by("start"))
    assert [m.start for m in meetings] == [
        london(2026, 1, 7, 18),
        london(2026, 3, 11, 17, 30),
        london(2026, 4, 1, 18),
        london(2026, 5, 6, 18),
    ]
    moved = meetings[1]
    assert moved.occurrence_start == london(2026, 3, 4, 18)
    assert moved.end == london(2026, 3, 11, 19)
    # Running again neither brings back the cancelled one nor adds the moved one twice.
    assert series_create_occurrences(series=series, until=london(2026, 5, 31)) == []


def test_an_exception_added_later_cancels_or_moves_the_meeting_already_made():
    series = MeetingSeriesFactory()
    series_create_occurrences(series=series, until=london(2026, 5, 31))
    april = Meeting.objects.get(series=series, occurrence_start=london(2026, 4, 1, 18))
    may = Meeting.objects.get(series=series, occurrence_start=london(2026, 5, 6, 18))

    cancel = MeetingSeriesExceptionFactory(series=series, original_start=london(2026, 4, 1, 18), reason="Easter")
    move = MeetingSeriesExceptionFactory(
        series=series,
        original_start=london(2026, 5, 6, 18),
        cancelled=False,
        moved_to=london(2026, 5, 13, 18),
        reason="",
    )
    assert series_exception_apply(exception=cancel) == april
    assert series_exception_apply(exception=move) == may
    april.refresh_from_db()
    may.refresh_from_db()
    assert april.cancelled
    assert april.cancellation_reason == "Easter"
    assert april.sequence == 1
    assert (may.start, may.end, may.sequence) == (
        london(2026, 5, 13, 18),
        london(2026, 5, 13, 19, 30),
        1,
    )
    # Applying again changes nothing.
    assert series_exception_apply(exception=cancel) is None
    assert series_exception_apply(exception=move) is None


def test_an_exception_must_name_an_occurrence_of_the_rule():
    series = MeetingSeriesFactory()
    exception = MeetingSeriesException(series=series, original_start=london(2026, 2, 4, 18, 30), cancelled=True)
    with pytest.raises(ValidationError) as error:
        exception.full_clean()
    assert "original_start" in error.value.message_dict
    MeetingSeriesException(series=series, original_start=london(2026, 2, 4, 18), cancelled=True).full_clean()


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=FORTNIGHTLY",
        "FREQ=HOURLY",
        "FREQ=MONTHLY;BYDAY=XX",
        "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
    ],
)
def test_a_bad_rule_is_refused(rule):
    with pytest.raises(ValidationError):
        parse_rrule(rule)


def test_a_rule_ending_in_utc_is_read_in_london_time():
    # RFC 5545 asks for UNTIL in UTC when DTSTART has a zone: 17:00Z on 1 April is 18:00 BST.
    series = MeetingSeriesFactory(rrule="RRULE:FREQ=MONTHLY;BYDAY=1WE;UNTIL=20260401T170000Z")
    series.full_clean()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20260401T170000Z"
    created = series_create_occurrences(series=series, until=london(2027, 1, 1))
    assert [m.start for m in created][-1] == london(2026, 4, 1, 18)
    assert len(created) == 4


def test_cancelling_keeps_the_meeting_and_raises_its_sequence():
    meeting = MeetingFactory()
    meeting_cancel(meeting=meeting, reason="  The venue flooded.  ")
    meeting.refresh_from_db()
    assert meeting.cancelled
    assert meeting.cancellation_reason == "The venue flooded."
    assert meeting.sequence == 1


def test_cancelling_needs_a_reason():
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=MeetingFactory(), reason=" ")


def test_a_new_token_replaces_the_old_one_and_only_its_hash_is_kept():
    user = UserFactory()
    first, first_token = calendar_token_create(user=user)
    second, second_token = calendar_token_create(user=user)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_active
    assert len(second_token) >= 43
    assert second.token_hash == hash_calendar_token(second_token)
    assert not CalendarToken.objects.filter(token_hash__in=[first_token, second_token]).exists()
    assert calendar_token_revoke(user=user) == 1
    assert not CalendarToken.objects.active().filter(user=user).exists()
