"""Plans written together (issue 16): the local anchors of a lead anchor's area read its draft
and propose items; the lead anchor accepts or declines each with a note, and the proposer is
emailed. A local anchor never changes, shares, publishes or removes the plan or its items."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from core.concurrency import EditConflict, version_of
from organisations.models import MembershipRole
from plans.models import LocalityPlan, PlanItemKind, PlanItemProposal, ProposalStatus
from plans.permissions import can_edit_plan, can_manage_plan, can_propose_items
from plans.services import plan_publish, plan_share, proposal_create, proposal_decide
from tests.factories import MembershipFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory, PlanItemProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Batley and Spen plan")


def propose_url(plan) -> str:
    return reverse("plans:propose", kwargs={"key": plan.slug})


def proposals_url(plan) -> str:
    return reverse("plans:proposals", kwargs={"key": plan.slug})


# ------------------------------------------------------------------------------
# Who sees and proposes
# ------------------------------------------------------------------------------
def test_the_local_anchors_of_the_area_see_the_lead_anchors_draft(world, draft):
    viewer = MembershipFactory(organisation=world.batley_local, role=MembershipRole.VIEWER).user
    for user in (world.local_editor, viewer):
        assert list(LocalityPlan.objects.visible_to(user)) == [draft]
    # Another lead anchor's draft, and the plan once shared, are not theirs to read.
    other = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead)
    assert not LocalityPlan.objects.visible_to(world.local_editor).filter(pk=other.pk).exists()
    plan_share(plan=draft, user=world.alice)
    assert not LocalityPlan.objects.visible_to(world.local_editor).exists()


def test_a_draft_for_a_ward_inside_the_lead_anchors_area_counts_too(world):
    ward_plan = LocalityPlanFactory(locality=world.batley_east, owner=world.batley_lead)
    assert can_propose_items(world.local_editor, ward_plan)


def test_a_proposal_is_made_for_the_local_anchor_of_the_plans_own_area(world, draft):
    """An owner leading two areas has a local anchor in each: someone editing both proposes
    for Batley's plan as Batley's local anchor, even when the other comes first by name."""
    from organisations.models import AnchorRole, AnchorRoleKind
    from plans.permissions import proposing_organisations
    from tests.factories import AnchorRoleFactory, LocalityFactory

    batley_role = AnchorRole.objects.get(organisation=world.batley_lead)
    spen = LocalityFactory(name="Spen Valley", slug="spen-valley", kind="area", parent=world.kirklees)
    spen_lead = AnchorRoleFactory(
        organisation=world.batley_lead, network=batley_role.network, role=AnchorRoleKind.LEAD_ANCHOR, locality=spen
    )
    elsewhere = AnchorRoleFactory(
        organisation__name="Aardvark local anchor in Spen",
        network=batley_role.network,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        locality=LocalityFactory(name="Cleckheaton", slug="cleckheaton", parent=spen),
        lead=spen_lead,
    ).organisation
    MembershipFactory(user=world.local_editor, organisation=elsewhere, role=MembershipRole.EDITOR)
    assert list(proposing_organisations(world.local_editor, draft)) == [world.batley_local]
    proposal = proposal_create(plan=draft, user=world.local_editor, kind=PlanItemKind.PRIORITY, title="Warm hubs")
    assert proposal.organisation == world.batley_local


def test_only_editors_of_the_local_anchor_propose(world, draft):
    viewer = MembershipFactory(organisation=world.batley_local, role=MembershipRole.VIEWER).user
    assert can_propose_items(world.local_editor, draft)
    for user in (viewer, world.alice, world.bob, world.councillor, world.resident, world.officer):
        assert not can_propose_items(user, draft), user
    with pytest.raises(PermissionDenied):
        proposal_create(plan=draft, user=world.bob, kind=PlanItemKind.PRIORITY, title="Not mine to propose")


def test_a_local_anchor_cannot_publish_share_edit_or_delete_the_lead_anchors_plan(client, world, draft):
    item = PlanItemFactory(plan=draft, title="Accepted earlier")
    assert not can_edit_plan(world.local_editor, draft)
    assert not can_manage_plan(world.local_editor, draft)
    with pytest.raises(PermissionDenied):
        plan_publish(plan=draft, user=world.local_editor)
    with pytest.raises(PermissionDenied):
        plan_share(plan=draft, user=world.local_editor)
    client.force_login(world.local_editor)
    assert client.post(reverse("plans:publish", args=[draft.slug])).status_code == HTTPStatus.NOT_FOUND
    assert client.post(reverse("plans:share", args=[draft.slug])).status_code == HTTPStatus.NOT_FOUND
    assert client.get(draft.get_edit_url()).status_code == HTTPStatus.NOT_FOUND
    data = {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "1", "items-0-id": str(item.pk), "items-0-DELETE": "on"}
    assert client.post(draft.get_edit_url(), data).status_code == HTTPStatus.NOT_FOUND
    draft.refresh_from_db()
    assert draft.is_draft
    assert draft.items.get().title == "Accepted earlier"
    # Reading it is allowed, and the page offers no editing.
    page = client.get(draft.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assertNotContains(page, draft.get_edit_url())
    assertContains(page, propose_url(draft))


# ------------------------------------------------------------------------------
# Proposing
# ------------------------------------------------------------------------------
def test_a_local_anchor_proposes_an_item_and_sees_it_waiting(client, world, draft):
    client.force_login(world.local_editor)
    mine = client.get(reverse("plans:mine"))
    assertContains(mine, propose_url(draft))
    response = client.post(
        propose_url(draft),
        {"kind": "concern", "title": "Buses stop at 6pm", "detail": "Evening shifts", "note": "Heard at the foodbank"},
    )
    assertRedirects(response, propose_url(draft))
    proposal = PlanItemProposal.objects.get()
    assert (proposal.organisation, proposal.proposer, proposal.status) == (
        world.batley_local,
        world.local_editor,
        ProposalStatus.PROPOSED,
    )
    assert not draft.items.exists()  # nothing in the plan until the lead anchor accepts
    page = client.get(propose_url(draft))
    assertContains(page, "Buses stop at 6pm")
    assertContains(page, "Proposed</strong>")


def test_a_proposal_with_mistakes_is_explained_and_keeps_what_was_typed(client, world, draft):
    client.force_login(world.local_editor)
    response = client.post(propose_url(draft), {"kind": "wishlist", "detail": "Kept text", "note": "Kept note"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"] == [
        ("id_kind_1", "Choose the section: priority, concern, opportunity or connection"),
        ("id_title", "Enter a title for the item"),
    ]
    assertContains(response, "Kept text")
    assertContains(response, "Kept note")
    assert not PlanItemProposal.objects.exists()


def test_proposing_for_a_plan_shared_meanwhile_is_refused_and_keeps_what_was_typed(client, world, draft):
    client.force_login(world.local_editor)
    client.get(propose_url(draft))
    plan_share(plan=draft, user=world.alice)
    response = client.post(propose_url(draft), {"kind": "priority", "title": "Late idea"})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "no longer a draft")
    assert response.context["error_links"] == [
        (
            "typed-proposal",
            "This plan is no longer a draft, so items can no longer be proposed for it. Nothing was saved.",
        )
    ]
    assertContains(response, 'id="typed-proposal"')
    assertContains(response, "Late idea")
    assert not PlanItemProposal.objects.exists()


# ------------------------------------------------------------------------------
# Deciding
# ------------------------------------------------------------------------------
@pytest.fixture
def proposal(world, draft):
    return PlanItemProposalFactory(
        plan=draft, organisation=world.batley_local, proposer=world.local_editor, title="Youth club on Fridays"
    )


def decide(client, proposal, decision: str, note: str = "", version: str | None = None):
    return client.post(
        proposal.get_absolute_url(),
        {"decision": decision, "note": note, "loaded_version": version or version_of(proposal)},
    )


def test_accepting_adds_the_item_last_in_its_section_and_emails_the_proposer(
    client, world, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    world.local_editor.email = "local@example.org"
    world.local_editor.save()
    PlanItemFactory(plan=proposal.plan, kind=PlanItemKind.PRIORITY, order=1, title="Warm spaces")
    client.force_login(world.alice)
    assertContains(client.get(proposal.plan.get_edit_url()), "Local anchors have proposed 1 item")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, "accept", "Good idea, thank you")
    assertRedirects(response, proposals_url(proposal.plan))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decision_note) == (
        ProposalStatus.ACCEPTED,
        world.alice,
        "Good idea, thank you",
    )
    assert list(proposal.plan.items.values_list("order", "title")) == [(1, "Warm spaces"), (2, "Youth club on Fridays")]
    assert proposal.item.title == "Youth club on Fridays"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["local@example.org"]
    assert "accepted" in email.subject
    assert "Good idea, thank you" in email.body
    # The proposer reads the decision on their page.
    client.force_login(world.local_editor)
    page = client.get(propose_url(proposal.plan))
    assertContains(page, "Accepted</strong>")
    assertContains(page, "Good idea, thank you")


def test_declining_needs_a_note_and_emails_it(client, world, proposal, mailoutbox, django_capture_on_commit_callbacks):
    world.local_editor.email = "local@example.org"
    world.local_editor.save()
    client.force_login(world.alice)
    response = decide(client, proposal, "decline")
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"] == [
        ("id_note", "Say why you are declining it: the local anchor reads this note")
    ]
    assert response.context["form"]["decision"].value() == "decline"  # kept
    with django_capture_on_commit_callbacks(execute=True):
        assertRedirects(
            decide(client, proposal, "decline", "Already in the council's youth plan"), proposals_url(proposal.plan)
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert not proposal.plan.items.exists()
    assert "declined" in mailoutbox[0].subject
    assert "Already in the council's youth plan" in mailoutbox[0].body


def test_a_decision_made_meanwhile_is_not_overwritten(client, world, proposal):
    loaded = version_of(proposal)
    proposal_decide(proposal=proposal, user=world.officer, accept=False, note="Duplicate", expected_version=loaded)
    client.force_login(world.alice)
    response = decide(client, proposal, "accept", "Yes please", version=loaded)
    assert response.status_code == HTTPStatus.OK
    assert response.context["error_links"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (ProposalStatus.DECLINED, "Duplicate")
    assert not proposal.plan.items.exists()
    with pytest.raises(EditConflict):
        proposal_decide(proposal=proposal, user=world.alice, accept=True, expected_version=loaded)
    with pytest.raises(ValidationError):
        proposal_decide(proposal=proposal, user=world.alice, accept=True, expected_version=version_of(proposal))


def test_a_local_anchor_cannot_decide_on_proposals(client, world, proposal):
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal=proposal, user=world.local_editor, accept=True, expected_version=version_of(proposal))
    client.force_login(world.local_editor)
    assert decide(client, proposal, "accept").status_code == HTTPStatus.NOT_FOUND
    assert client.get(proposals_url(proposal.plan)).status_code == HTTPStatus.NOT_FOUND
    proposal.refresh_from_db()
    assert proposal.is_waiting


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_an_unknown_proposal_answers_not_found(client, world, draft, pk):
    client.force_login(world.alice)
    url = f"{proposals_url(draft)}{pk}/"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_proposals_list_costs_no_query_per_proposal(client, world, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    counts = []
    for total in (2, 12):
        for number in range(draft.proposals.count(), total):
            PlanItemProposalFactory(plan=draft, organisation=world.batley_local, kind=list(PlanItemKind)[number % 4])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(proposals_url(draft)).status_code == HTTPStatus.OK
        counts.append(len(queries))
    print(f"proposals list queries (2, 12 proposals): {counts}")
    assert counts[0] == counts[1]


def test_the_propose_page_costs_no_query_per_proposal(client, world, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.local_editor)
    counts = []
    for total in (2, 12):
        for _number in range(draft.proposals.count(), total):
            PlanItemProposalFactory(plan=draft, organisation=world.batley_local)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(propose_url(draft)).status_code == HTTPStatus.OK
        counts.append(len(queries))
    print(f"propose page queries (2, 12 proposals): {counts}")
    assert counts[0] == counts[1]


def test_a_deactivated_proposer_is_not_emailed_and_the_link_goes_through_sign_in(
    world, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    world.local_editor.email = "local@example.org"
    world.local_editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decide(
            proposal=proposal, user=world.alice, accept=False, note="No", expected_version=version_of(proposal)
        )
    assert reverse("portal:login") in mailoutbox[0].body
    assert "next=" in mailoutbox[0].body
    other = PlanItemProposalFactory(plan=proposal.plan, organisation=world.batley_local, proposer=world.local_editor)
    world.local_editor.is_active = False
    world.local_editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decide(proposal=other, user=world.alice, accept=False, note="No", expected_version=version_of(other))
    assert len(mailoutbox) == 1
