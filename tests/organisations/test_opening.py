"""When an organisation is open, what it costs, the languages spoken and step-free access: the
organisation page says so in plain English, and the directory filters by them ("open now" on
the clock in Europe/London, across both clock changes)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertContains, assertNotContains

from organisations.filters import OrganisationFilter
from organisations.models import CostOption, Organisation, Schedule, StepFreeAccess, Weekday
from organisations.opening import opening_lines, time_text, weekend_days
from organisations.selectors import organisation_list_public
from tests.factories import LanguageFactory, OrganisationFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/directory/"
UTC = datetime.UTC
TODAY = datetime.date(2026, 5, 1)
ONE_DAY = datetime.timedelta(days=1)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def lines(*rows: dict) -> list[str]:
    return opening_lines([Schedule(**row) for row in rows], today=TODAY)


def t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


# ------------------------------------------------------------------------------
# Plain English
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "text"),
    [(t(10), "10am"), (t(14, 30), "2:30pm"), (t(12), "12 noon"), (t(0), "midnight"), (t(0, 30), "12:30am")],
)
def test_times_read_as_gov_uk_writes_them(moment, text):
    assert time_text(moment) == text


def test_one_day_reads_as_the_day_and_its_times():
    assert lines({"byday": "MO", "opens_at": t(10), "closes_at": t(14)}) == ["Mondays, 10am to 2pm"]


def test_days_in_a_row_with_the_same_times_read_as_a_range():
    week = [{"byday": day, "opens_at": t(9), "closes_at": t(17)} for day in ("TH", "MO", "WE", "TU", "FR")]
    assert lines(*week) == ["Monday to Friday, 9am to 5pm"]


def test_days_apart_are_listed_and_different_times_get_their_own_line():
    assert lines(
        {"byday": "FR", "opens_at": t(10), "closes_at": t(12)},
        {"byday": "MO", "opens_at": t(10), "closes_at": t(12)},
        {"byday": "SA", "opens_at": t(9, 30), "closes_at": t(13)},
    ) == ["Mondays and Fridays, 10am to 12 noon", "Saturdays, 9:30am to 1pm"]


def test_a_season_appointments_and_notes_are_said_and_a_past_season_is_left_out():
    assert lines(
        {
            "byday": "SA",
            "opens_at": t(10),
            "closes_at": t(12),
            "valid_from": datetime.date(2026, 4, 1),
            "valid_to": datetime.date(2026, 9, 30),
        },
        {"byday": "TU", "opens_at": t(13), "closes_at": t(15), "by_appointment": True, "notes": "ring first"},
        {"by_appointment": True},
        {"byday": "SU", "opens_at": t(10), "closes_at": t(12), "valid_to": datetime.date(2026, 3, 31)},
    ) == [
        "Tuesdays, 1pm to 3pm, by appointment: ring first",
        "Saturdays, 10am to 12 noon (1 April 2026 to 30 September 2026)",
        "By appointment",
    ]


# ------------------------------------------------------------------------------
# Open now, across the clock changes (Europe/London: BST from 29 March to 25 October 2026)
# ------------------------------------------------------------------------------
@pytest.fixture
def monday_club():
    """Open on Mondays from 10am to 2pm, on the clock in the UK."""
    return ScheduleFactory(byday=Weekday.MONDAY, opens_at=t(10), closes_at=t(14)).organisation


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        # Monday 23 March: GMT, so UTC is the clock on the wall.
        (utc(2026, 3, 23, 9, 30), False),
        (utc(2026, 3, 23, 13, 30), True),
        # Monday 30 March, the day after the clocks went forward: 09:30 UTC is 10:30 BST.
        (utc(2026, 3, 30, 9, 30), True),
        (utc(2026, 3, 30, 13, 30), False),
        # Monday 19 October, still BST.
        (utc(2026, 10, 19, 9, 0), True),
        (utc(2026, 10, 19, 13, 0), False),
        # Monday 26 October, the day after the clocks went back: GMT again.
        (utc(2026, 10, 26, 9, 0), False),
        (utc(2026, 10, 26, 13, 0), True),
        # Sunday 23:30 UTC in summer is already Monday 00:30 in the UK: not open yet.
        (utc(2026, 6, 14, 23, 30), False),
    ],
)
def test_open_now_reads_the_clock_in_the_uk(monday_club, moment, is_open):
    assert Organisation.objects.open_at(moment).filter(pk=monday_club.pk).exists() is is_open


def test_open_now_is_true_from_opening_and_false_at_closing(monday_club):
    assert Organisation.objects.open_at(utc(2026, 1, 5, 10, 0)).exists()
    assert not Organisation.objects.open_at(utc(2026, 1, 5, 14, 0)).exists()


def test_a_season_counts_only_between_its_dates_and_appointments_never():
    summer = ScheduleFactory(
        byday=Weekday.SATURDAY, valid_from=datetime.date(2026, 4, 1), valid_to=datetime.date(2026, 9, 30)
    ).organisation
    ScheduleFactory(byday=Weekday.SATURDAY, by_appointment=True)
    assert list(Organisation.objects.open_at(utc(2026, 9, 26, 11))) == [summer]
    assert not Organisation.objects.open_at(utc(2026, 10, 3, 11)).exists()
    assert not Organisation.objects.open_at(utc(2026, 3, 28, 11)).exists()


@pytest.mark.parametrize(
    ("moment", "days"),
    [
        (utc(2026, 5, 6, 12), [datetime.date(2026, 5, 9), datetime.date(2026, 5, 10)]),  # a Wednesday
        (utc(2026, 5, 9, 12), [datetime.date(2026, 5, 9), datetime.date(2026, 5, 10)]),  # the Saturday
        (utc(2026, 5, 10, 12), [datetime.date(2026, 5, 10)]),  # the Sunday: the rest of it
        # Friday 23:30 UTC in summer is Saturday 00:30 in the UK.
        (utc(2026, 5, 8, 23, 30), [datetime.date(2026, 5, 9), datetime.date(2026, 5, 10)]),
    ],
)
def test_this_weekend_is_the_coming_saturday_and_sunday_in_the_uk(moment, days):
    assert weekend_days(moment) == days


def names(params: dict, now: datetime.datetime) -> list[str]:
    filterset = OrganisationFilter(params, queryset=organisation_list_public(), now=now)
    assert filterset.is_valid(), filterset.errors
    return sorted(organisation.name for organisation in filterset.qs)


def test_the_directory_filters_by_open_now_this_weekend_free_and_language(monday_club):
    monday_club.name = "Monday Club"
    monday_club.cost_option = CostOption.FREE
    monday_club.save()
    urdu = LanguageFactory(code="xur", name="Test Urdu")
    ScheduleFactory(organisation__name="Sunday Cafe", byday=Weekday.SUNDAY).organisation.languages.add(urdu)
    OrganisationFactory(name="No Times Recorded", cost_option=CostOption.FEE, cost_amount=Decimal(3))
    wednesday = utc(2026, 5, 6, 12)
    monday_morning = utc(2026, 5, 4, 11)

    assert names({"open": "now"}, monday_morning) == ["Monday Club"]
    assert names({"open": "now"}, wednesday) == []
    assert names({"open": "weekend"}, wednesday) == ["Sunday Cafe"]
    assert names({"cost": ["free"]}, wednesday) == ["Monday Club"]
    assert names({"language": "xur"}, wednesday) == ["Sunday Cafe"]
    assert names({"language": "xur", "cost": ["free"]}, wednesday) == []


@pytest.mark.parametrize("params", [{"open": "tomorrow"}, {"language": "klingon"}, {"cost": ["cheap"]}])
def test_a_filter_value_not_offered_is_a_clear_error_not_a_crash(client, params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assert list(response.context["organisations"]) == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_new_filters_cost_the_same_queries_for_3_or_30_results(client, count, django_assert_max_num_queries):
    urdu = LanguageFactory(code="xur", name="Test Urdu")
    english = LanguageFactory(code="xen", name="Test English")
    for _n in range(count):
        organisation = ScheduleFactory(byday=Weekday.SATURDAY, opens_at=t(0), closes_at=t(23, 59)).organisation
        organisation.cost_option = CostOption.FREE
        organisation.save()
        organisation.languages.set([urdu, english])
    for params in ({"open": "weekend"}, {"open": "now"}, {"cost": "free", "language": "xur"}):
        # As many as the directory without these filters (test_views): the languages are one
        # query for the filter's choices and one for the cards.
        with django_assert_max_num_queries(13, info=f"the directory with {params}"):
            response = client.get(DIRECTORY, params)
        assert response.status_code == HTTPStatus.OK
    assert response.context["paginator"].count == count
    assertContains(response, "Test English, Test Urdu")


# ------------------------------------------------------------------------------
# Removing one filter keeps the others
# ------------------------------------------------------------------------------
def test_each_filter_in_force_has_a_link_that_removes_only_it(client):
    LanguageFactory(code="xur", name="Test Urdu")
    response = client.get(DIRECTORY, {"q": "lunch", "cost": "free", "language": "xur", "page": "2"})
    links = {(label, value): href for label, value, href in response.context["removable_filters"]}
    assert links == {
        ("Search", "lunch"): "?cost=free&language=xur",
        ("Cost", "Free"): "?q=lunch&language=xur",
        ("Language spoken", "Test Urdu"): "?q=lunch&cost=free",
    }
    remove_cost = (
        '<a class="govuk-link" href="?q=lunch&amp;language=xur">'
        'remove<span class="govuk-visually-hidden"> cost Free</span></a>'
    )
    assertContains(response, remove_cost, html=True)
    assertContains(response, "Filter results (2 active)")


# ------------------------------------------------------------------------------
# The organisation page and the result cards
# ------------------------------------------------------------------------------
def test_the_organisation_page_says_when_it_is_open_what_it_costs_and_about_access(client):
    organisation = OrganisationFactory(
        cost_option=CostOption.DONATION,
        cost_amount=Decimal("2.50"),
        cost_amount_description="suggested",
        step_free_access=StepFreeAccess.PARTLY,
        accessibility_details="Ramp at the side door.",
        opening_hours="Ring for times",
    )
    organisation.languages.set([LanguageFactory(code="xpl", name="Test Polish")])
    for day in ("MO", "TU", "WE"):
        ScheduleFactory(organisation=organisation, byday=day, opens_at=t(10), closes_at=t(14))
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "Monday to Wednesday, 10am to 2pm")
    assertNotContains(response, "Ring for times")  # the text stands in only while no times are recorded
    assertContains(response, "Donation: £2.50 (suggested)")
    assertContains(response, "Test Polish")
    assertContains(response, "Partly step-free")
    assertContains(response, "Ramp at the side door.")


def test_without_opening_times_the_page_shows_the_opening_hours_text_or_says_none_are_recorded(client):
    with_text = OrganisationFactory(opening_hours="Thursdays in term time")
    assertContains(client.get(with_text.get_absolute_url()), "Thursdays in term time")
    response = client.get(OrganisationFactory().get_absolute_url())
    assertContains(response, "Not recorded: contact them before you go.")
    assertContains(response, "Not known")


def test_once_every_season_has_ended_the_page_falls_back_to_the_opening_hours_text(client):
    organisation = OrganisationFactory(opening_hours="Ring for times")
    ScheduleFactory(
        organisation=organisation,
        byday="MO",
        opens_at=t(10),
        closes_at=t(14),
        valid_from=TODAY - 30 * ONE_DAY,
        valid_to=TODAY - ONE_DAY,
    )
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "Ring for times")
    assertNotContains(response, "Mondays, 10am to 2pm")


def test_a_result_card_shows_cost_languages_and_access_when_known(client):
    organisation = OrganisationFactory(
        name="Free Cafe", cost_option=CostOption.FREE, step_free_access=StepFreeAccess.YES
    )
    organisation.languages.set([LanguageFactory(code="xbn", name="Test Bengali")])
    OrganisationFactory(name="Unknown Cafe")
    response = client.get(DIRECTORY)
    assertContains(response, "<div><dt>Cost</dt> <dd>Free</dd></div>", html=True)
    assertContains(response, "<div><dt>Languages</dt> <dd>Test Bengali</dd></div>", html=True)
    assertContains(response, "<div><dt>Access</dt> <dd>Step-free access</dd></div>", html=True)
    assertContains(response, "<dt>Access</dt>", count=1)


# ------------------------------------------------------------------------------
# The rules hold in the database too
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "row",
    [
        {"byday": "MO", "opens_at": t(14), "closes_at": t(10)},  # closes before it opens
        {"byday": "MO", "opens_at": t(10)},  # no closing time
        {"byday": "", "opens_at": t(10), "closes_at": t(12)},  # no day, not by appointment
        {"byday": "MO", "opens_at": t(10), "closes_at": t(12), "valid_from": TODAY, "valid_to": TODAY - ONE_DAY},
    ],
)
def test_an_opening_time_that_makes_no_sense_is_refused(row):
    schedule = Schedule(organisation=OrganisationFactory(), **row)
    with pytest.raises(ValidationError):
        schedule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        schedule.save()


def test_an_amount_is_refused_for_something_free():
    organisation = OrganisationFactory.build(cost_option=CostOption.FREE, cost_amount=Decimal(1), slug="free-1")
    with pytest.raises(ValidationError, match="amount"):
        organisation.full_clean()


def test_opening_times_are_read_without_joining_the_organisation():
    # Every reader puts the rows in weekday order itself; ordering by the organisation's name
    # would join its table on every prefetch of an organisation page.
    assert "JOIN" not in str(Schedule.objects.filter(organisation__pk=1).query)
