"""Outreach status and quiet groups, derived from the log and the relationships (never typed),
and a support relationship's status from its dates alone."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from engagement.models import EngagementKind, RelationshipStatus, SupportRelationship
from engagement.selectors import OutreachStatus, group_activity, outreach_of, with_outreach
from organisations.models import Organisation
from tests.engagement.factories import EngagementFactory, QuietNoteFactory, SupportRelationshipFactory
from tests.factories import AnchorRoleFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def group():
    organisation = OrganisationFactory(name="Batley Pantry")
    # Known to the portal for two years: quiet is about silence, not about being new.
    Organisation.objects.filter(pk=organisation.pk).update(created_at=timezone.now() - datetime.timedelta(days=730))
    return organisation


def status(group, on=TODAY) -> str:
    return outreach_of(group, on).outreach_status


def test_a_group_nobody_has_logged_is_not_contacted_and_quiet(group):
    found = outreach_of(group, TODAY)
    assert found.outreach_status == OutreachStatus.NOT_CONTACTED
    assert found.last_contact_on is None
    assert found.is_quiet


def test_a_new_group_never_contacted_is_not_yet_quiet():
    assert not outreach_of(OrganisationFactory(), timezone.localdate()).is_quiet


def test_each_step_of_outreach_follows_from_the_log_and_relationships(group):
    EngagementFactory(organisations=[group], kind=EngagementKind.FIRST_CONTACT, occurred_on=days_ago(90))
    assert status(group) == OutreachStatus.CONTACTED

    EngagementFactory(organisations=[group], kind=EngagementKind.ADVICE, occurred_on=days_ago(30))
    assert status(group) == OutreachStatus.ENGAGED

    SupportRelationshipFactory(group=group, started_on=days_ago(10))
    assert status(group) == OutreachStatus.SUPPORTED


def test_an_engagement_older_than_the_lapse_period_no_longer_counts(group, settings):
    settings.ENGAGEMENT_LAPSE_DAYS = 365
    EngagementFactory(organisations=[group], kind=EngagementKind.TRAINING, occurred_on=days_ago(364))
    assert status(group) == OutreachStatus.ENGAGED
    assert status(group, on=TODAY + datetime.timedelta(days=1)) == OutreachStatus.NOT_CONTACTED

    settings.ENGAGEMENT_LAPSE_DAYS = 730
    assert status(group, on=TODAY + datetime.timedelta(days=1)) == OutreachStatus.ENGAGED


def test_an_engagement_after_the_day_asked_about_does_not_count(group):
    EngagementFactory(organisations=[group], occurred_on=TODAY)
    assert status(group, on=days_ago(1)) == OutreachStatus.NOT_CONTACTED


def test_support_that_ended_no_longer_makes_a_group_supported(group):
    SupportRelationshipFactory(group=group, started_on=days_ago(400), ended_on=days_ago(1), end_reason="Folded")
    assert status(group) == OutreachStatus.NOT_CONTACTED


def test_one_workshop_counts_once_for_each_group_it_involved(group):
    others = OrganisationFactory.create_batch(11)
    EngagementFactory(organisations=[group, *others], kind=EngagementKind.EVENT, occurred_on=days_ago(5))
    statuses = with_outreach(Organisation.objects.filter(pk__in=[group.pk, *(o.pk for o in others)]), TODAY)
    assert [found.outreach_status for found in statuses] == [OutreachStatus.ENGAGED] * 12


def test_a_group_goes_quiet_after_the_configured_days_without_contact(group, settings):
    settings.QUIET_AFTER_DAYS = 180
    EngagementFactory(organisations=[group], occurred_on=days_ago(179))
    assert not outreach_of(group, TODAY).is_quiet
    assert outreach_of(group, TODAY + datetime.timedelta(days=1)).is_quiet
    assert outreach_of(group, TODAY).last_contact_on == days_ago(179)


def test_the_latest_reason_recorded_is_the_groups_reason(group):
    QuietNoteFactory(organisation=group, reason="no_capacity")
    QuietNoteFactory(organisation=group, reason="folded")
    assert outreach_of(group, TODAY).quiet_reason == "folded"


def test_outreach_of_any_number_of_groups_costs_one_query(django_assert_num_queries):
    groups = OrganisationFactory.create_batch(20)
    for group in groups[::2]:
        EngagementFactory(organisations=[group])
    with django_assert_num_queries(1):
        found = list(with_outreach(Organisation.objects.filter(pk__in=[group.pk for group in groups])))
    assert [group.outreach_status for group in found].count(OutreachStatus.ENGAGED) == 10


@pytest.mark.parametrize("on", [days_ago(200), days_ago(1), TODAY, TODAY + datetime.timedelta(days=185)])
def test_the_dashboards_reading_of_many_groups_agrees_with_the_outreach_list(on, settings):
    """The dashboard counts statuses from facts read per group (``group_activity``), the
    outreach list in SQL (``with_outreach``): the same rule twice, so they must agree on every
    kind of group, on any day."""
    settings.QUIET_AFTER_DAYS = 180
    old = timezone.now() - datetime.timedelta(days=730)
    kinds = {
        name: OrganisationFactory(name=name)
        for name in ["never", "first", "advice", "lapsed", "supported", "ended", "later", "quiet"]
    }
    Organisation.objects.exclude(name="later").update(created_at=old)
    EngagementFactory(organisations=[kinds["first"]], kind=EngagementKind.FIRST_CONTACT, occurred_on=days_ago(90))
    EngagementFactory(
        organisations=[kinds["advice"], kinds["first"]], kind=EngagementKind.ADVICE, occurred_on=days_ago(180)
    )
    EngagementFactory(organisations=[kinds["lapsed"]], kind=EngagementKind.TRAINING, occurred_on=days_ago(400))
    SupportRelationshipFactory(group=kinds["supported"], started_on=days_ago(10))
    SupportRelationshipFactory(
        group=kinds["ended"], started_on=days_ago(400), ended_on=days_ago(1), end_reason="Folded"
    )
    EngagementFactory(organisations=[kinds["later"]], occurred_on=TODAY)
    QuietNoteFactory(organisation=kinds["quiet"], reason="no_capacity")
    QuietNoteFactory(organisation=kinds["quiet"], reason="folded")
    ids = [organisation.pk for organisation in kinds.values()]

    activity = group_activity(ids, start=on - datetime.timedelta(days=90), end=on, as_of=on).groups
    for found in with_outreach(Organisation.objects.filter(pk__in=ids), on):
        read = activity[found.pk]
        assert (read.outreach_status, read.is_quiet, read.last_contact_on, read.quiet_reason) == (
            found.outreach_status,
            found.is_quiet,
            found.last_contact_on,
            found.quiet_reason,
        ), found.name


# --------------------------------------------------------------------------------------------
# A support relationship's status, from its dates alone
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("started", "ended", "expected"),
    [
        (days_ago(-1), None, RelationshipStatus.UPCOMING),
        (TODAY, None, RelationshipStatus.ACTIVE),
        (days_ago(30), TODAY, RelationshipStatus.ACTIVE),  # the end date is the last day of support
        (days_ago(30), days_ago(1), RelationshipStatus.ENDED),  # yesterday's end date: ended
    ],
)
def test_a_relationships_status_follows_from_its_dates(started, ended, expected):
    relationship = SupportRelationshipFactory(started_on=started, ended_on=ended, end_reason="Done" if ended else "")
    assert relationship.status_on(TODAY) == expected
    by_queryset = {
        RelationshipStatus.UPCOMING: SupportRelationship.objects.upcoming(TODAY),
        RelationshipStatus.ACTIVE: SupportRelationship.objects.active(TODAY),
        RelationshipStatus.ENDED: SupportRelationship.objects.ended(TODAY),
    }
    assert [status for status, found in by_queryset.items() if relationship in found] == [expected]


def test_support_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        SupportRelationshipFactory(started_on=TODAY, ended_on=days_ago(1), end_reason="x")


def test_an_ended_relationship_says_why_and_its_anchor_holds_an_anchor_role():
    relationship = SupportRelationshipFactory.build(
        anchor=OrganisationFactory(), group=OrganisationFactory(), started_on=days_ago(10), ended_on=TODAY
    )
    with pytest.raises(ValidationError) as raised:
        relationship.full_clean()
    assert set(raised.value.message_dict) == {"anchor", "end_reason"}

    relationship.anchor = AnchorRoleFactory().organisation
    relationship.end_reason = "The group merged with another."
    relationship.full_clean()
