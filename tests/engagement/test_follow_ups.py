"""The follow-up list: an anchor's editors see the follow-ups of their own log (officers: every
log), overdue ones said in words, and mark each one done, once."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from engagement.models import Engagement
from tests.engagement.factories import EngagementFactory
from tests.factories import AnchorRoleFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

FOLLOW_UPS = reverse("engagement:follow_ups")


def done_url(engagement: Engagement) -> str:
    return reverse("engagement:follow_up_done", args=[engagement.pk])


@pytest.fixture
def logs():
    """Two anchors, each with an editor; ours has an overdue follow-up, one due next week, one
    done and an entry without a follow-up; theirs has one due tomorrow."""
    today = timezone.localdate()
    ours = AnchorRoleFactory(organisation__name="Batley Community Trust").organisation
    theirs = AnchorRoleFactory(organisation__name="Dewsbury Trust").organisation
    group = OrganisationFactory(name="Batley Pantry")
    entries = {
        "overdue": EngagementFactory(
            anchor=ours, organisations=[group], follow_up_on=today - datetime.timedelta(days=3), outcome="Bid drafted"
        ),
        "next_week": EngagementFactory(anchor=ours, follow_up_on=today + datetime.timedelta(days=7)),
        "done": EngagementFactory(anchor=ours, follow_up_on=today - datetime.timedelta(days=9), follow_up_done=True),
        "no_follow_up": EngagementFactory(anchor=ours),
        "theirs": EngagementFactory(anchor=theirs, follow_up_on=today + datetime.timedelta(days=1)),
    }
    return {
        "ours": ours,
        "editor": MembershipFactory(organisation=ours).user,
        "their_editor": MembershipFactory(organisation=theirs).user,
        **entries,
    }


def listed(client) -> list[int]:
    response = client.get(FOLLOW_UPS)
    assert response.status_code == HTTPStatus.OK
    return [entry.pk for entry in response.context["follow_ups"]]


def test_an_editor_sees_only_their_anchors_follow_ups_to_do_soonest_first(client, logs):
    client.force_login(logs["editor"])
    assert listed(client) == [logs["overdue"].pk, logs["next_week"].pk]


def test_an_overdue_follow_up_says_so_in_words(client, logs):
    client.force_login(logs["editor"])
    response = client.get(FOLLOW_UPS)
    assertContains(response, "Overdue", count=1)
    assertContains(response, "Batley Pantry")
    assertContains(response, "Bid drafted")


def test_an_officer_sees_every_anchors_follow_ups(client, logs):
    client.force_login(UserFactory(is_staff=True))
    assert set(listed(client)) == {logs["overdue"].pk, logs["next_week"].pk, logs["theirs"].pk}


def test_someone_who_keeps_no_log_sees_why_the_list_is_empty(client, logs):
    client.force_login(UserFactory())
    response = client.get(FOLLOW_UPS)
    assertContains(response, "There is nothing to follow up.")
    assertNotContains(response, "Batley Pantry")


def test_signed_out_people_are_sent_to_sign_in(client, logs):
    response = client.get(FOLLOW_UPS)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("portal:login"))
    assert client.post(done_url(logs["overdue"])).status_code == HTTPStatus.FOUND
    logs["overdue"].refresh_from_db()
    assert not logs["overdue"].follow_up_done


def test_marking_a_follow_up_done_takes_it_off_the_list_and_is_recorded(client, logs):
    client.force_login(logs["editor"])
    response = client.post(done_url(logs["overdue"]), follow=True)
    assertContains(response, "Follow-up marked as done.")
    assert [entry.pk for entry in response.context["follow_ups"]] == [logs["next_week"].pk]
    logs["overdue"].refresh_from_db()
    assert logs["overdue"].follow_up_done
    last = logs["overdue"].history.first()
    assert last.follow_up_done
    assert last.history_user == logs["editor"]


def test_marking_it_done_twice_says_so_and_changes_nothing(client, logs):
    client.force_login(logs["editor"])
    client.post(done_url(logs["overdue"]))
    versions = logs["overdue"].history.count()
    response = client.post(done_url(logs["overdue"]), follow=True)
    assertContains(response, "already marked as done")
    assert logs["overdue"].history.count() == versions


@pytest.mark.parametrize("entry", ["theirs", "no_follow_up"])
def test_another_anchors_entry_or_one_without_a_follow_up_is_not_found(client, logs, entry):
    client.force_login(logs["editor"])
    assert client.post(done_url(logs[entry])).status_code == HTTPStatus.NOT_FOUND
    logs[entry].refresh_from_db()
    assert not logs[entry].follow_up_done


@pytest.mark.parametrize("pk", ["99999999999999999999999", "abc", "0"])
def test_an_id_that_is_no_entry_is_not_found_not_a_server_error(client, logs, pk):
    client.force_login(logs["editor"])
    assert client.post(reverse("engagement:follow_up_done", args=[pk])).status_code == HTTPStatus.NOT_FOUND


def test_only_post_marks_a_follow_up_done(client, logs):
    client.force_login(logs["editor"])
    assert client.get(done_url(logs["overdue"])).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_list_costs_the_same_queries_for_3_or_30_follow_ups(client, logs, django_assert_max_num_queries):
    client.force_login(logs["editor"])
    client.get(FOLLOW_UPS)  # warm up: the session
    due = timezone.localdate() + datetime.timedelta(days=2)
    with django_assert_max_num_queries(6) as few:
        client.get(FOLLOW_UPS)
    for _ in range(28):
        EngagementFactory(anchor=logs["ours"], follow_up_on=due, organisations=OrganisationFactory.create_batch(2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(FOLLOW_UPS)
    assert response.context["paginator"].count == 30
