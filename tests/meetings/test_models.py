"""The rules the database holds, and the iCalendar SEQUENCE that follows changes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from meetings.models import Attendance, Meeting

from .factories import (
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesExceptionFactory,
    MeetingSeriesFactory,
    london,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_must_end_after_it_starts():
    meeting = MeetingFactory()
    meeting.end = meeting.start
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end=meeting.start - datetime.timedelta(minutes=1))


def test_an_occurrence_has_one_meeting():
    series = MeetingSeriesFactory()
    MeetingFactory(series=series, occurrence_start=london(2026, 1, 7, 18))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(series=series, occurrence_start=london(2026, 1, 7, 18))


def test_an_organisation_is_listed_once_per_meeting():
    attendance = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=attendance.meeting, organisation=attendance.organisation, status="attended")


def test_an_exception_either_cancels_or_moves():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeriesExceptionFactory(cancelled=True, moved_to=london(2026, 1, 8, 18))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeriesExceptionFactory(cancelled=False, moved_to=None)


@pytest.mark.parametrize(
    ("field", "value", "bumps"),
    [
        ("start", london(2030, 6, 1, 17), True),
        ("venue", "Dewsbury Town Hall", True),
        ("joining_url", "https://meet.example.org/new", True),
        ("title", "A new name", True),
        ("agenda", "1. Only the agenda changed", False),
        ("minutes", "Minutes typed up", False),
    ],
)
def test_sequence_goes_up_only_when_calendars_must_update(field, value, bumps):
    meeting = MeetingFactory(start=london(2030, 6, 1, 10), end=london(2030, 6, 1, 20))
    meeting = Meeting.objects.get(pk=meeting.pk)
    setattr(meeting, field, value)
    meeting.save()
    meeting.save()  # saving again without a change adds nothing
    meeting.refresh_from_db()
    assert meeting.sequence == (1 if bumps else 0)


def test_publishing_minutes_records_the_date():
    meeting = MeetingFactory(minutes="Agreed the plan.")
    meeting.minutes_published = True
    meeting.save(update_fields=["minutes_published"])
    meeting.refresh_from_db()
    assert meeting.minutes_published_on is not None
    assert meeting.shows_minutes


def test_loading_a_meeting_with_deferred_fields_fetches_nothing_more(django_assert_num_queries):
    MeetingFactory()
    with django_assert_num_queries(1):
        meeting = Meeting.objects.only("pk", "agenda").get()
    meeting.agenda = "New agenda"
    meeting.save(update_fields=["agenda"])
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.sequence) == ("New agenda", 0)
