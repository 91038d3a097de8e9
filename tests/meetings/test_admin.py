"""The officers' admin for meetings: every page answers, lists cost a fixed number of
queries, the series action makes occurrences, and exceptions reach meetings already made.

(tests/test_admin.py checks every registered admin too, once tests/admin_factories.py has a
factory for each meetings model.)"""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.concurrency import version_of
from meetings.models import (
    Action,
    ActionStatus,
    CalendarToken,
    Meeting,
    MeetingSeries,
    MeetingSeriesException,
)
from meetings.services import series_create_occurrences
from tests.admin_forms import form_data
from tests.factories import NetworkFactory, OrganisationFactory

from .factories import (
    FACTORIES,
    ActionFactory,
    AttendanceFactory,
    CalendarTokenFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    london,
)

pytestmark = pytest.mark.django_db

MODELS = list(FACTORIES)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_search_add_and_change_answer(admin_client, model):
    obj = FACTORIES[model]()
    urls = [
        admin_url(model, "changelist"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]
    if model is not CalendarToken:
        urls.append(admin_url(model, "add"))
    for url in urls:
        assert admin_client.get(url).status_code == HTTPStatus.OK, url
    assert admin_client.get(admin_url(model, "changelist"), {"q": "1 a"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize("facets", [False, True], ids=["plain", "with-facet-counts"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, facets):
    url = admin_url(model, "changelist")
    params = {"_facets": "True"} if facets else {}
    FACTORIES[model].create_batch(3)
    admin_client.get(url, params)
    few = count_queries(admin_client, url, params)
    FACTORIES[model].create_batch(20)
    assert count_queries(admin_client, url, params) == few


def test_a_meeting_change_page_costs_no_query_per_inline_row(admin_client):
    meeting = MeetingFactory()
    url = admin_url(Meeting, "change", meeting.pk)
    AttendanceFactory.create_batch(2, meeting=meeting)
    ActionFactory.create_batch(2, raised_at=meeting)
    admin_client.get(url)
    few = count_queries(admin_client, url)
    AttendanceFactory.create_batch(10, meeting=meeting)
    ActionFactory.create_batch(10, raised_at=meeting)
    assert count_queries(admin_client, url) == few


def test_meetings_are_listed_by_date_and_filter_by_kind_visibility_series_and_cancelled(
    admin_client,
):
    series = MeetingSeriesFactory()
    later = MeetingFactory(start=london(2030, 5, 1, 18), kind="informal")
    sooner = MeetingFactory(start=london(2030, 4, 1, 18), visibility="network", series=series)
    cancelled = MeetingFactory(start=london(2030, 6, 1, 18), cancelled=True, cancellation_reason="Snow")
    url = admin_url(Meeting, "changelist")
    assert list(admin_client.get(url).context["cl"].result_list) == [sooner, later, cancelled]
    assert list(admin_client.get(url, {"kind__exact": "informal"}).context["cl"].result_list) == [later]
    assert list(admin_client.get(url, {"visibility__exact": "network"}).context["cl"].result_list) == [sooner]
    assert list(admin_client.get(url, {"series__id__exact": series.pk}).context["cl"].result_list) == [sooner]
    assert list(admin_client.get(url, {"cancelled__exact": "1"}).context["cl"].result_list) == [cancelled]


def test_the_series_action_makes_the_next_twelve_months_once(admin_client):
    series = MeetingSeriesFactory(dtstart=london(2025, 1, 1, 18))
    url = admin_url(MeetingSeries, "changelist")
    data = {"action": "create_next_occurrences", "_selected_action": [series.pk]}
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    made = list(Meeting.objects.filter(series=series))
    now = timezone.now()
    assert 12 <= len(made) <= 13
    assert all(now <= m.start <= now + datetime.timedelta(days=366) for m in made)
    assert any("Made 1" in str(message) for message in response.context["messages"])
    admin_client.post(url, data)
    assert Meeting.objects.filter(series=series).count() == len(made)


def _series_change_data(series: MeetingSeries, exceptions: list[dict]) -> dict:
    data = {
        # A saved series' change form carries its version (core.concurrency); an add form none.
        "loaded_version": version_of(stored) if (stored := MeetingSeries.objects.filter(pk=series.pk).first()) else "",
        "title": series.title,
        "kind": series.kind,
        "network": series.network_id,
        "organiser": series.organiser_id,
        "visibility": series.visibility,
        "rrule": series.rrule,
        "dtstart_0": timezone.localtime(series.dtstart).strftime("%d/%m/%Y"),
        "dtstart_1": timezone.localtime(series.dtstart).strftime("%H:%M:%S"),
        "duration_minutes": series.duration_minutes,
        "exceptions-TOTAL_FORMS": len(exceptions),
        "exceptions-INITIAL_FORMS": 0,
        "exceptions-MIN_NUM_FORMS": 0,
        "exceptions-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(exceptions):
        for key, value in row.items():
            data[f"exceptions-{index}-{key}"] = value
    return data


def test_cancelling_an_occurrence_in_the_series_cancels_its_meeting(admin_client):
    series = MeetingSeriesFactory()
    series_create_occurrences(series=series, until=london(2026, 3, 31))
    data = _series_change_data(
        series,
        [
            {
                "original_start_0": "04/02/2026",
                "original_start_1": "18:00:00",
                "cancelled": "on",
                "reason": "Half term",
            }
        ],
    )
    response = admin_client.post(admin_url(MeetingSeries, "change", series.pk), data, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "adminform" not in response.context or not response.context["adminform"].form.errors
    february = Meeting.objects.get(series=series, occurrence_start=london(2026, 2, 4, 18))
    assert february.cancelled
    assert february.cancellation_reason == "Half term"
    assert february.sequence == 1


def test_an_exception_at_a_time_the_rule_never_gives_is_refused(admin_client):
    series = MeetingSeriesFactory()
    data = _series_change_data(
        series,
        [{"original_start_0": "05/02/2026", "original_start_1": "18:00:00", "cancelled": "on"}],
    )
    response = admin_client.post(admin_url(MeetingSeries, "change", series.pk), data)
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "The series has no meeting at this date and time" in response.text
    assert not MeetingSeriesException.objects.exists()


def test_the_token_admin_never_shows_the_hash_and_can_revoke(admin_client):
    token = CalendarTokenFactory()
    response = admin_client.get(admin_url(CalendarToken, "change", token.pk))
    assert token.token_hash not in response.text
    assert token.token_hash not in admin_client.get(admin_url(CalendarToken, "changelist")).text
    admin_client.post(admin_url(CalendarToken, "changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_actions_can_be_marked_done_in_bulk(admin_client):
    actions = ActionFactory.create_batch(2)
    admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "mark_done", "_selected_action": [a.pk for a in actions]},
    )
    assert set(Action.objects.values_list("status", flat=True)) == {ActionStatus.DONE}


def test_moving_an_occurrence_in_the_series_moves_its_meeting(admin_client):
    series = MeetingSeriesFactory()
    series_create_occurrences(series=series, until=london(2026, 3, 31))
    data = _series_change_data(
        series,
        [
            {
                "original_start_0": "04/03/2026",
                "original_start_1": "18:00:00",
                "moved_to_0": "11/03/2026",
                "moved_to_1": "17:30:00",
            }
        ],
    )
    response = admin_client.post(admin_url(MeetingSeries, "change", series.pk), data)
    assert response.status_code == HTTPStatus.FOUND
    march = Meeting.objects.get(series=series, occurrence_start=london(2026, 3, 4, 18))
    assert (march.start, march.end, march.sequence) == (
        london(2026, 3, 11, 17, 30),
        london(2026, 3, 11, 19),
        1,
    )


def test_a_new_series_with_an_exception_is_checked_against_its_own_rule(admin_client):
    template = MeetingSeriesFactory.build(network=NetworkFactory(), organiser=OrganisationFactory())
    template.rrule = "FREQ=MONTHLY;BYDAY=2TU"
    template.dtstart = london(2026, 1, 13, 18)
    good = _series_change_data(
        template,
        [{"original_start_0": "10/02/2026", "original_start_1": "18:00:00", "cancelled": "on"}],
    )
    bad = {**good, "exceptions-0-original_start_0": "11/02/2026"}
    response = admin_client.post(admin_url(MeetingSeries, "add"), bad)
    assert "The series has no meeting at this date and time" in response.text
    assert admin_client.post(admin_url(MeetingSeries, "add"), good).status_code == HTTPStatus.FOUND
    created = MeetingSeries.objects.get()
    assert created.exceptions.get().original_start == london(2026, 2, 10, 18)
    made = series_create_occurrences(series=created, until=london(2026, 3, 31))
    assert [m.start for m in made] == [london(2026, 1, 13, 18), london(2026, 3, 10, 18)]


def test_cancelling_a_meeting_in_the_admin_sends_it_out_as_cancelled(admin_client, client):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(admin_client.get(url))
    data["cancelled"] = "on"
    refused = admin_client.post(url, data)
    assert refused.status_code == HTTPStatus.OK  # a reason is needed
    assert "Say why the meeting is cancelled" in refused.text
    data["cancellation_reason"] = "The venue is closed."
    assert admin_client.post(url, data).status_code == HTTPStatus.FOUND
    meeting.refresh_from_db()
    assert (meeting.cancelled, meeting.sequence) == (True, 1)
    feed = client.get(reverse("meetings:feed")).content.decode()
    assert "STATUS:CANCELLED" in feed
    assert f"UID:{meeting.uuid}@anchornet" in feed
