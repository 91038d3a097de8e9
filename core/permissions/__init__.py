"""Who may see and change what: the one place AnchorNet decides scope.

Every admin ``get_queryset``/``has_*_permission``, every front-end view and every feed asks
these functions; nothing is scoped by hiding links. Roles (the roles and permissions issue):

- **Officer**: an active staff user. Everything.
- **Lead-anchor editor**: an editor (``Membership``) of an organisation holding a current
  lead-anchor role — or, in a network without tiers such as Leeds, a current anchor role —
  for the localities that role anchors (and everything inside them).
- **Local-anchor editor**: an editor of an organisation holding a current local-anchor role:
  their own organisation only.
- **Councillor**: a member of the ``Councillor`` group: reads shared plans and network
  meetings; edits nothing.
- **Public**: published records only.

The functions take ``user`` (possibly ``AnonymousUser``) and return querysets or booleans;
none raises for an anonymous or inactive user: they simply grant nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from localities.models import Locality
    from organisations.models import Network, Organisation

    User = AbstractBaseUser | AnonymousUser

COUNCILLOR_GROUP = "Councillor"
OFFICER_GROUP = "Officer"
LEAD_ANCHOR_EDITOR_GROUP = "Lead-anchor editor"
LOCAL_ANCHOR_EDITOR_GROUP = "Local-anchor editor"


def is_signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_officer(user: User) -> bool:
    """An active staff user: a council officer, who may do everything."""
    return is_signed_in(user) and user.is_staff


def is_councillor(user: User) -> bool:
    """An active member of the ``Councillor`` group."""
    return is_signed_in(user) and user.groups.filter(name=COUNCILLOR_GROUP).exists()


def member_organisations(user: User, *, editors_only: bool = False) -> QuerySet[Organisation]:
    """Organisations the user belongs to (any role, or only as an editor)."""
    from organisations.models import MembershipRole, Organisation

    if not is_signed_in(user):
        return Organisation.objects.none()
    memberships = Q(memberships__user=user)
    if editors_only:
        memberships &= Q(memberships__role=MembershipRole.EDITOR)
    return Organisation.objects.filter(memberships).distinct()


def leading_roles(user: User):
    """Current anchor roles that make the user a lead-anchor editor: lead-anchor roles, and
    plain anchor roles in networks without tiers, of organisations the user edits."""
    from organisations.models import AnchorRole, AnchorRoleKind

    if not is_signed_in(user):
        return AnchorRole.objects.none()
    return AnchorRole.objects.current().filter(
        role__in=[AnchorRoleKind.LEAD_ANCHOR, AnchorRoleKind.ANCHOR],
        organisation__in=member_organisations(user, editors_only=True),
    )


def led_localities(user: User) -> QuerySet[Locality]:
    """Every locality the user's organisations lead or anchor, and everything inside them."""
    from localities.models import Locality

    roots = list(Locality.objects.filter(anchor_roles__in=leading_roles(user)).distinct())
    if not roots:
        return Locality.objects.none()
    inside = Q()
    for root in roots:
        inside |= Q(pk=root.pk) | Q(ancestor_path__startswith=root.descendant_prefix)
    return Locality.objects.filter(inside)


def leads_locality(user: User, locality: Locality) -> bool:
    """True when ``locality`` is one the user's organisations lead or anchor, or inside one."""
    return led_localities(user).filter(pk=locality.pk).exists()


def network_member_networks(user: User) -> QuerySet[Network]:
    """Networks the user is a member of: through an organisation with a current anchor role
    in it, or that coordinates it. Officers are members of every network."""
    from organisations.models import Network

    if is_officer(user):
        return Network.objects.all()
    organisations = member_organisations(user)
    return Network.objects.filter(
        Q(anchor_roles__organisation__in=organisations, anchor_roles__left_on__isnull=True)
        | Q(coordinator__in=organisations)
    ).distinct()


def lead_anchor_networks(user: User) -> QuerySet[Network]:
    """Networks in which the user belongs to a lead anchor (or a peer anchor, where the network
    has no tiers). Officers count for every network."""
    from organisations.models import AnchorRoleKind, Network

    if is_officer(user):
        return Network.objects.all()
    return Network.objects.filter(
        anchor_roles__organisation__in=member_organisations(user),
        anchor_roles__left_on__isnull=True,
        anchor_roles__role__in=[AnchorRoleKind.LEAD_ANCHOR, AnchorRoleKind.ANCHOR],
    ).distinct()


def editable_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose profile the user may edit.

    Officers: all. Everyone else: the organisations they are an editor of, and — for a
    lead-anchor editor — the local anchors and community groups in the localities their
    organisation leads (as PlaceCal's area-scoped admins do): local anchors anchoring a place
    there or working under their lead anchor role, and organisations with no anchor role that
    serve a place there. Never another lead anchor or a network coordinator.
    """
    from django.db.models import Exists, OuterRef

    from organisations.models import AnchorRole, AnchorRoleKind, Organisation

    if is_officer(user):
        return Organisation.objects.all()
    if not is_signed_in(user):
        return Organisation.objects.none()
    own = member_organisations(user, editors_only=True).values("pk")
    led = led_localities(user)
    local_anchors = (
        AnchorRole.objects.current()
        .filter(role=AnchorRoleKind.LOCAL_ANCHOR)
        .filter(Q(locality__in=led) | Q(lead__in=leading_roles(user)))
        .values("organisation_id")
    )
    serves_led = Organisation.localities.through.objects.filter(organisation=OuterRef("pk"), locality__in=led)
    groups = Organisation.objects.community_groups().filter(Exists(serves_led)).values("pk")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=local_anchors) | Q(pk__in=groups))


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """True when the user may edit ``organisation``'s profile (see ``editable_organisations``)."""
    return editable_organisations(user).filter(pk=organisation.pk).exists()


def can_see_private_contacts(user: User, organisation: Organisation) -> bool:
    """Whether ``user`` may see and change ``organisation``'s officer-only contact fields
    (``Organisation.PRIVATE_FIELDS``): officers, and the organisation's own editors, who
    supply them. A lead-anchor editor editing a group in their area does not: a volunteer's
    name and personal phone are for the council, not for a neighbouring organisation."""
    if is_officer(user):
        return True
    return member_organisations(user, editors_only=True).filter(pk=organisation.pk).exists()


def needs_review(user: User, organisation: Organisation) -> bool:
    """True when the user's edits to ``organisation`` wait for an officer before going live: an
    editor (not an officer) changing a published profile."""
    from core.models import PublicationStatus

    return not is_officer(user) and organisation.status == PublicationStatus.PUBLISHED
