"""Support relationships on both organisations' pages: public only when both are published,
never naming an organisation that is not, at a fixed query cost."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import PublicationStatus
from engagement.models import SupportKind
from tests.engagement.factories import EngagementFactory, SupportRelationshipFactory
from tests.factories import AnchorRoleFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def page(client, organisation) -> str:
    response = client.get(reverse("organisations:detail", args=[organisation.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_both_pages_show_an_active_relationship_between_published_organisations(client):
    anchor = AnchorRoleFactory(organisation__name="Batley Community Trust").organisation
    group = OrganisationFactory(name="Batley Pantry")
    SupportRelationshipFactory(anchor=anchor, group=group, kind=SupportKind.FUNDING_ADVICE)

    anchors_page, groups_page = page(client, anchor), page(client, group)

    assert "Groups Batley Community Trust supports" in anchors_page
    assert f'href="{group.get_absolute_url()}">Batley Pantry</a>: funding advice' in anchors_page
    assert "Supported by" in groups_page
    assert f'href="{anchor.get_absolute_url()}">Batley Community Trust</a>: funding advice' in groups_page


def test_a_relationship_with_a_draft_group_is_not_public(client):
    anchor = AnchorRoleFactory().organisation
    SupportRelationshipFactory(
        anchor=anchor, group=OrganisationFactory(name="Secret Supper Club", status=PublicationStatus.DRAFT)
    )
    html = page(client, anchor)
    assert "Secret Supper Club" not in html
    assert "Support</h2>" not in html


def test_the_anchors_own_editors_see_it_without_the_draft_groups_name_linked(client):
    anchor = AnchorRoleFactory().organisation
    SupportRelationshipFactory(
        anchor=anchor, group=OrganisationFactory(name="Secret Supper Club", status=PublicationStatus.DRAFT)
    )
    client.force_login(MembershipFactory(organisation=anchor).user)
    html = page(client, anchor)
    assert "a group not listed publicly" in html
    assert "Secret Supper Club" not in html


def test_ended_and_upcoming_support_is_not_shown_as_current(client):
    anchor = AnchorRoleFactory().organisation
    today = timezone.localdate()
    SupportRelationshipFactory(
        anchor=anchor,
        group=OrganisationFactory(name="Old Friends"),
        started_on=today - datetime.timedelta(days=90),
        ended_on=today - datetime.timedelta(days=1),
        end_reason="Folded",
    )
    SupportRelationshipFactory(
        anchor=anchor, group=OrganisationFactory(name="New Friends"), started_on=today + datetime.timedelta(days=7)
    )
    html = page(client, anchor)
    assert "Old Friends" not in html
    assert "New Friends" not in html


def test_the_engagement_log_and_officer_notes_never_reach_a_public_page(client):
    anchor = AnchorRoleFactory().organisation
    group = OrganisationFactory()
    EngagementFactory(anchor=anchor, organisations=[group], outcome="Private outcome", officer_notes="Officer only")
    SupportRelationshipFactory(anchor=anchor, group=group)
    for html in (page(client, anchor), page(client, group)):
        assert "Private outcome" not in html
        assert "Officer only" not in html


@pytest.mark.parametrize("count", [2, 30])
def test_an_anchor_page_costs_the_same_queries_however_many_groups_it_supports(
    client, django_assert_max_num_queries, count
):
    anchor = AnchorRoleFactory().organisation
    for group in OrganisationFactory.create_batch(count):
        SupportRelationshipFactory(anchor=anchor, group=group)
    with django_assert_max_num_queries(14):
        html = page(client, anchor)
    assert html.count("peer support, since") == count
