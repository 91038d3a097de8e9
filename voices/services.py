"""Writes to residents' voices: a voice sent through "Tell us what matters here", one recorded by
an anchor for a resident, and the anchor's work on them (tagging themes, merging a duplicate,
citing voices on a plan item, moving a voice's status).

Each service checks who may act (``voices.permissions``) itself, so a view, the admin or a
script cannot skip the rule; validates before it saves; and refuses a save made on a stale copy
(``core.concurrency``). Emails go out from tasks, enqueued on commit (``voices.tasks``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import check_versions
from core.notifications import enqueue_on_commit
from localities.models import Locality
from organisations.models import AnchorRole, TaxonomyTerm
from organisations.routing import anchor_for_place
from plans.models import LocalityPlan, PlanItem
from plans.services import plan_item_set_residents_raised

from . import tasks
from .models import HeardVia, Voice, VoiceStatus
from .permissions import can_change_voice, recordable_localities, voice_working_anchors

if TYPE_CHECKING:
    from core.permissions import User


def _theme_ids(themes: Iterable[TaxonomyTerm]) -> list[int]:
    """The ids of ``themes``, refusing any that is not on the plan items' theme list."""
    ids = {theme.pk for theme in themes}
    if ids and TaxonomyTerm.objects.services().filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"themes": _("Choose themes from the list")})
    return sorted(ids)


def _consent_time(may_contact: bool, may_quote: bool):
    return timezone.now() if (may_contact or may_quote) else None


@transaction.atomic
def voice_submit(
    *,
    locality: Locality,
    what_matters: str,
    themes: Iterable[TaxonomyTerm] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    may_contact: bool = False,
    may_quote: bool = False,
) -> Voice:
    """Save a voice sent through the public form about ``locality``, routed to the anchor for the
    place (``organisations.routing.anchor_for_place``, the rule requests for support follow);
    once saved, that anchor's editors are told (``tasks.voice_notify_anchor``).

    Raises:
        ValidationError: a value is not valid (the form checks them first); nothing is saved.
    """
    found = anchor_for_place(locality)
    theme_ids = _theme_ids(themes)
    voice = Voice(
        locality=locality,
        what_matters=what_matters.strip(),
        heard_via=HeardVia.ONLINE,
        anchor=found.anchor,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        may_contact=may_contact,
        may_quote=may_quote,
        consent_given_at=_consent_time(may_contact, may_quote),
    )
    voice.full_clean()
    voice.save()
    voice.themes.set(theme_ids)
    enqueue_on_commit(tasks.voice_notify_anchor, voice.pk)
    return voice


@transaction.atomic
def voice_record(
    *,
    user: User,
    locality: Locality,
    what_matters: str,
    heard_via: str,
    themes: Iterable[TaxonomyTerm] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    may_contact: bool = False,
    may_quote: bool = False,
) -> Voice:
    """Record a voice ``user`` heard from a resident without an account (in conversation, at an
    event, on paper), with the consent the resident gave. It goes to the anchor ``user`` works
    for that serves the place (the one that heard it), else to the place's anchor by the
    routing rule (an officer recording, say).

    Raises:
        PermissionDenied: ``user`` may not record voices about ``locality`` (``recordable_localities``).
        ValidationError: a value is not valid (keyed by field); nothing is saved.
    """
    if not recordable_localities(user).filter(pk=locality.pk).exists():
        raise PermissionDenied(_("You cannot record voices about %(place)s.") % {"place": locality})
    nearest_first = [locality.pk, *reversed(locality.ancestor_ids)]
    own_roles = sorted(
        AnchorRole.objects.current()
        .filter(organisation__in=voice_working_anchors(user).values("pk"), locality_id__in=nearest_first)
        .select_related("organisation"),
        key=lambda role: (nearest_first.index(role.locality_id), role.organisation.name),
    )
    anchor = own_roles[0].organisation if own_roles else anchor_for_place(locality).anchor
    voice = Voice(
        locality=locality,
        what_matters=what_matters.strip(),
        heard_via=heard_via,
        recorded_by=user,
        anchor=anchor,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        may_contact=may_contact,
        may_quote=may_quote,
        consent_given_at=_consent_time(may_contact, may_quote),
    )
    voice.full_clean()
    voice.save()
    voice.themes.set(_theme_ids(themes))
    return voice


def _lock(voice: Voice, user: User, expected_version: str | None, *, fields: list[str]) -> Voice:
    """``voice`` locked for a change by ``user``, as the form loaded it.

    Raises:
        PermissionDenied: ``user`` may not change it (``can_change_voice``).
        EditConflict: it changed since the form was loaded (``core.concurrency``).
    """
    locked = Voice.objects.select_for_update().filter(pk=voice.pk).first()
    if locked is None or not can_change_voice(user, locked):
        raise PermissionDenied(_("You cannot change this voice."))
    check_versions([locked], expected_version, noun=_("this voice"), fields=fields)
    return locked


def _touch(voice: Voice, reason: str) -> None:
    """Save ``voice`` so its version moves on (a many-to-many change alone does not), recording
    ``reason`` in its history."""
    voice._change_reason = reason
    voice.save(update_fields=["updated_at"])


@transaction.atomic
def voice_tag(*, voice: Voice, user: User, themes: Iterable[TaxonomyTerm], expected_version: str | None) -> Voice:
    """Set the themes of ``voice`` (the plan items' theme list); none puts it back in the queue
    of untagged voices.

    Raises:
        PermissionDenied, EditConflict: see ``_lock``.
        ValidationError: a theme is not on the list.
    """
    locked = _lock(voice, user, expected_version, fields=["status", "merged_into"])
    locked.themes.set(_theme_ids(themes))
    _touch(locked, "Themes tagged")
    return locked


def residents_raising(item_ids: Iterable[int]) -> dict[int, int]:
    """``{plan item id: how many residents raised it}`` for ``item_ids``: the voices cited on it
    that count (``VoiceQuerySet.counted``: a merged duplicate counts as its target), 0 when
    none. One query."""
    ids = set(item_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        Voice.objects.counted()
        .filter(cited_on__in=ids)
        .values("cited_on")
        .annotate(residents=Count("pk", distinct=True))
        .values_list("cited_on", "residents")
    )
    counts.update(dict(rows))
    return counts


def recount_items(item_ids: Iterable[int]) -> None:
    """Work out again how many residents raised each of ``item_ids`` and store it on the items
    (``plans.services.plan_item_set_residents_raised``)."""
    ids = set(item_ids)
    if ids:
        plan_item_set_residents_raised(counts=residents_raising(ids))


def citable_items(user: User | None):
    """The plan items ``user`` may cite voices on: those of the plans they may change
    (``LocalityPlanQuerySet.editable_by``)."""
    return PlanItem.objects.filter(plan__in=LocalityPlan.objects.editable_by(user).values("pk"))


@transaction.atomic
def voice_merge(*, voice: Voice, into: Voice, user: User, expected_version: str | None) -> Voice:
    """Merge ``voice`` (a duplicate) into ``into``: it then counts once, as ``into``. Its own
    duplicates follow it, its themes and the plan items it was cited on pass to ``into``, and
    those items' counts are worked out again. Returns ``into``.

    Raises:
        PermissionDenied: ``user`` may not change one of the two voices.
        EditConflict: ``voice`` changed since the form was loaded.
        ValidationError: ``into`` is ``voice``, or is itself merged into another voice.
    """
    locked = _lock(voice, user, expected_version, fields=["status", "merged_into"])
    target = Voice.objects.select_for_update().filter(pk=into.pk).first()
    if target is None or not can_change_voice(user, target):
        raise PermissionDenied(_("You cannot merge into that voice."))
    if target.pk == locked.pk:
        raise ValidationError({"into": _("Choose another voice to merge this one into")})
    if locked.is_merged:
        raise ValidationError({"into": _("This voice is already merged into another")})
    if target.is_merged:
        raise ValidationError({"into": _("That voice is merged into another: merge into that one instead")})
    cited = set(locked.cited_on.values_list("pk", flat=True))
    Voice.objects.filter(merged_into=locked).update(merged_into=target)
    locked.merged_into = target
    locked._change_reason = f"Merged into voice {target.pk}"
    locked.save(update_fields=["merged_into", "updated_at"])
    target.themes.add(*locked.themes.all())
    target.cited_on.add(*cited)
    _touch(target, f"Voice {locked.pk} merged into it")
    recount_items(cited)
    return target


@transaction.atomic
def voice_cite(*, voice: Voice, user: User, items: Iterable[PlanItem], expected_version: str | None) -> Voice:
    """Make ``items`` the plan items ``voice`` is cited on as evidence, and work out again how
    many residents raised each item it is added to or taken from (``residents_raising``).
    Citations on plans ``user`` cannot change stay as they were.

    Raises:
        PermissionDenied: ``user`` may not change the voice, or an item is not on a plan they
            may change (``citable_items``).
        EditConflict: the voice changed since the form was loaded.
        ValidationError: the voice is merged into another (cite that one).
    """
    locked = _lock(voice, user, expected_version, fields=["status", "merged_into"])
    if locked.is_merged:
        raise ValidationError({"items": _("This voice is merged into another: cite that one instead")})
    wanted = {item.pk for item in items}
    allowed = set(citable_items(user).values_list("pk", flat=True))
    if wanted - allowed:
        raise PermissionDenied(_("You cannot cite voices on one of these plan items."))
    before = set(locked.cited_on.values_list("pk", flat=True))
    kept_elsewhere = before - allowed
    locked.cited_on.set(wanted | kept_elsewhere)
    _touch(locked, "Cited on plan items")
    recount_items(before ^ (wanted | kept_elsewhere))
    return locked


@transaction.atomic
def voice_move(*, voice: Voice, user: User, to_status: str, reason: str = "", expected_version: str | None) -> Voice:
    """Move ``voice`` one step (``NEXT_STATUSES``): heard → in the plan → acted on, or not taken
    forward with a ``reason``. A resident who consented to be contacted back is emailed
    (``tasks.voice_notify_resident``) once the change is saved.

    Raises:
        PermissionDenied, EditConflict: see ``_lock``.
        ValidationError: the step is not allowed from where the voice is, or the reason is
            missing; nothing is saved.
    """
    locked = _lock(voice, user, expected_version, fields=["status", "status_reason", "merged_into"])
    if locked.is_merged:
        raise ValidationError(_("This voice is merged into another: change that one instead."), code="merged")
    if to_status not in locked.next_statuses():
        raise ValidationError(_("Choose one of the next steps shown."), code="invalid_step")
    reason = reason.strip()
    if to_status == VoiceStatus.NOT_TAKEN_FORWARD and not reason:
        raise ValidationError({"reason": _("Say why it is not taken forward")})
    locked.status = to_status
    locked.status_reason = reason if to_status == VoiceStatus.NOT_TAKEN_FORWARD else ""
    locked.status_changed_at = timezone.now()
    locked.full_clean()
    locked.save()
    if locked.may_contact and locked.contact_email:
        enqueue_on_commit(tasks.voice_notify_resident, locked.pk, to_status)
    return locked
