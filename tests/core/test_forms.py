"""The form pieces every editor shares: dates, times of day, many-to-many choices and the
error summary's links."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import GovukDateField, IdMultipleChoiceField, error_links, parse_time_of_day
from localities.models import Locality
from tests.factories import LocalityFactory, MembershipFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("18:30", datetime.time(18, 30)),
        ("18.30", datetime.time(18, 30)),
        ("1830", datetime.time(18, 30)),
        ("6pm", datetime.time(18)),
        ("6 PM", datetime.time(18)),
        ("6:30pm", datetime.time(18, 30)),
        ("6.30 p.m.", datetime.time(18, 30)),
        ("12pm", datetime.time(12)),
        ("12am", datetime.time(0)),
        ("9am", datetime.time(9)),
        ("09:05", datetime.time(9, 5)),
        ("midday", datetime.time(12)),
        ("Noon", datetime.time(12)),
        ("midnight", datetime.time(0)),
    ],
)
def test_times_are_read_the_ways_people_type_them(typed, expected):
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("6", "Add am or pm, or use the 24-hour clock, for example 6pm or 18:00"),
        ("18", "Add am or pm, or use the 24-hour clock, for example 6pm or 18:00"),
        ("24:00", "Enter a real time, for example 6pm or 18:30"),
        ("12:60", "Enter a real time, for example 6pm or 18:30"),
        ("0am", "Enter an hour from 1 to 12 before am or pm, for example 6pm"),
        ("13pm", "Enter an hour from 1 to 12 before am or pm, for example 6pm"),
        ("teatime", "Enter a time, for example 6pm or 18:30"),
        ("6:3pm", "Enter a time, for example 6pm or 18:30"),
        ("\x00", "Enter a time, for example 6pm or 18:30"),
    ],
)
def test_a_time_that_cannot_be_read_says_what_to_type(typed, message):
    with pytest.raises(ValidationError) as error:
        parse_time_of_day(typed)
    assert error.value.messages == [message]


class DateForm(forms.Form):
    when = GovukDateField(label="When", first_year=2000, last_year=2100)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "Enter a real date, for example 27 3 2025"),
        ("9" * 30, "2", "2027", "Enter a real date, for example 27 3 2025"),
        ("1", "9" * 30, "2027", "Enter a real date, for example 27 3 2025"),
        ("1", "2", "27", "Enter the year as 4 digits, for example 2027"),
        ("1", "2", "1999", "Enter a year from 2000 to 2100"),
        ("1", "2", "", "Enter the year, or leave the date empty"),
        ("", "", "2027", "Enter the day and month, or leave the date empty"),
    ],
)
def test_a_date_that_cannot_be_read_says_what_to_type(day, month, year, message):
    form = DateForm({"when_0": day, "when_1": month, "when_2": year})
    assert not form.is_valid()
    assert form.errors["when"] == [message]
    assert error_links(form) == [("id_when_0", message)]


def test_an_empty_optional_date_is_none():
    form = DateForm({"when_0": "", "when_1": "", "when_2": ""})
    assert form.is_valid()
    assert form.cleaned_data["when"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 30, str(2**63), "-" + "9" * 20, "1e5", "one", ""])
def test_an_id_no_database_can_hold_is_an_invalid_choice_not_a_server_error(value):
    LocalityFactory()
    field = IdMultipleChoiceField(queryset=Locality.objects.all(), required=False)
    with pytest.raises(ValidationError) as error:
        field.clean([value])
    assert error.value.code == "invalid_choice"


@pytest.mark.django_db
def test_an_editor_sending_a_huge_area_id_is_told_to_choose_from_the_list(client):
    organisation = OrganisationFactory()
    editor = MembershipFactory(organisation=organisation).user
    client.force_login(editor)
    url = reverse("organisations:edit", args=[organisation.slug])
    response = client.post(url, {"name": organisation.name, "kind": organisation.kind, "localities": ["9" * 30]})
    assert response.status_code == 200
    assert "localities" in response.context["form"].errors
