"""Who may read, write, share and publish locality plans (see the roles in ``core.permissions``).

- **Public**: published and superseded plans.
- **Councillor**: also plans shared with councillors.
- **Members of the owning organisation**: also that organisation's drafts.
- **Lead-anchor editor**: writes plans for the localities their organisation leads or anchors
  (and the places inside them), owned by that organisation, and shares and publishes only those.
- **Officer**: everything.

A superseded plan is history: nobody edits it. Every view, the admin and the services ask these
functions; none raises, and an anonymous or inactive user is simply granted nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from . import (
    is_councillor,
    is_officer,
    is_signed_in,
    leading_roles,
    led_localities,
    member_organisations,
)

if TYPE_CHECKING:
    from localities.models import Locality
    from organisations.models import Organisation
    from plans.models import LocalityPlan

    from . import User


def plans_managed_by(user: User) -> QuerySet[LocalityPlan]:
    """Every plan, of any status (superseded too), the user answers for: all of them for an
    officer; for a lead-anchor editor, plans owned by an organisation they edit, for a locality
    their organisations lead or anchor (or a place inside one)."""
    from plans.models import LocalityPlan

    if is_officer(user):
        return LocalityPlan.objects.all()
    if not is_signed_in(user):
        return LocalityPlan.objects.none()
    localities = led_localities(user)
    return LocalityPlan.objects.filter(
        owner__in=member_organisations(user, editors_only=True),
        locality__in=localities,
    )


def plans_visible_to(user: User) -> QuerySet[LocalityPlan]:
    """Plans the user may read: public ones; shared ones for a councillor; their own
    organisation's (any status) for its members and editors; everything for an officer."""
    from plans.models import PUBLIC_STATUSES, LocalityPlan, PlanStatus

    if is_officer(user):
        return LocalityPlan.objects.all()
    statuses = list(PUBLIC_STATUSES)
    if is_councillor(user):
        statuses.append(PlanStatus.SHARED)
    visible = Q(status__in=statuses)
    if is_signed_in(user):
        # Members (editors or viewers) of the owning organisation read all of its plans; this
        # includes every plan an editor manages (``plans_managed_by``).
        visible |= Q(owner__in=member_organisations(user))
    return LocalityPlan.objects.filter(visible)


def plans_editable_by(user: User) -> QuerySet[LocalityPlan]:
    """Plans the user may change: those in their scope that are not superseded."""
    from plans.models import PlanStatus

    return plans_managed_by(user).exclude(status=PlanStatus.SUPERSEDED)


def can_edit_plan(user: User, plan: LocalityPlan) -> bool:
    """True when the user may change ``plan`` (see ``plans_editable_by``)."""
    if plan.is_superseded:
        return False
    if is_officer(user):
        return True
    return plans_editable_by(user).filter(pk=plan.pk).exists()


def can_publish_plan(user: User, plan: LocalityPlan) -> bool:
    """True when ``plan`` is in the user's scope to share or publish. Whether its status allows
    it is the service's question (``plans.services``), answered with a ``ValidationError``."""
    if is_officer(user):
        return True
    return plans_managed_by(user).filter(pk=plan.pk).exists()


def can_share_plan(user: User, plan: LocalityPlan) -> bool:
    """Sharing with councillors is open to the same people as publishing."""
    return can_publish_plan(user, plan)


def localities_user_may_plan_for(user: User) -> QuerySet[Locality]:
    """Current localities the user may start a plan for: for an officer, every current
    locality; for a lead-anchor editor, those their organisations lead or anchor and the places
    inside them."""
    from localities.models import Locality

    if is_officer(user):
        return Locality.objects.current()
    return led_localities(user).current()


def plan_owners_for(user: User) -> QuerySet[Organisation]:
    """Organisations the user may write a plan as: those holding a current lead-anchor role
    (or, in a network without tiers, anchor role) — for an editor, only those they edit."""
    from organisations.models import AnchorRole, Organisation
    from plans.models import PLAN_OWNER_ROLES

    all_roles = AnchorRole.objects.current().filter(role__in=PLAN_OWNER_ROLES)
    roles = all_roles if is_officer(user) else leading_roles(user)
    return Organisation.objects.filter(pk__in=roles.values("organisation_id"))
