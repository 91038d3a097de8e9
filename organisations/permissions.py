"""Who may do what with organisations, and the roles that follow from the network's records.

- **Lead-anchor editor**: an editor (``Membership``) of an organisation holding a current
  lead-anchor role — or, in a network without tiers such as Leeds, a current anchor role —
  for the localities that role anchors (and everything inside them).
- **Local-anchor editor**: an editor of an organisation holding a current local-anchor role:
  their own organisation only.
- Officers and councillors: ``core.permissions``.

Lists are QuerySet methods (``Organisation.objects.editable_by(user)``,
``AnchorRole.objects.leading_for(user)``); these functions answer the same questions for one
record. None raises for an anonymous or inactive user: they simply grant nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import is_officer

from .models import AnchorRole, GroupSubmission, Organisation

if TYPE_CHECKING:
    from core.permissions import User
    from localities.models import LocalityQuerySet


def led_localities(user: User | None) -> LocalityQuerySet:
    """Every locality the user's organisations lead or anchor, and everything inside them."""
    return AnchorRole.objects.leading_for(user).covered_localities()


def is_lead_anchor_editor(user: User | None) -> bool:
    """Whether ``user`` edits an organisation with a current leading role (see
    ``AnchorRoleQuerySet.leading``)."""
    return AnchorRole.objects.leading_for(user).exists()


def can_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may edit ``organisation``'s profile (see ``editable_by``)."""
    return Organisation.objects.editable_by(user).filter(pk=organisation.pk).exists()


def can_see_private_contacts(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may see and change ``organisation``'s officer-only contact fields
    (``Organisation.PRIVATE_FIELDS``): officers, and the organisation's own editors, who
    supply them. A lead-anchor editor editing a group in their area does not: a volunteer's
    name and personal phone are for the council, not for a neighbouring organisation."""
    if is_officer(user):
        return True
    return Organisation.objects.with_member(user, editors_only=True).filter(pk=organisation.pk).exists()


def needs_review(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user``'s edits to ``organisation`` wait for an officer before going live: an
    editor (not an officer) changing a public profile."""
    return not is_officer(user) and organisation.is_public


def can_decide_group_submission(user: User | None, submission: GroupSubmission) -> bool:
    """Whether ``user`` may publish, merge or decline the new group ``submission``: whoever
    may see it (``GroupSubmission.objects.visible_to``: officers, the reviewing anchor's
    editors, its network coordinator's editors)."""
    return GroupSubmission.objects.visible_to(user).filter(pk=submission.pk).exists()
