"""Every write to a plan: starting one, changing it, sharing, publishing, a new version.

The editor and the admin change plans only through these. Each service checks who is asking
(``plans.permissions``) and raises ``PermissionDenied`` for someone outside the plan's scope,
and ``ValidationError`` (with a plain-English message) for a change the plan's status does not
allow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import check_versions
from core.notifications import enqueue_on_commit

from .models import (
    LocalityPlan,
    PlanComment,
    PlanItem,
    PlanItemKind,
    PlanItemProposal,
    PlanOpening,
    PlanReference,
    PlanShare,
    PlanStatus,
    ProposalStatus,
)
from .permissions import (
    can_ask_questions,
    can_decide_proposal,
    can_edit_plan,
    can_manage_plan,
    comment_role,
    localities_user_may_plan_for,
    plan_owners_for,
    proposing_organisations,
)
from .selectors import plan_snapshot
from .tasks import plan_comment_notify, plan_proposal_decided_notify, plan_shared_notify_councillors

if TYPE_CHECKING:
    from localities.models import Locality
    from organisations.models import Organisation


def plan_create(
    *,
    user,
    locality: Locality,
    owner: Organisation,
    title: str,
    period_start: int,
    period_end: int,
    summary: str = "",
) -> LocalityPlan:
    """Start a draft plan for ``locality``, owned by ``owner``.

    Raises:
        PermissionDenied: the user may not plan for that locality or as that organisation.
        ValidationError: the plan breaks a rule (e.g. the owner does not anchor the locality).
    """
    if not localities_user_may_plan_for(user).filter(pk=locality.pk).exists():
        raise PermissionDenied(_("You cannot write a plan for %(place)s.") % {"place": locality})
    if not plan_owners_for(user).filter(pk=owner.pk).exists():
        raise PermissionDenied(_("You cannot write a plan for %(owner)s.") % {"owner": owner})
    plan = LocalityPlan(
        locality=locality,
        owner=owner,
        title=title,
        period_start=period_start,
        period_end=period_end,
        summary=summary,
    )
    plan.full_clean(exclude=["slug"])
    plan.save()
    return plan


# What ``plan_update`` may change: status and dates are for the transitions below.
UPDATABLE_FIELDS = ("title", "locality", "owner", "period_start", "period_end", "summary")


@transaction.atomic
def plan_update(
    *,
    plan: LocalityPlan,
    user,
    expected_status: str,
    expected_version: str | None,
    values: dict[str, Any],
    save_related: Callable[[LocalityPlan], None] | None = None,
) -> LocalityPlan:
    """Change a plan's own details (``UPDATABLE_FIELDS``) and, through ``save_related``, its
    items and references, in one transaction; the plan row stays locked until it ends, so a
    second save of the same plan waits for the first.

    ``expected_status`` is the status the editor's page showed when it was loaded. Saving a
    "draft" that someone has published meanwhile would put unchecked changes straight on the
    public page, so a plan whose status has changed since is refused, and nothing is saved.
    ``expected_version`` is the plan's version then (``core.concurrency``): any other change
    saved meanwhile is refused too, naming what changed.
    A new area or owner must be one the user may choose (``plans.permissions``), whatever the
    form offered.

    Returns the saved plan (a fresh instance).

    Raises:
        PermissionDenied: the plan, or the new area or owner, is not the user's.
        ValidationError: code ``"stale"`` when the status changed (an ``EditConflict`` when
            anything else did); otherwise the values break a rule (e.g. the owner does not
            anchor the area).
    """
    unknown = set(values) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"plan_update cannot change {', '.join(sorted(unknown))}")
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("You cannot change this plan."))
    locked = LocalityPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != expected_status:
        raise ValidationError(
            _(
                "Someone else changed this plan's status to “%(status)s” while you were editing "
                "it. Nothing was saved: check the plan and save again."
            )
            % {"status": locked.get_status_display().lower()},
            code="stale",
        )
    check_versions([locked], expected_version, noun=_("this plan"), fields=UPDATABLE_FIELDS)
    place, owner = values.get("locality"), values.get("owner")
    if place and place.pk != locked.locality_id and not localities_user_may_plan_for(user).filter(pk=place.pk).exists():
        raise PermissionDenied(_("You cannot write a plan for %(place)s.") % {"place": place})
    if owner and owner.pk != locked.owner_id and not plan_owners_for(user).filter(pk=owner.pk).exists():
        raise PermissionDenied(_("You cannot write a plan for %(owner)s.") % {"owner": owner})
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["slug"])
    locked.save(update_fields=[*values, "updated_at"])
    if save_related is not None:
        save_related(locked)
    return locked


@transaction.atomic
def plan_share(*, plan: LocalityPlan, user, on: datetime.date | None = None) -> LocalityPlan:
    """Share a draft with councillors: they can read it, the public cannot yet. Keeps what was
    shared (a ``PlanShare`` with the plan's snapshot, ``selectors.plan_snapshot``) and, once the
    transaction commits, emails each councillor of its wards a link
    (``tasks.plan_shared_notify_councillors``).

    Raises:
        PermissionDenied: the plan is not the user's to share.
        ValidationError: the plan is not a draft.
    """
    if not can_manage_plan(user, plan):
        raise PermissionDenied(_("You cannot share this plan."))
    plan = LocalityPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.may_be_shared:
        raise ValidationError(
            _("Only a draft can be shared with councillors: this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()},
            code="invalid_transition",
        )
    plan.status = PlanStatus.SHARED
    plan.shared_on = on or timezone.localdate()
    plan.full_clean(exclude=["slug"])
    plan.save(update_fields=["status", "shared_on", "updated_at"])
    PlanShare.objects.create(plan=plan, shared_on=plan.shared_on, shared_by=user, snapshot=plan_snapshot(plan))
    enqueue_on_commit(plan_shared_notify_councillors, plan.pk)
    return plan


def plan_opening_record(*, plan: LocalityPlan, user) -> PlanOpening | None:
    """Note that ``user`` opened ``plan``, when they are a councillor it was shared with
    (``LocalityPlanQuerySet.shared_with``) and have not opened it before; the first opening
    stays. Returns the opening, or None for anyone else (nothing written). Two at the same
    moment record one opening (the unique constraint; ``get_or_create`` reads the winner's)."""
    if not plan.shared_on or not LocalityPlan.objects.shared_with(user).filter(pk=plan.pk).exists():
        return None
    opening, _created = PlanOpening.objects.get_or_create(
        plan=plan, user=user, defaults={"first_opened_at": timezone.now()}
    )
    return opening


def plan_publish(*, plan: LocalityPlan, user, on: datetime.date | None = None) -> LocalityPlan:
    """Publish a draft or shared plan, superseding the locality's current plan, in one
    transaction.

    Every plan of the locality is locked first (``SELECT ... FOR UPDATE``, in id order), so two
    publishes for one locality run one after the other: the second sees the first as the
    current plan and supersedes it. The partial unique index ``one_published_plan_per_locality``
    guarantees one published plan per locality whatever happens.

    Raises:
        PermissionDenied: the plan is not the user's to publish.
        ValidationError: the plan is not a draft or shared, or breaks a rule.
    """
    if not can_manage_plan(user, plan):
        raise PermissionDenied(_("You cannot publish this plan."))
    try:
        with transaction.atomic():
            return _publish(plan.pk, on or timezone.localdate())
    except IntegrityError as exc:
        # Only reachable if a publish raced past the locks (e.g. on a database without
        # row locks): nothing was saved.
        raise ValidationError(
            _("Another plan for this area was published at the same moment. Nothing was changed: try again."),
            code="conflict",
        ) from exc


def _publish(plan_pk: int, on: datetime.date) -> LocalityPlan:
    locality_id = LocalityPlan.objects.values_list("locality_id", flat=True).get(pk=plan_pk)
    locked = list(LocalityPlan.objects.select_for_update().filter(locality_id=locality_id).order_by("pk"))
    plan = next(p for p in locked if p.pk == plan_pk)
    if not plan.may_be_published:
        raise ValidationError(
            _("Only a draft or shared plan can be published: this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()},
            code="invalid_transition",
        )
    # Check the plan as it will stand (owner still anchors the area, years in order) before
    # anything changes.
    plan.full_clean(exclude=["slug"])
    current = next((p for p in locked if p.is_published), None)
    if current is not None:
        current.status = PlanStatus.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
    plan.status = PlanStatus.PUBLISHED
    plan.published_on = on
    plan.supersedes = current
    plan.save(update_fields=["status", "published_on", "supersedes", "updated_at"])
    return plan


@transaction.atomic
def plan_new_version(*, plan: LocalityPlan, user) -> LocalityPlan:
    """Start the next version of a plan: a new draft for the same locality and owner with a
    copy of its items (themes, organisations named, evidence) and references. The original is
    untouched until the new version is published and supersedes it.

    Raises:
        PermissionDenied: the plan is not the user's.
        ValidationError: the owner no longer anchors the locality.
    """
    if not can_manage_plan(user, plan):
        raise PermissionDenied(_("You cannot start a new version of this plan."))
    length = plan.period_end - plan.period_start
    start = max(plan.period_start, timezone.localdate().year)
    copy = LocalityPlan(
        locality=plan.locality,
        owner=plan.owner,
        title=plan.title,
        period_start=start,
        period_end=start + length,
        summary=plan.summary,
    )
    copy.full_clean(exclude=["slug"])
    copy.save()
    copied_fields = [
        field.name
        for field in PlanItem._meta.concrete_fields
        if field.name not in {"id", "plan", "created_at", "updated_at"}
    ]
    new_items: dict[int, PlanItem] = {}
    for item in plan.items.prefetch_related("themes", "organisations"):
        new_item = PlanItem(plan=copy, **{name: getattr(item, name) for name in copied_fields})
        new_item.save()
        new_item.themes.set(item.themes.all())
        new_item.organisations.set(item.organisations.all())
        new_items[item.pk] = new_item
    for reference in plan.references.all():
        PlanReference.objects.create(
            plan=copy,
            item=new_items.get(reference.item_id),
            kind=reference.kind,
            title=reference.title,
            owner=reference.owner,
            url=reference.url,
        )
    return copy


# A second identical post within this many seconds is the same comment sent twice (a double
# click, the browser's "resend"), not a second comment.
DUPLICATE_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class CommentResult:
    """What ``plan_comment_add`` did: the comment, and False in ``created`` when it was the
    same text sent again within ``DUPLICATE_WINDOW_SECONDS`` (nothing new written)."""

    comment: PlanComment
    created: bool


@transaction.atomic
def plan_comment_add(
    *,
    plan: LocalityPlan,
    user,
    body: str,
    item: PlanItem | None = None,
    parent: PlanComment | None = None,
    is_question: bool = False,
) -> CommentResult:
    """Add a question or comment to ``plan`` (about ``item``, or the whole plan) or, with
    ``parent``, a reply in that thread, written in the capacity ``permissions.comment_role``
    gives. Once the transaction commits, ``tasks.plan_comment_notify`` emails the plan's
    writers about a new question, or the thread's author about a reply.

    The plan row is locked while the duplicate check runs, so a double-submit waits for the
    first and then finds it: the same text by the same person in the same place within
    ``DUPLICATE_WINDOW_SECONDS`` returns the first comment with ``created`` False.

    Raises:
        PermissionDenied: ``user`` may not write on this plan, or (``is_question``) is not a
            councillor of its wards.
        ValidationError: empty or too long (``COMMENT_MAX_LENGTH`` characters), an item of
            another plan, or a reply to a reply or to another plan's thread.
    """
    role = comment_role(user, plan)
    if role is None:
        raise PermissionDenied(_("You cannot comment on this plan."))
    if is_question and not can_ask_questions(role):
        raise PermissionDenied(_("Only a councillor of the plan's wards can ask a question."))
    LocalityPlan.objects.select_for_update().get(pk=plan.pk)
    body = body.strip()
    earlier = PlanComment.objects.filter(
        plan=plan,
        parent=parent,
        item=None if parent else item,
        author=user,
        body=body,
        created_at__gte=timezone.now() - datetime.timedelta(seconds=DUPLICATE_WINDOW_SECONDS),
    ).first()
    if earlier is not None:
        return CommentResult(comment=earlier, created=False)
    comment = PlanComment(
        plan=plan,
        parent=parent,
        item=None if parent else item,
        item_title=item.title if item is not None and parent is None else "",
        author=user,
        author_role=role,
        body=body,
        is_question=bool(is_question and parent is None),
    )
    comment.full_clean()
    comment.save()
    enqueue_on_commit(plan_comment_notify, comment.pk)
    return CommentResult(comment=comment, created=True)


@transaction.atomic
def proposal_create(
    *, plan: LocalityPlan, user, kind: str, title: str, detail: str = "", note: str = ""
) -> PlanItemProposal:
    """A local anchor proposes an item (``kind``, a ``PlanItemKind`` value) for its lead
    anchor's draft, with a note saying why; the proposal waits for the lead anchor's decision
    (``proposal_decide``). Made for the proposer's local-anchor organisation (the first by name
    if they edit several).

    The plan row is locked (as ``plan_share`` and ``plan_publish`` lock it), so a proposal
    never lands on a plan shared in the same moment: one waits for the other.

    Raises:
        PermissionDenied: ``user`` edits no local anchor under the plan's lead anchor for its
            place (``permissions.proposing_organisations``, the rule of ``can_propose_items``).
        ValidationError: the plan is no longer a draft (shared or published meanwhile).
    """
    current = LocalityPlan.objects.select_for_update(of=("self",)).select_related("locality").get(pk=plan.pk)
    organisation = proposing_organisations(user, current).order_by("name").first()
    if organisation is None:
        raise PermissionDenied(_("You cannot propose items for this plan."))
    if not current.is_draft:
        raise ValidationError(
            _("This plan is no longer a draft, so items can no longer be proposed for it. Nothing was saved."),
            code="stale",
        )
    proposal = PlanItemProposal(
        plan=current, organisation=organisation, proposer=user, kind=kind, title=title, detail=detail, note=note
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_decide(
    *, proposal: PlanItemProposal, user, accept: bool, note: str = "", expected_version: str | None
) -> PlanItemProposal:
    """The lead anchor accepts or declines a proposed item, with a note for the proposer
    (required when declining: the local anchor should know why). Accepting adds the item at
    the end of its section of the plan (the plan row is locked while it is numbered). Once the
    transaction commits, the proposer is emailed the decision
    (``tasks.plan_proposal_decided_notify``).

    ``expected_version`` is the proposal's version when the page was loaded
    (``core.concurrency``): a proposal decided or changed meanwhile is refused.

    Raises:
        PermissionDenied: ``user`` may not change the proposal's plan (``can_decide_proposal``).
        EditConflict: the proposal changed since the page was loaded.
        ValidationError: code ``"decided"`` when it was already decided; ``"note"`` when a
            decline has no note.
    """
    if not can_decide_proposal(user, proposal):
        raise PermissionDenied(_("You cannot decide on items proposed for this plan."))
    LocalityPlan.objects.select_for_update().get(pk=proposal.plan_id)
    locked = PlanItemProposal.objects.select_for_update().get(pk=proposal.pk)
    check_versions([locked], expected_version, noun=_("this proposed item"), fields=("status", "decision_note"))
    if not locked.is_waiting:
        raise ValidationError(
            _("This item was already %(status)s. Nothing was changed.")
            % {"status": locked.get_status_display().lower()},
            code="decided",
        )
    note = note.strip()
    if not accept and not note:
        raise ValidationError(_("Say why you are declining it: the local anchor reads this note"), code="note")
    if accept:
        last = PlanItem.objects.filter(plan_id=locked.plan_id, kind=locked.kind).order_by("-order").first()
        locked.item = PlanItem.objects.create(
            plan_id=locked.plan_id,
            kind=PlanItemKind(locked.kind),
            order=(last.order + 1) if last else 1,
            title=locked.title,
            detail=locked.detail,
        )
    locked.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    locked.decision_note = note
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save()
    enqueue_on_commit(plan_proposal_decided_notify, locked.pk)
    return locked


# ------------------------------------------------------------------------------------------
# Residents raising an item
# ------------------------------------------------------------------------------------------
def plan_item_set_residents_raised(*, counts: dict[int, int]) -> int:
    """Record how many residents raised each plan item: ``counts`` is ``{plan item id: number}``
    (a number of people, 0 or more), worked out by whoever holds the evidence.

    Why a number and not a link: residents' voices (the ``voices`` app) stand on plans, and
    plans must not import them (docs/adr/0006-layers.md, 0012-residents-voices.md). So the
    voices service keeps this count in step whenever a voice is cited, uncited, merged or
    removed, and the plan's pages show "raised by N residents" without knowing what a voice is,
    in no extra query.

    An UPDATE that leaves ``updated_at`` alone: a citation is not an edit of the plan, so an
    editor with the plan open is not told someone changed it. One query per distinct number.
    Returns how many items changed.
    """
    by_number: dict[int, list[int]] = {}
    for item_id, number in counts.items():
        if number < 0:
            raise ValueError(f"A count of residents cannot be negative: {number} for item {item_id}")
        by_number.setdefault(number, []).append(item_id)
    changed = 0
    for number, item_ids in by_number.items():
        changed += (
            PlanItem.objects.filter(pk__in=item_ids).exclude(residents_raised=number).update(residents_raised=number)
        )
    return changed
