"""Who may write, share and publish which locality plans, for one plan at a time.

Lists are ``LocalityPlanQuerySet`` methods (``visible_to``, ``managed_by``, ``editable_by``),
which say who sees what; these functions ask them about one plan, and say where a plan may be
started and as whom. The views, the admin and the services all ask here. None raises, and an
anonymous or inactive user is simply granted nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import is_officer
from localities.models import Locality, LocalityQuerySet
from organisations.models import AnchorRole, AnchorRoleKind, Organisation, OrganisationQuerySet
from organisations.permissions import led_localities

from .models import PLAN_OWNER_ROLES, CommentRole, LocalityPlan, PlanItemProposal

if TYPE_CHECKING:
    from core.permissions import User


def can_edit_plan(user: User | None, plan: LocalityPlan) -> bool:
    """Whether ``user`` may change ``plan`` (see ``LocalityPlanQuerySet.editable_by``)."""
    if plan.is_superseded:
        return False
    if is_officer(user):
        return True
    return LocalityPlan.objects.editable_by(user).filter(pk=plan.pk).exists()


def can_manage_plan(user: User | None, plan: LocalityPlan) -> bool:
    """Whether ``plan`` is in ``user``'s scope to share, publish or start a new version of
    (see ``LocalityPlanQuerySet.managed_by``). Whether its status allows it is the services'
    question, answered with a ``ValidationError``."""
    if is_officer(user):
        return True
    return LocalityPlan.objects.managed_by(user).filter(pk=plan.pk).exists()


def localities_user_may_plan_for(user: User | None) -> LocalityQuerySet:
    """Current localities ``user`` may start a plan for: every current locality for an
    officer; for a lead-anchor editor, those their organisations lead or anchor and the
    places inside them."""
    if is_officer(user):
        return Locality.objects.current()
    return led_localities(user).current()


def plan_owners_for(user: User | None) -> OrganisationQuerySet:
    """Organisations ``user`` may write a plan as: those holding a current lead-anchor role
    (or, in a network without tiers, anchor role) — for an editor, only those they edit."""
    roles = AnchorRole.objects.leading() if is_officer(user) else AnchorRole.objects.leading_for(user)
    return Organisation.objects.filter(pk__in=roles.filter(role__in=PLAN_OWNER_ROLES).values("organisation_id"))


def can_read_as_shared(user: User | None, plan: LocalityPlan) -> bool:
    """Whether ``user`` may read what ``plan`` was when it was shared, and what changed since
    (see ``LocalityPlanQuerySet.shared_readable_by``): officers, the owner's members, and
    councillors it was shared with."""
    if not plan.shared_on:
        return False
    if is_officer(user):
        return True
    return LocalityPlan.objects.shared_readable_by(user).filter(pk=plan.pk).exists()


def can_read_comments(user: User | None, plan: LocalityPlan) -> bool:
    """Whether ``user`` may read the questions and comments on ``plan`` (see
    ``LocalityPlanQuerySet.discussable_by``): officers, the plan's writers and the councillors
    of its wards in office. Never anyone signed out, and no query for a plan never shared."""
    if not plan.shared_on:
        return False
    if is_officer(user):
        return True
    return LocalityPlan.objects.discussable_by(user).filter(pk=plan.pk).exists()


def comment_role(user: User | None, plan: LocalityPlan) -> CommentRole | None:
    """In which capacity ``user`` may write on ``plan``'s questions and comments, or None when
    they may not: the plan must have been shared and still be in force (a superseded plan's
    threads are history), and the user a councillor of its wards in office
    (``shared_with``), one of its writers (an editor of the owner, for a place the owner leads:
    ``LocalityPlanQuerySet.written_by``), or an officer, asked in that order."""
    if not plan.shared_on or plan.is_superseded:
        return None
    if LocalityPlan.objects.shared_with(user).filter(pk=plan.pk).exists():
        return CommentRole.COUNCILLOR
    if LocalityPlan.objects.written_by(user).filter(pk=plan.pk).exists():
        return CommentRole.EDITOR
    if is_officer(user):
        return CommentRole.OFFICER
    return None


def can_ask_questions(role: CommentRole | None) -> bool:
    """Only a councillor marks a comment as a question for the plan's writers (issue 16)."""
    return role == CommentRole.COUNCILLOR


def can_propose_items(user: User | None, plan: LocalityPlan) -> bool:
    """Whether ``user`` may propose items for ``plan``: an editor of a local anchor working
    under the plan's lead anchor, while the plan is a draft (``LocalityPlanQuerySet.
    contributable_by``). Proposing gives no other right: a local anchor still cannot change,
    share, publish or remove the plan or its items (``can_edit_plan``, ``can_manage_plan``)."""
    if not plan.is_draft:
        return False
    return LocalityPlan.objects.contributable_by(user).filter(pk=plan.pk).exists()


def proposing_organisations(user: User | None, plan: LocalityPlan) -> OrganisationQuerySet:
    """The organisations ``user`` edits that may propose items for ``plan``: current local
    anchors under the plan owner's current lead-anchor role for the plan's place or a place
    containing it (the rule of ``LocalityPlanQuerySet.contributed_to_by``; an owner leading
    two areas has two sets of local anchors). Usually one. One query (``plan.locality``
    loaded)."""
    return (
        Organisation.objects.with_member(user, editors_only=True)
        .filter(
            anchor_roles__in=AnchorRole.objects.current().filter(
                role=AnchorRoleKind.LOCAL_ANCHOR,
                lead__organisation_id=plan.owner_id,
                lead__left_on__isnull=True,
                lead__locality_id__in=plan.locality.containing_ids,
            )
        )
        .distinct()
    )


def can_decide_proposal(user: User | None, proposal: PlanItemProposal) -> bool:
    """Whether ``user`` may accept or decline ``proposal``: whoever may change its plan
    (``can_edit_plan``: the lead anchor's editors, officers)."""
    return can_edit_plan(user, proposal.plan)
