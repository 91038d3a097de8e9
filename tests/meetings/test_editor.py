"""The front-end meeting editor: lead-anchor editors add, change, cancel and record their own
meetings, and nobody reaches anyone else's."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import version_of
from meetings.models import Action, ActionStatus, Attendance, AttendanceStatus, Meeting, MeetingVisibility
from tests.factories import MembershipFactory, OrganisationFactory

from .factories import ActionFactory, AttendanceFactory, MeetingFactory, london

pytestmark = pytest.mark.django_db

CREATE = reverse("meetings:create")
MINE = reverse("meetings:mine")


def lead_organisation(world):
    return world.people["kirklees_lead"].memberships.get().organisation


def meeting_data(world, **overrides) -> dict:
    """What a lead-anchor editor types to add a Batley and Spen locality meeting on Tuesday
    9 March 2027, 6pm to 7:30pm."""
    data = {
        "title": "Batley and Spen locality meeting",
        "kind": "locality",
        "network": world.kirklees.pk,
        "organiser": lead_organisation(world).pk,
        "visibility": "public",
        "localities": [world.places["batley-east"].pk],
        "date_0": "9",
        "date_1": "3",
        "date_2": "2027",
        "starts_at": "6pm",
        "ends_at": "19:30",
        "venue": "Batley Library",
        "address": "Market Place, Batley",
        "joining_url": "",
        "agenda": "1. Welcome\n2. Warm spaces this winter",
        "minutes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(meeting: Meeting, **overrides) -> dict:
    """The edit form as it comes back unchanged, with ``overrides`` typed over it."""
    start = meeting.start.astimezone(london(2027, 1, 1).tzinfo)
    end = meeting.end.astimezone(start.tzinfo)
    data = {
        "loaded_version": version_of(meeting),
        "title": meeting.title,
        "kind": meeting.kind,
        "network": meeting.network_id,
        "organiser": meeting.organiser_id,
        "visibility": meeting.visibility,
        "localities": list(meeting.localities.values_list("pk", flat=True)),
        "date_0": str(start.day),
        "date_1": str(start.month),
        "date_2": str(start.year),
        "starts_at": f"{start:%H:%M}",
        "ends_at": f"{end:%H:%M}",
        "venue": meeting.venue,
        "address": meeting.address,
        "joining_url": meeting.joining_url,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def error_messages(response) -> list[str]:
    return [message for _target, message in response.context["error_links"]]


# ------------------------------------------------------------------------------
# Adding a meeting
# ------------------------------------------------------------------------------
def test_a_lead_anchor_editor_adds_a_meeting_that_residents_then_see(world, as_person, client):
    response = as_person(world.people["kirklees_lead"]).post(CREATE, meeting_data(world))

    meeting = Meeting.objects.get(title="Batley and Spen locality meeting")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == meeting.get_absolute_url()
    # 6pm on 9 March 2027 is GMT; stored in UTC.
    assert meeting.start == datetime.datetime(2027, 3, 9, 18, tzinfo=datetime.UTC)
    assert meeting.end == datetime.datetime(2027, 3, 9, 19, 30, tzinfo=datetime.UTC)
    assert meeting.organiser == lead_organisation(world)
    assert list(meeting.localities.all()) == [world.places["batley-east"]]
    assert {record.history_user for record in meeting.history.all()} == {world.people["kirklees_lead"]}

    client.logout()
    page = client.get(meeting.get_absolute_url())
    assertContains(page, "Warm spaces this winter")
    assertContains(page, "Tuesday 9 March 2027, 6pm to 7:30pm")
    assertContains(client.get(reverse("meetings:list")), "Batley and Spen locality meeting")


def test_summer_times_are_uk_time(world, as_person):
    as_person(world.people["kirklees_lead"]).post(
        CREATE, meeting_data(world, date_0="6", date_1="7", starts_at="18:00", ends_at="8pm")
    )
    meeting = Meeting.objects.get(title="Batley and Spen locality meeting")
    assert meeting.start == datetime.datetime(2027, 7, 6, 17, tzinfo=datetime.UTC)  # BST
    assert meeting.end == datetime.datetime(2027, 7, 6, 19, tzinfo=datetime.UTC)


def test_the_form_offers_only_the_editors_network_organisation_and_areas(world, as_person):
    response = as_person(world.people["kirklees_lead"]).get(CREATE)
    form = response.context["form"]
    assert list(form.fields["network"].queryset) == [world.kirklees]
    assert list(form.fields["organiser"].queryset) == [lead_organisation(world)]
    # Its one network and organisation come chosen.
    assert form.initial["network"] == world.kirklees.pk
    assert form.initial["organiser"] == lead_organisation(world).pk
    assert {place.slug for place in form.fields["localities"].queryset} == {"batley-and-spen", "batley-east"}


@pytest.mark.parametrize(
    ("field", "value_of"),
    [
        ("network", lambda world: world.leeds.pk),
        ("organiser", lambda world: world.people["kirklees_local"].memberships.get().organisation_id),
        ("localities", lambda world: [world.places["huddersfield"].pk]),
        ("localities", lambda world: [world.places["armley"].pk]),
    ],
)
def test_a_tampered_choice_outside_the_editors_scope_saves_nothing(world, as_person, field, value_of):
    response = as_person(world.people["kirklees_lead"]).post(CREATE, meeting_data(world, **{field: value_of(world)}))

    assert response.status_code == HTTPStatus.OK
    assert not Meeting.objects.filter(title="Batley and Spen locality meeting").exists()
    assert any("from the list" in message for message in error_messages(response))


@pytest.mark.parametrize("person", ["kirklees_local", "outsider", "councillor"])
def test_people_who_organise_nothing_are_told_so_and_cannot_add_by_posting(world, as_person, person):
    client = as_person(world.people[person])
    page = client.get(CREATE)
    assert page.status_code == HTTPStatus.FORBIDDEN
    assertContains(page, "You cannot add meetings", status_code=HTTPStatus.FORBIDDEN)
    assert client.post(CREATE, meeting_data(world)).status_code == HTTPStatus.FORBIDDEN
    assert not Meeting.objects.filter(title="Batley and Spen locality meeting").exists()


def test_signed_out_people_are_sent_to_sign_in(world, client):
    response = client.post(CREATE, meeting_data(world))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("portal:login"))
    assert not Meeting.objects.filter(title="Batley and Spen locality meeting").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the meeting"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date of the meeting"),
        ({"date_1": ""}, "Enter the month"),
        ({"date_0": "31", "date_1": "2"}, "Enter a real date, for example 27 3 2025"),
        ({"date_2": "27"}, "Enter the year as 4 digits, for example 2027"),
        ({"starts_at": ""}, "Enter the time the meeting starts"),
        ({"starts_at": "6"}, "Add am or pm, or use the 24-hour clock, for example 6pm or 18:00"),
        ({"starts_at": "25:00"}, "Enter a real time, for example 6pm or 18:30"),
        ({"starts_at": "teatime"}, "Enter a time, for example 6pm or 18:30"),
        ({"ends_at": "5pm"}, "Enter an end time after the start time"),
        (
            {"date_0": "28", "date_1": "3", "starts_at": "1:30am", "ends_at": "3am"},
            "The clocks go forward at 1am that day, so 01:30 does not exist: enter another time",
        ),
        ({"joining_url": "not a link"}, "Enter a web address starting with https://, or leave it empty"),
        (
            {"joining_url": "http://meet.example.org/room"},
            "Enter a web address starting with https://, or leave it empty",
        ),
        ({"date_0": "9" * 30}, "Enter a real date, for example 27 3 2025"),
        ({"date_1": "9" * 30}, "Enter a real date, for example 27 3 2025"),
        ({"date_2": "9999"}, "Enter a year from 2000 to 2100"),
        ({"date_2": "0001"}, "Enter a year from 2000 to 2100"),
        ({"localities": ["9" * 30]}, "Choose areas from the list"),
        ({"localities": ["-1"]}, "Choose areas from the list"),
        ({"localities": ["one"]}, "Choose areas from the list"),
        ({"visibility": "everybody"}, "Choose who can see the meeting"),
    ],
)
def test_a_mistake_is_explained_and_everything_typed_comes_back(world, as_person, overrides, message):
    response = as_person(world.people["kirklees_lead"]).post(CREATE, meeting_data(world, **overrides))

    assert response.status_code == HTTPStatus.OK
    assert message in error_messages(response)
    assert not Meeting.objects.filter(title="Batley and Spen locality meeting").exists()
    assertContains(response, "There is a problem")
    assertContains(response, "<title>Error: Add a meeting")
    if overrides.get("title") != "":
        assertContains(response, 'value="Batley and Spen locality meeting"')
    assertContains(response, "Warm spaces this winter")
    assertContains(response, 'value="Batley Library"')


# ------------------------------------------------------------------------------
# Changing a meeting
# ------------------------------------------------------------------------------
@pytest.fixture
def own_meeting(world):
    """A public meeting the Kirklees lead anchor organises."""
    return MeetingFactory(
        title="Batley and Spen locality meeting",
        network=world.kirklees,
        organiser=lead_organisation(world),
        start=london(2030, 3, 12, 18),
        end=london(2030, 3, 12, 20),
        localities=[world.places["batley-east"]],
    )


def test_changing_the_time_updates_the_meeting_and_its_calendar_sequence(world, as_person, own_meeting):
    client = as_person(world.people["kirklees_lead"])
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    assertContains(client.get(url), 'value="18:00"')

    response = client.post(url, edit_data(own_meeting, starts_at="18:30", ends_at="20:30"))

    assert response.status_code == HTTPStatus.FOUND
    own_meeting.refresh_from_db()
    assert own_meeting.start == london(2030, 3, 12, 18, 30)
    assert own_meeting.sequence == 1
    ics = client.get(own_meeting.get_ics_url()).content.decode()
    assert "SEQUENCE:1" in ics


def test_an_end_time_of_midnight_ends_the_meeting_at_the_end_of_the_day(world, as_person):
    as_person(world.people["kirklees_lead"]).post(CREATE, meeting_data(world, starts_at="9pm", ends_at="midnight"))
    meeting = Meeting.objects.get(title="Batley and Spen locality meeting")
    assert meeting.end == datetime.datetime(2027, 3, 10, 0, tzinfo=datetime.UTC)


def test_saving_over_someone_elses_change_is_refused_and_keeps_what_was_typed(world, as_person, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    stale = edit_data(own_meeting, agenda="1. My agenda")
    own_meeting.venue = "Changed by an officer meanwhile"
    own_meeting.save()

    response = as_person(world.people["kirklees_lead"]).post(url, stale)

    assert response.status_code == HTTPStatus.OK
    assert "Someone else changed this meeting while you were editing it" in error_messages(response)[0]
    assertContains(response, "1. My agenda")
    own_meeting.refresh_from_db()
    assert own_meeting.venue == "Changed by an officer meanwhile"
    assert own_meeting.agenda != "1. My agenda"


def test_the_stale_check_survives_a_mistake_on_the_way(world, as_person, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    opened = edit_data(own_meeting)
    own_meeting.title = "An officer's change"
    own_meeting.save()
    editor = as_person(world.people["kirklees_lead"])

    with_mistake = editor.post(url, {**opened, "title": ""})
    assert error_messages(with_mistake) == ["Enter a title for the meeting"]
    assertContains(with_mistake, f'name="loaded_version" value="{opened["loaded_version"]}"')
    corrected = editor.post(url, {**opened, "title": "My title"})

    assert "Someone else changed this meeting" in error_messages(corrected)[0]
    own_meeting.refresh_from_db()
    assert own_meeting.title == "An officer's change"


@pytest.mark.parametrize("version", [None, "", "yesterday"])
def test_a_save_that_cannot_show_which_version_it_edits_is_refused(world, as_person, own_meeting, version):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    data = edit_data(own_meeting, title="Blind save")
    if version is None:
        del data["loaded_version"]
    else:
        data["loaded_version"] = version
    response = as_person(world.people["kirklees_lead"]).post(url, data)
    assert "This page is out of date, so this meeting was not saved" in error_messages(response)[0]
    own_meeting.refresh_from_db()
    assert own_meeting.title == "Batley and Spen locality meeting"


def test_a_meeting_dated_outside_the_calendar_cannot_take_the_feeds_down(world, client, own_meeting):
    # Not possible through the forms (see the year checks); a row written some other way.
    Meeting.objects.filter(pk=own_meeting.pk).update(
        start=datetime.datetime(9999, 6, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(9999, 6, 1, 2, tzinfo=datetime.UTC),
    )
    for url in (reverse("meetings:feed"), own_meeting.get_ics_url()):
        assert client.get(url).status_code == HTTPStatus.OK, url


def test_cancelling_needs_a_reason_then_tells_everyone(world, as_person, client, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    editor = as_person(world.people["kirklees_lead"])

    refused = editor.post(url, edit_data(own_meeting, cancelled="on", cancellation_reason=""))
    assert error_messages(refused) == ["Say why the meeting is cancelled: everyone who can see it is told."]
    own_meeting.refresh_from_db()
    assert not own_meeting.cancelled

    editor.post(url, edit_data(own_meeting, cancelled="on", cancellation_reason="The library is closed for repairs."))
    own_meeting.refresh_from_db()
    assert own_meeting.cancelled
    client.logout()
    assertContains(client.get(own_meeting.get_absolute_url()), "The library is closed for repairs.")
    assert "STATUS:CANCELLED" in client.get(reverse("meetings:feed")).content.decode()


def test_publishing_the_minutes_shows_them_to_residents(world, as_person, client, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    editor = as_person(world.people["kirklees_lead"])
    editor.post(url, edit_data(own_meeting, minutes="We agreed to open a second warm space."))
    client.logout()
    assertNotContains(client.get(own_meeting.get_absolute_url()), "second warm space")

    own_meeting.refresh_from_db()
    editor = as_person(world.people["kirklees_lead"])
    editor.post(url, edit_data(own_meeting, minutes_published="on"))
    client.logout()
    assertContains(client.get(own_meeting.get_absolute_url()), "second warm space")


@pytest.mark.parametrize("meeting_key", ["leeds_network"])
def test_another_networks_meeting_is_not_found_in_the_editor(world, as_person, meeting_key):
    meeting = world.meetings[meeting_key]
    client = as_person(world.people["kirklees_lead"])
    for name in ("meetings:update", "meetings:records"):
        url = reverse(name, kwargs={"uuid": meeting.uuid})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert client.post(url, edit_data(meeting, title="Taken over")).status_code == HTTPStatus.NOT_FOUND
    meeting.refresh_from_db()
    assert meeting.title == "Leeds members meeting"


def test_a_meeting_the_organisation_holds_in_a_network_it_does_not_lead_is_not_its_to_change(world, as_person):
    # The lead anchor's organisation, but in the Leeds network, where it holds no role.
    meeting = MeetingFactory(network=world.leeds, organiser=lead_organisation(world))
    url = reverse("meetings:update", kwargs={"uuid": meeting.uuid})
    assert as_person(world.people["kirklees_lead"]).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_local_anchor_editor_cannot_change_the_meetings_it_can_see(world, as_person, own_meeting):
    client = as_person(world.people["kirklees_local"])
    assert client.get(own_meeting.get_absolute_url()).status_code == HTTPStatus.OK
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assertNotContains(client.get(own_meeting.get_absolute_url()), "Change the meeting")


def test_an_officer_can_change_any_meeting_from_the_front_end(world, as_person):
    meeting = world.meetings["leeds_network"]
    url = reverse("meetings:update", kwargs={"uuid": meeting.uuid})
    response = as_person(world.people["officer"]).post(url, edit_data(meeting, title="Leeds members meeting (moved)"))
    assert response.status_code == HTTPStatus.FOUND
    meeting.refresh_from_db()
    assert meeting.title == "Leeds members meeting (moved)"


def test_the_history_records_who_changed_the_areas_a_meeting_concerns(world, as_person, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    area = world.places["batley-and-spen"]
    as_person(world.people["kirklees_lead"]).post(url, edit_data(own_meeting, localities=[area.pk]))

    latest = own_meeting.history.latest()
    assert latest.history_user == world.people["kirklees_lead"]
    assert list(latest.localities.values_list("locality_id", flat=True)) == [area.pk]
    # The places it concerned before the edit are still in the history.
    ward = world.places["batley-east"]
    assert any(
        ward.pk in record.localities.values_list("locality_id", flat=True) for record in own_meeting.history.all()
    )


def test_an_area_that_has_since_ended_may_stay_on_a_meeting(world, as_person, own_meeting):
    ward = world.places["batley-east"]
    ward.valid_to = datetime.date(2026, 5, 6)
    ward.save()
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    response = as_person(world.people["kirklees_lead"]).post(url, edit_data(own_meeting, title="Renamed"))
    assert response.status_code == HTTPStatus.FOUND
    own_meeting.refresh_from_db()
    assert own_meeting.title == "Renamed"
    assert list(own_meeting.localities.all()) == [ward]


# ------------------------------------------------------------------------------
# Your meetings
# ------------------------------------------------------------------------------
def test_your_meetings_lists_the_editors_meetings_and_no_one_elses(world, as_person, own_meeting):
    past = MeetingFactory(
        title="Last year's locality meeting",
        network=world.kirklees,
        organiser=lead_organisation(world),
        start=london(2025, 3, 11, 18),
        end=london(2025, 3, 11, 20),
    )
    response = as_person(world.people["kirklees_lead"]).get(MINE)

    assert [m.title for m in response.context["upcoming"]] == [
        *(
            m.title
            for m in Meeting.objects.filter(organiser=lead_organisation(world), network=world.kirklees)
            .exclude(pk=past.pk)
            .order_by("start")
        ),
    ]
    assert [m.title for m in response.context["past"]] == ["Last year's locality meeting"]
    assertNotContains(response, "Leeds members meeting")
    assertContains(response, "Add a meeting")


def test_your_meetings_explains_itself_to_someone_who_organises_none(world, as_person):
    response = as_person(world.people["kirklees_local"]).get(MINE)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "You do not organise any meetings.")
    assertNotContains(response, reverse("meetings:create"))


@pytest.mark.parametrize("count", [3, 40])
def test_your_meetings_costs_the_same_queries_however_many_there_are(
    world, as_person, django_assert_max_num_queries, count
):
    organiser = lead_organisation(world)
    for day in range(count):
        MeetingFactory(
            network=world.kirklees,
            organiser=organiser,
            start=london(2031, 1, 1, 18) + datetime.timedelta(days=day),
            end=london(2031, 1, 1, 20) + datetime.timedelta(days=day),
            localities=[world.places["batley-east"]],
        )
        MeetingFactory(
            network=world.kirklees,
            organiser=organiser,
            start=london(2024, 1, 1, 18) + datetime.timedelta(days=day),
            end=london(2024, 1, 1, 20) + datetime.timedelta(days=day),
            localities=[world.places["batley-east"]],
        )
    client = as_person(world.people["kirklees_lead"])
    with django_assert_max_num_queries(8):
        response = client.get(MINE)
    assert len(response.context["upcoming"]) == count + 3  # and the world's three Kirklees meetings


# ------------------------------------------------------------------------------
# Attendance and actions
# ------------------------------------------------------------------------------
def records_url(meeting):
    return reverse("meetings:records", kwargs={"uuid": meeting.uuid})


def records_data(response, **overrides) -> dict:
    """The records page's form as it was rendered (every register row and action as it is),
    with ``overrides`` typed over it."""
    attendance, actions = response.context["attendance"], response.context["actions"]
    data = {}
    for _organisation, field in attendance.rows():
        data[field.html_name] = field.value() or ""
    data[attendance["loaded_version"].html_name] = attendance["loaded_version"].value()
    management = actions.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"actions-{name}"] = management[name].value()
    for form in actions.forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if name == "due_on":
                parts = field.widget.decompress(value) if not isinstance(value, list) else value
                for index, part in enumerate(parts):
                    data[f"{key}_{index}"] = "" if part is None else str(part)
            elif name == "DELETE":
                if value:
                    data[key] = "on"
            else:
                data[key] = "" if value is None else value
    data.update(overrides)
    return data


def test_the_register_lists_the_networks_anchors_and_the_areas_groups(world, as_person, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    OrganisationFactory(name="Huddersfield Choir", localities=[world.places["huddersfield"]])
    response = as_person(world.people["kirklees_lead"]).get(records_url(own_meeting))

    names = [organisation.name for organisation, _field in response.context["attendance"].rows()]
    assert names == ["Batley East Local Anchor", "Batley Lead Anchor", "Batley Pantry"]
    assert pantry.name in names


def test_recording_attendance_and_an_action_shows_them_to_members_not_the_public(world, as_person, client, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    local = world.people["kirklees_local"].memberships.get().organisation
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))

    response = editor.post(
        records_url(own_meeting),
        records_data(
            form,
            **{
                f"register-attendance-{pantry.pk}": AttendanceStatus.ATTENDED,
                f"register-attendance-{local.pk}": AttendanceStatus.APOLOGIES,
                "actions-0-description": "Share the warm spaces leaflet with every school",
                "actions-0-owner": str(pantry.pk),
                "actions-0-due_on_0": "30",
                "actions-0-due_on_1": "4",
                "actions-0-due_on_2": "2030",
                "actions-0-status": ActionStatus.OPEN,
            },
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert dict(own_meeting.attendances.values_list("organisation__name", "status")) == {
        "Batley Pantry": AttendanceStatus.ATTENDED,
        "Batley East Local Anchor": AttendanceStatus.APOLOGIES,
    }
    action = own_meeting.actions.get()
    assert (action.owner, action.due_on, action.status) == (pantry, datetime.date(2030, 4, 30), ActionStatus.OPEN)
    assert action.history.get().history_user == world.people["kirklees_lead"]

    member = as_person(world.people["kirklees_local"])
    assertContains(member.get(own_meeting.get_absolute_url()), "Share the warm spaces leaflet")
    assertContains(member.get(reverse("meetings:actions")), "Share the warm spaces leaflet")
    client.logout()
    public = client.get(own_meeting.get_absolute_url())
    assertNotContains(public, "Share the warm spaces leaflet")
    assertNotContains(public, "Sent apologies")


def test_marking_an_action_done_and_clearing_a_record(world, as_person, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    action = ActionFactory(raised_at=own_meeting, owner=pantry)
    other = ActionFactory(raised_at=own_meeting, owner=pantry, description="A mistake")
    AttendanceFactory(meeting=own_meeting, organisation=pantry, status=AttendanceStatus.ATTENDED)
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))
    index = {f.instance.pk: i for i, f in enumerate(form.context["actions"].forms)}

    editor.post(
        records_url(own_meeting),
        records_data(
            form,
            **{
                f"actions-{index[action.pk]}-status": ActionStatus.DONE,
                f"actions-{index[other.pk]}-DELETE": "on",
                f"register-attendance-{pantry.pk}": "",
            },
        ),
    )

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert not Action.objects.filter(pk=other.pk).exists()
    assert not Attendance.objects.filter(meeting=own_meeting).exists()


def test_a_bad_action_saves_nothing_not_even_the_register(world, as_person, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    stranger = OrganisationFactory(name="Somewhere Else Club")
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))

    response = editor.post(
        records_url(own_meeting),
        records_data(
            form,
            **{
                f"register-attendance-{pantry.pk}": AttendanceStatus.ATTENDED,
                "actions-0-description": "Write to the council",
                "actions-0-owner": str(stranger.pk),
                "actions-0-status": ActionStatus.OPEN,
                "actions-1-description": "",
                "actions-1-owner": str(pantry.pk),
                "actions-1-due_on_0": "31",
                "actions-1-due_on_1": "2",
                "actions-1-due_on_2": "2030",
            },
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert error_messages(response) == [
        "Action 1: Choose an organisation from the list",
        "Action 2: Enter what the action is",
        "Action 2: Enter a real date, for example 27 3 2025",
    ]
    assert not Attendance.objects.exists()
    assert not Action.objects.exists()
    assertContains(response, "Write to the council")


def test_an_action_removed_meanwhile_is_explained_and_nothing_is_saved(world, as_person, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    action = ActionFactory(raised_at=own_meeting, owner=pantry)
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))
    action.delete()  # by an officer, in the admin, while the page was open

    response = editor.post(
        records_url(own_meeting),
        records_data(form, **{"actions-0-description": "Changed", f"register-attendance-{pantry.pk}": "attended"}),
    )

    assert response.status_code == HTTPStatus.OK
    assert error_messages(response) == [
        "Action 1: This changed while you were editing it. Reload the page to see it as it is now, "
        "then make your change again"
    ]
    assert not Attendance.objects.exists()


def test_a_forged_form_count_is_refused_without_building_a_million_forms(world, as_person, own_meeting):
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))
    response = editor.post(records_url(own_meeting), records_data(form, **{"actions-TOTAL_FORMS": "1000000"}))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["actions"].forms) <= 200
    assert "Please submit at most 200 forms." in error_messages(response)
    assert not Action.objects.exists()


def test_an_unknown_register_status_is_refused(world, as_person, own_meeting):
    local = world.people["kirklees_local"].memberships.get().organisation
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))
    response = editor.post(records_url(own_meeting), records_data(form, **{f"register-attendance-{local.pk}": "vip"}))
    assert "Choose a status from the list" in error_messages(response)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("groups", [2, 30])
def test_the_records_page_costs_the_same_queries_however_big_the_register(
    world, as_person, own_meeting, django_assert_max_num_queries, groups
):
    for _ in range(groups):
        group = OrganisationFactory(localities=[world.places["batley-east"]])
        AttendanceFactory(meeting=own_meeting, organisation=group)
        ActionFactory(raised_at=own_meeting, owner=group)
    client = as_person(world.people["kirklees_lead"])
    with django_assert_max_num_queries(7):
        response = client.get(records_url(own_meeting))
    assert len(response.context["actions"].initial_forms) == groups


def test_the_meeting_page_offers_its_organiser_the_editor(world, as_person, own_meeting):
    page = as_person(world.people["kirklees_lead"]).get(own_meeting.get_absolute_url())
    assertContains(page, reverse("meetings:update", kwargs={"uuid": own_meeting.uuid}))
    assertContains(page, reverse("meetings:records", kwargs={"uuid": own_meeting.uuid}))


def test_an_editor_of_two_lead_anchors_chooses_which_organises(world, as_person):
    second = OrganisationFactory(name="Huddersfield Lead Anchor")
    from organisations.models import AnchorRoleKind
    from tests.factories import AnchorRoleFactory

    AnchorRoleFactory(
        organisation=second,
        network=world.kirklees,
        locality=world.places["huddersfield"],
        role=AnchorRoleKind.LEAD_ANCHOR,
    )
    MembershipFactory(user=world.people["kirklees_lead"], organisation=second)
    form = as_person(world.people["kirklees_lead"]).get(CREATE).context["form"]
    assert "organiser" not in form.initial
    assert {o.name for o in form.fields["organiser"].queryset} == {"Batley Lead Anchor", "Huddersfield Lead Anchor"}


def test_a_network_members_meeting_stays_hidden_from_the_public_after_an_edit(world, as_person, client, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    as_person(world.people["kirklees_lead"]).post(url, edit_data(own_meeting, visibility=MeetingVisibility.NETWORK))
    client.logout()
    assert client.get(own_meeting.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_the_meetings_admin_history_lists_every_attendance_and_action_change_by_whom(
    world, as_person, own_meeting, django_assert_max_num_queries
):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    editor = as_person(world.people["kirklees_lead"])
    form = editor.get(records_url(own_meeting))
    editor.post(
        records_url(own_meeting),
        records_data(
            form,
            **{
                f"register-attendance-{pantry.pk}": AttendanceStatus.ATTENDED,
                "actions-0-description": "Book the hall for June",
                "actions-0-owner": str(pantry.pk),
                "actions-0-status": ActionStatus.OPEN,
            },
        ),
    )
    form = editor.get(records_url(own_meeting))
    editor.post(records_url(own_meeting), records_data(form, **{"actions-0-DELETE": "on"}))
    pantry_attendance = Attendance.objects.get(meeting=own_meeting)

    officer = as_person(world.people["officer"])
    url = reverse("admin:meetings_meeting_history", args=[own_meeting.pk])
    with django_assert_max_num_queries(20):
        page = officer.get(url)

    rows = [(row.label, row.get_history_type_display(), row.history_user) for row in page.context["related_history"]]
    assert rows == [
        ("Action: Book the hall for June", "Deleted", world.people["kirklees_lead"]),
        ("Action: Book the hall for June", "Created", world.people["kirklees_lead"]),
        ("Attendance: Batley Pantry, Attended", "Created", world.people["kirklees_lead"]),
    ]
    assertContains(page, "Book the hall for June")
    assert pantry_attendance.history.count() == 1


def _two_actions_loaded(world, as_person, own_meeting):
    """An editor's records page, loaded while the meeting has two actions; then an officer
    marks the first done (a save the editor's page does not know about)."""
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    first = ActionFactory(raised_at=own_meeting, owner=pantry, description="Book the hall")
    second = ActionFactory(raised_at=own_meeting, owner=pantry, description="Print the leaflet")
    editor = as_person(world.people["kirklees_lead"])
    page = editor.get(records_url(own_meeting))
    index = {form.instance.pk: number for number, form in enumerate(page.context["actions"].forms)}
    first.status = ActionStatus.DONE
    first.save()
    return editor, page, index, pantry, first, second


def test_changing_an_action_someone_else_changed_meanwhile_is_refused_and_keeps_what_was_typed(
    world, as_person, own_meeting
):
    editor, page, index, pantry, first, _second = _two_actions_loaded(world, as_person, own_meeting)
    key = f"actions-{index[first.pk]}-description"

    refused = editor.post(
        records_url(own_meeting),
        records_data(page, **{key: "Book the big hall", f"register-attendance-{pantry.pk}": "attended"}),
    )

    assert refused.status_code == HTTPStatus.OK
    message = " ".join(error_messages(refused))
    assert "changed this action while you were editing it" in message
    assert "Status was “Open”, now “Done”" in message
    assertContains(refused, "Book the big hall")
    first.refresh_from_db()
    assert (first.description, first.status) == ("Book the hall", ActionStatus.DONE)
    assert not Attendance.objects.filter(meeting=own_meeting).exists()

    # Saving the page as shown again is a deliberate choice: the typed text is kept, and the
    # status the officer set (which this editor left alone) is now the one in the form.
    again = editor.post(records_url(own_meeting), records_data(refused))
    assert again.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    assert (first.description, first.status) == ("Book the big hall", ActionStatus.DONE)


def test_two_people_changing_different_actions_at_once_both_keep_theirs(world, as_person, own_meeting):
    editor, page, index, _pantry, first, second = _two_actions_loaded(world, as_person, own_meeting)

    saved = editor.post(
        records_url(own_meeting), records_data(page, **{f"actions-{index[second.pk]}-description": "Print 500"})
    )

    assert saved.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ActionStatus.DONE
    assert second.description == "Print 500"


def test_removing_an_action_someone_else_changed_meanwhile_is_refused(world, as_person, own_meeting):
    editor, page, index, _pantry, first, _second = _two_actions_loaded(world, as_person, own_meeting)

    refused = editor.post(records_url(own_meeting), records_data(page, **{f"actions-{index[first.pk]}-DELETE": "on"}))

    assert "changed this action while you were editing it" in " ".join(error_messages(refused))
    assert Action.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize("groups", [2, 30])
def test_saving_the_records_page_costs_the_same_queries_however_big_the_register(
    world, as_person, own_meeting, django_assert_max_num_queries, groups
):
    for _ in range(groups):
        group = OrganisationFactory(localities=[world.places["batley-east"]])
        AttendanceFactory(meeting=own_meeting, organisation=group)
        ActionFactory(raised_at=own_meeting, owner=group)
    client = as_person(world.people["kirklees_lead"])
    data = records_data(client.get(records_url(own_meeting)))
    with django_assert_max_num_queries(13):
        response = client.post(records_url(own_meeting), data)
    assert response.status_code == HTTPStatus.FOUND


def test_your_meetings_tells_an_officer_it_lists_every_networks_meetings(world, as_person):
    response = as_person(world.people["officer"]).get(MINE)
    assertContains(response, "as a council officer you can change any of them")
    assert {m.network for m in response.context["upcoming"]} == {world.kirklees, world.leeds}


def test_a_refused_save_says_what_changed_and_saving_again_keeps_ones_own_changes(world, as_person, own_meeting):
    url = reverse("meetings:update", kwargs={"uuid": own_meeting.uuid})
    stale = edit_data(own_meeting, agenda="1. My agenda")
    venue_before = own_meeting.venue
    own_meeting.venue = "Changed by an officer meanwhile"
    own_meeting.save()
    editor = as_person(world.people["kirklees_lead"])

    refused = editor.post(url, stale)
    message = error_messages(refused)[0]
    assert f"Venue was “{venue_before}”, now “Changed by an officer meanwhile”" in message
    assertContains(refused, f'name="loaded_version" value="{version_of(own_meeting)}"')

    saved = editor.post(url, {**stale, "loaded_version": version_of(own_meeting)})
    assert saved.status_code == HTTPStatus.FOUND
    own_meeting.refresh_from_db()
    assert own_meeting.agenda == "1. My agenda"


def test_two_people_recording_different_organisations_both_keep_theirs(world, as_person, own_meeting):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    local = world.people["kirklees_local"].memberships.get().organisation
    first, second = as_person(world.people["kirklees_lead"]), as_person(world.people["officer"])
    first_page, second_page = first.get(records_url(own_meeting)), second.get(records_url(own_meeting))

    first.post(records_url(own_meeting), records_data(first_page, **{f"register-attendance-{pantry.pk}": "attended"}))
    response = second.post(
        records_url(own_meeting), records_data(second_page, **{f"register-attendance-{local.pk}": "apologies"})
    )

    assert response.status_code == HTTPStatus.FOUND
    assert dict(own_meeting.attendances.values_list("organisation__name", "status")) == {
        "Batley Pantry": "attended",
        "Batley East Local Anchor": "apologies",
    }


def test_recording_an_organisation_someone_else_just_recorded_is_refused_and_keeps_ones_choice(
    world, as_person, own_meeting
):
    pantry = OrganisationFactory(name="Batley Pantry", localities=[world.places["batley-east"]])
    local = world.people["kirklees_local"].memberships.get().organisation
    first, second = as_person(world.people["kirklees_lead"]), as_person(world.people["officer"])
    first_page, second_page = first.get(records_url(own_meeting)), second.get(records_url(own_meeting))
    first.post(
        records_url(own_meeting),
        records_data(
            first_page,
            **{f"register-attendance-{pantry.pk}": "attended", f"register-attendance-{local.pk}": "invited"},
        ),
    )

    refused = second.post(
        records_url(own_meeting), records_data(second_page, **{f"register-attendance-{pantry.pk}": "apologies"})
    )

    assert refused.status_code == HTTPStatus.OK
    assertContains(refused, "Batley Pantry was “Not recorded”, now “Attended”")
    attendance = refused.context["attendance"]
    assert attendance[f"attendance-{pantry.pk}"].value() == "apologies"  # the second person's choice
    assert attendance[f"attendance-{local.pk}"].value() == "invited"  # brought up to date
    assert own_meeting.attendances.get(organisation=pantry).status == "attended"

    again = second.post(records_url(own_meeting), records_data(refused))
    assert again.status_code == HTTPStatus.FOUND
    assert dict(own_meeting.attendances.values_list("organisation__name", "status")) == {
        "Batley Pantry": "apologies",
        "Batley East Local Anchor": "invited",
    }
