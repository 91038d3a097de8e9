"""Who sees which meetings, and who sees a joining link (MeetingQuerySet.visible_to and meetings.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings.models import Meeting
from meetings.permissions import MeetingViewer, can_follow_actions

pytestmark = pytest.mark.django_db


def person(world, name):
    return world.people[name] or AnonymousUser()


def can_see_joining_link(user, meeting) -> bool:
    """What a meeting's page decides: the meeting is visible, and its viewer may see the link."""
    visible = Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    return visible and MeetingViewer(user).may_see_joining_link(meeting)


def can_see_meeting_records(user, meeting) -> bool:
    visible = Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    return visible and MeetingViewer(user).may_see_records(meeting)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anonymous", {"public"}),
        ("outsider", {"public"}),
        ("kirklees_local", {"public", "network"}),
        ("kirklees_lead", {"public", "network", "lead_anchors"}),
        ("leeds_anchor", {"public", "leeds_network"}),
        ("councillor", {"public", "network", "leeds_network"}),
        ("officer", {"public", "network", "lead_anchors", "leeds_network"}),
    ],
)
def test_each_role_sees_exactly_its_meetings(world, name, expected):
    visible = set(Meeting.objects.visible_to(person(world, name)))
    assert visible == {world.meetings[key] for key in expected}


def test_an_inactive_member_sees_only_public_meetings(world):
    member = world.people["kirklees_lead"]
    member.is_active = False
    member.save()
    assert set(Meeting.objects.visible_to(member)) == {world.meetings["public"]}


def test_a_lead_anchor_that_left_loses_the_lead_anchors_meetings(world):
    member = world.people["kirklees_lead"]
    role = member.memberships.get().organisation.anchor_roles.get()
    for local in role.local_anchors.all():
        local.left_on = "2026-01-31"
        local.save()
    role.left_on = "2026-01-31"
    role.save()
    assert set(Meeting.objects.visible_to(member)) == {world.meetings["public"]}


@pytest.mark.parametrize(
    ("name", "meeting", "expected"),
    [
        ("anonymous", "public", False),
        ("outsider", "public", False),
        ("leeds_anchor", "public", False),
        ("kirklees_local", "public", True),
        ("kirklees_local", "network", True),
        ("kirklees_local", "lead_anchors", False),
        ("kirklees_lead", "lead_anchors", True),
        ("councillor", "network", True),
        ("councillor", "lead_anchors", False),
        ("officer", "leeds_network", True),
    ],
)
def test_joining_links_go_only_to_signed_in_people_of_the_network(world, name, meeting, expected):
    assert can_see_joining_link(person(world, name), world.meetings[meeting]) is expected


def test_records_and_actions_are_for_network_members_and_officers(world):
    public = world.meetings["public"]
    assert not can_see_meeting_records(AnonymousUser(), public)
    assert not can_see_meeting_records(world.people["outsider"], public)
    assert can_see_meeting_records(world.people["kirklees_local"], public)
    assert can_follow_actions(world.people["kirklees_local"])
    assert can_follow_actions(world.people["officer"])
    assert not can_follow_actions(world.people["outsider"])
    assert not can_follow_actions(AnonymousUser())
