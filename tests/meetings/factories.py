"""factory_boy factories for meetings, series, attendance, actions and calendar tokens.

Override through them as elsewhere, e.g. ``MeetingFactory(visibility="network",
network=kirklees)`` or ``MeetingSeriesFactory(rrule="FREQ=MONTHLY;BYDAY=1WE")``.
"""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from meetings.models import (
    LONDON,
    Action,
    Attendance,
    CalendarToken,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingSeriesException,
    MeetingVisibility,
    hash_calendar_token,
)
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory


def london(*args: int) -> datetime.datetime:
    """An aware Europe/London datetime: ``london(2026, 3, 31, 18)``."""
    return datetime.datetime(*args, tzinfo=LONDON)


class MeetingFactory(DjangoModelFactory[Meeting]):
    """A public network meeting in person, a week from a fixed date far in the future (so it
    stays upcoming), unless told otherwise; pass ``localities`` as a list."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Network meeting {n}")
    kind = MeetingKind.NETWORK
    network = factory.SubFactory(NetworkFactory)
    organiser = factory.SubFactory(OrganisationFactory)
    visibility = MeetingVisibility.PUBLIC
    start = factory.Sequence(lambda n: london(2030, 1, 7, 18) + datetime.timedelta(days=n))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    venue = "Batley Community Centre"
    address = "1 High Street, Batley"
    agenda = "1. Welcome\n2. Updates from the areas"

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)


class MeetingSeriesFactory(DjangoModelFactory[MeetingSeries]):
    """A monthly series on the first Wednesday at 18:00, UK time."""

    class Meta:
        model = MeetingSeries
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lead anchors meeting {n}")
    kind = MeetingKind.LEAD_ANCHORS
    network = factory.SubFactory(NetworkFactory)
    organiser = factory.SubFactory(OrganisationFactory)
    rrule = "FREQ=MONTHLY;BYDAY=1WE"
    dtstart = factory.LazyFunction(lambda: london(2026, 1, 7, 18))
    duration_minutes = 90
    visibility = MeetingVisibility.LEAD_ANCHORS
    joining_url = "https://meet.example.org/lead-anchors"

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)


class MeetingSeriesExceptionFactory(DjangoModelFactory[MeetingSeriesException]):
    class Meta:
        model = MeetingSeriesException

    series = factory.SubFactory(MeetingSeriesFactory)
    original_start = factory.LazyAttribute(lambda o: o.series.dtstart)
    cancelled = True
    moved_to = None
    reason = "Christmas"


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ActionFactory(DjangoModelFactory[Action]):
    class Meta:
        model = Action

    description = factory.Sequence(lambda n: f"Send the funding update to every anchor ({n})")
    owner = factory.SubFactory(OrganisationFactory)
    due_on = datetime.date(2030, 2, 1)
    raised_at = factory.SubFactory(MeetingFactory)


class CalendarTokenFactory(DjangoModelFactory[CalendarToken]):
    """A token row; the raw token is ``token`` (a factory parameter, never stored)."""

    class Meta:
        model = CalendarToken
        exclude = ("token",)

    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"test-calendar-token-{n:04d}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: hash_calendar_token(o.token))


# One factory per meetings model in the admin, for the admin-wide tests
# (tests.factories.admin_factories() merges this in).
FACTORIES = {
    Meeting: MeetingFactory,
    MeetingSeries: MeetingSeriesFactory,
    Action: ActionFactory,
    Attendance: AttendanceFactory,
    CalendarToken: CalendarTokenFactory,
}
