"""An organisation's editors keep its opening times (HSDS schedules) from the profile editor: one
row each, a blank row to add one, "Add another opening time" without JavaScript, errors beside
the row they belong to with nothing lost, and a save made on a stale copy refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import VERSION_FIELD
from organisations.models import Schedule, Weekday
from tests.factories import MembershipFactory, OrganisationFactory, ScheduleFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "times"


@pytest.fixture
def pantry():
    return OrganisationFactory(name="Batley Pantry")


@pytest.fixture
def editor(client, pantry):
    user = MembershipFactory(organisation=pantry).user
    client.force_login(user)
    return user


def url(organisation) -> str:
    return reverse("organisations:opening_times", args=[organisation.slug])


def form_data(response) -> dict[str, str]:
    """What the page's form would post as it stands: every row's values and hidden fields."""
    data: dict[str, str] = {}
    formset = response.context["formset"]
    management = formset.management_form
    data.update({f"{PREFIX}-{name}": str(management[name].value()) for name in management.fields})
    for form in formset.forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if name == "DELETE" or value in (None, False, ""):
                continue
            if isinstance(value, datetime.date):
                day, month, year = value.day, value.month, value.year
                data.update({f"{bound.html_name}_0": day, f"{bound.html_name}_1": month, f"{bound.html_name}_2": year})
            elif isinstance(value, list):
                for index, part in enumerate(value):
                    if part not in (None, ""):
                        data[f"{bound.html_name}_{index}"] = str(part)
            elif value is True:
                data[bound.html_name] = "on"
            else:
                data[bound.html_name] = value.strftime("%H:%M") if isinstance(value, datetime.time) else str(value)
    return data


def test_the_profile_editor_links_to_the_opening_times(client, editor, pantry):
    assertContains(client.get(reverse("organisations:edit", args=[pantry.slug])), url(pantry))


def test_an_editor_adds_an_opening_time_and_it_shows_on_the_public_page(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data.update(
        {f"{PREFIX}-0-byday": Weekday.TUESDAY, f"{PREFIX}-0-opens_at": "10:00", f"{PREFIX}-0-closes_at": "14:00"}
    )

    response = client.post(url(pantry), data)

    assert response.status_code == 302
    schedule = Schedule.objects.get(organisation=pantry)
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        Weekday.TUESDAY,
        datetime.time(10),
        datetime.time(14),
    )
    assertContains(client.get(pantry.get_absolute_url()), "Tuesdays, 10am to 2pm")


def test_the_rows_are_in_weekday_order_from_monday(client, editor, pantry):
    for day in (Weekday.FRIDAY, Weekday.SUNDAY, Weekday.MONDAY, Weekday.TUESDAY):
        ScheduleFactory(organisation=pantry, byday=day)

    formset = client.get(url(pantry)).context["formset"]

    days = [form.instance.byday for form in formset.forms if form.instance.pk]
    assert days == [Weekday.MONDAY, Weekday.TUESDAY, Weekday.FRIDAY, Weekday.SUNDAY]


def test_add_another_keeps_what_was_typed_adds_a_blank_row_and_saves_nothing(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data.update({f"{PREFIX}-0-byday": Weekday.FRIDAY, f"{PREFIX}-0-opens_at": "09:30", "add_another": "1"})

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assertContains(response, 'value="09:30"')
    assert not Schedule.objects.exists()


def test_errors_are_given_per_row_and_nothing_typed_is_lost(client, editor, pantry):
    ScheduleFactory(organisation=pantry, byday=Weekday.MONDAY)
    data = form_data(client.get(url(pantry)))
    data.update(
        {
            f"{PREFIX}-0-closes_at": "09:00",  # before it opens at 10:00
            f"{PREFIX}-1-byday": Weekday.SATURDAY,
            f"{PREFIX}-1-opens_at": "half ten",
            f"{PREFIX}-1-notes": "Bring a bag",
        }
    )

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assertContains(response, "Error: Opening times")
    assertContains(response, "Opening time 1: Give both times, and a closing time after the opening time.")
    assertContains(response, "Opening time 2: Enter a time like 10:00 or 14:30")
    assertContains(response, 'href="#id_times-1-opens_at"')
    assertContains(response, 'value="Bring a bag"')
    assertContains(response, 'value="half ten"')
    assert Schedule.objects.get(organisation=pantry).closes_at == datetime.time(14)


def test_an_overnight_opening_is_refused_with_how_to_enter_it(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data.update(
        {f"{PREFIX}-0-byday": Weekday.FRIDAY, f"{PREFIX}-0-opens_at": "22:00", f"{PREFIX}-0-closes_at": "02:00"}
    )

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assertContains(response, "Opening time 1: Give both times, and a closing time after the opening time.")
    assertContains(response, "Opening time 1: To stay open past midnight, give two opening times")
    assertContains(response, 'value="22:00"')
    assert not Schedule.objects.filter(organisation=pantry).exists()


def test_by_appointment_needs_no_day_or_times(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data.update({f"{PREFIX}-0-by_appointment": "on", f"{PREFIX}-0-notes": "Call to book"})

    assert client.post(url(pantry), data).status_code == 302
    assert Schedule.objects.get(organisation=pantry).by_appointment


def test_an_opening_time_is_removed(client, editor, pantry):
    ScheduleFactory(organisation=pantry)
    data = form_data(client.get(url(pantry)))
    data[f"{PREFIX}-0-DELETE"] = "on"

    assert client.post(url(pantry), data).status_code == 302
    assert not Schedule.objects.filter(organisation=pantry).exists()


def test_a_save_over_someone_elses_change_is_refused_beside_the_row_and_keeps_what_was_typed(client, editor, pantry):
    schedule = ScheduleFactory(organisation=pantry, notes="")
    data = form_data(client.get(url(pantry)))
    # Meanwhile, someone else changes the same opening time.
    schedule.closes_at = datetime.time(15)
    schedule.save()
    data[f"{PREFIX}-0-notes"] = "Drop in"

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assertContains(response, "changed this opening time while you were editing it")
    assertContains(response, 'value="Drop in"')
    schedule.refresh_from_db()
    assert schedule.notes == ""
    # The form now carries the current version: saving again is a deliberate choice.
    again = form_data(response)
    assert client.post(url(pantry), again).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.notes, schedule.closes_at) == ("Drop in", datetime.time(15))


def test_a_row_someone_else_changed_and_this_editor_left_alone_is_not_refused(client, editor, pantry):
    mine, theirs = (
        ScheduleFactory(organisation=pantry, byday=Weekday.MONDAY),
        ScheduleFactory(organisation=pantry, byday=Weekday.TUESDAY),
    )
    data = form_data(client.get(url(pantry)))
    theirs.notes = "Term time only"
    theirs.save()
    data[f"{PREFIX}-0-notes"] = "Drop in"

    assert client.post(url(pantry), data).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.notes, theirs.notes) == ("Drop in", "Term time only")


def test_a_form_without_versions_is_refused(client, editor, pantry):
    ScheduleFactory(organisation=pantry)
    data = form_data(client.get(url(pantry)))
    data.pop(f"{PREFIX}-0-{VERSION_FIELD}")
    data[f"{PREFIX}-0-notes"] = "Changed"

    assertContains(client.post(url(pantry), data), "This page is out of date")
    assert Schedule.objects.get(organisation=pantry).notes != "Changed"


def test_someone_who_may_not_edit_the_organisation_gets_not_found(client, pantry):
    client.force_login(UserFactory())

    assert client.get(url(pantry)).status_code == 404
    assert client.post(url(pantry), {}).status_code == 404
    assertNotContains(client.get(pantry.get_absolute_url()), "opening-times")


def test_a_forged_row_count_is_capped(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data[f"{PREFIX}-TOTAL_FORMS"] = "1000000"

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 40


@pytest.mark.parametrize("total", ["-1", "0", "1"])
def test_a_post_with_fewer_rows_than_the_page_had_is_refused_not_reported_as_saved(client, editor, pantry, total):
    ScheduleFactory.create_batch(2, organisation=pantry)
    before = list(Schedule.objects.filter(organisation=pantry).values_list("pk", "notes"))
    data = form_data(client.get(url(pantry)))
    data[f"{PREFIX}-TOTAL_FORMS"] = total

    response = client.post(url(pantry), data, follow=True)

    assert response.status_code == 200
    assertContains(response, "This changed while you were editing it")
    assertNotContains(response, "are saved")
    assert list(Schedule.objects.filter(organisation=pantry).values_list("pk", "notes")) == before


def test_a_post_without_the_hidden_row_counts_is_refused_in_plain_english(client, editor, pantry):
    ScheduleFactory(organisation=pantry, notes="Tea and toast")
    data = {key: value for key, value in form_data(client.get(url(pantry))).items() if "FORMS" not in key}

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assertContains(response, "This changed while you were editing it")
    assertNotContains(response, "ManagementForm")
    assertNotContains(response, "tampered")
    assert Schedule.objects.get(organisation=pantry).notes == "Tea and toast"


def test_a_forged_row_count_above_the_cap_is_refused_in_plain_english(client, editor, pantry):
    data = form_data(client.get(url(pantry)))
    data[f"{PREFIX}-TOTAL_FORMS"] = "41"

    response = client.post(url(pantry), data)

    assert response.status_code == 200
    assertContains(response, "You can give at most 40 opening times")
    assertNotContains(response, "Please submit")
