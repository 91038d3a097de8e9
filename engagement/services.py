"""Writes to the network's activity that take more than one step or have side effects: an
anchor's own entries on its engagement log; the skills and assets exchange's offers and
needs, and accepting a match, which logs an engagement; a request for support received, and
each step it takes (recorded on the engagement log, with its emails).

Each service checks who may act (``engagement.permissions``) itself, so a view, the admin or a
script cannot skip the rule, and validates before it saves (``full_clean``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.concurrency import check_versions
from core.notifications import enqueue_on_commit
from core.permissions import is_officer
from localities.models import Locality, path_ids
from organisations.models import AnchorRole, Organisation

from . import tasks
from .models import (
    Engagement,
    EngagementKind,
    ExchangeEntry,
    QuietNote,
    SupportRelationship,
    SupportRequest,
    SupportRequestStatus,
)
from .permissions import (
    can_handle_request,
    engagement_anchors_for,
    exchange_organisations_for,
    organisations_able_to_meet,
    relationship_anchors_for,
)
from .routing import route_for
from .selectors import engagement_staff_for, outreach_groups

if TYPE_CHECKING:
    from core.permissions import User

# ------------------------------------------------------------------------------------------
# The skills and assets exchange
# ------------------------------------------------------------------------------------------
# The fields of an offer or need its editors change (the organisation stays as it was made).
EXCHANGE_EDITABLE_FIELDS = ("direction", "term", "description")
# The engagement's outcome holds the match's sentence and the accepting person's note.
NOTE_MAX_LENGTH = 200


@transaction.atomic
def exchange_entry_create(
    *, user: User, organisation: Organisation, direction: str, term, description: str
) -> ExchangeEntry:
    """Add a current offer or need for ``organisation``.

    Raises:
        PermissionDenied: ``user`` may not speak for ``organisation`` (``exchange_organisations_for``).
        ValidationError: the values do not make a valid entry (a term from another taxonomy).
    """
    if not exchange_organisations_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You cannot add offers or needs for this organisation."))
    entry = ExchangeEntry(organisation=organisation, direction=direction, term=term, description=description)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def exchange_entry_update(
    *,
    entry: ExchangeEntry,
    user: User,
    values: dict[str, Any],
    still_current: bool,
    expected_version: str | None,
) -> ExchangeEntry:
    """Change an offer or need (``values``: any of ``EXCHANGE_EDITABLE_FIELDS``), and close it
    (``still_current=False``: no longer current from now, closed by ``user``) or open it again
    (``still_current=True`` on a closed one: who met it is forgotten; the engagement logged for
    the match stays on the log).

    Raises:
        PermissionDenied: ``user`` may not change it (``ExchangeEntry.objects.editable_by``).
        EditConflict: it changed since the form was loaded (``expected_version``, see
            ``core.concurrency``); nothing is saved.
        ValidationError: the values do not make a valid entry.
    """
    locked = ExchangeEntry.objects.select_for_update().editable_by(user).filter(pk=entry.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this offer or need."))
    check_versions(
        [locked], expected_version, noun=_("this offer or need"), fields=[*EXCHANGE_EDITABLE_FIELDS, "closed_at"]
    )
    for name in EXCHANGE_EDITABLE_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    if not still_current and locked.is_current:
        locked.closed_at, locked.closed_by = timezone.now(), user
    elif still_current and not locked.is_current:
        locked.closed_at = locked.closed_by = locked.met_by = locked.engagement = None
    locked.full_clean()
    locked.save()
    return locked


def exchange_anchor_for(*, offerer: Organisation, need_organisation: Organisation) -> Organisation | None:
    """The anchor whose log records a match between ``offerer`` and ``need_organisation``.

    ``Engagement`` is an anchor's log of its contacts (issue 13: "an anchor's contact with an
    organisation"), so a match between two organisations belongs on one anchor's log:

    1. the offering organisation, if it holds a current anchor role: it did the work, and its
       log is where its contacts go;
    2. otherwise the needing organisation, if it is an anchor itself;
    3. otherwise the needing group's own anchor: the anchor supporting it today (an active
       ``SupportRelationship``, the longest-standing first);
    4. otherwise the anchor for a place the group serves, the nearest first (a local anchor
       for its ward before the lead anchor for the area; in Leeds, the ward's anchor).

    None when nothing anchors either organisation (a match between two unanchored groups has no
    log to go on). A few queries, whatever the organisations.
    """
    for organisation in (offerer, need_organisation):
        if AnchorRole.objects.current().filter(organisation=organisation).exists():
            return organisation
    supporting = (
        SupportRelationship.objects.active()
        .filter(group=need_organisation)
        .select_related("anchor")
        .order_by("started_on", "pk")
        .first()
    )
    if supporting is not None:
        return supporting.anchor
    places: set[int] = set()
    for pk, path in need_organisation.localities.values_list("pk", "ancestor_path"):
        places |= {pk, *path_ids(path)}
    role = (
        AnchorRole.objects.current()
        .filter(locality_id__in=places)
        .select_related("organisation")
        .order_by("-locality__ancestor_path", "organisation__name", "pk")
        .first()
    )
    return role.organisation if role is not None else None


def exchange_need_closed_message(need: ExchangeEntry) -> str:
    """What someone accepting ``need`` is told once it is no longer current: who met it and when."""
    when = date_format(timezone.localtime(need.closed_at), "j F Y")
    if need.met_by_id is not None:
        return _("%(organisation)s met this need on %(date)s, so nothing was changed: it is no longer open.") % {
            "organisation": need.met_by.name,
            "date": when,
        }
    return _("This need was closed on %(date)s, so nothing was changed: it is no longer open.") % {"date": when}


@transaction.atomic
def exchange_match_accept(*, need: ExchangeEntry, offerer: Organisation, user: User, note: str = "") -> Engagement:
    """Accept a match: ``offerer`` (an organisation ``user`` speaks for, with a current offer of
    the same skill or asset) meets ``need``. In one transaction:

    - the need is closed as met by ``offerer``, by ``user``, now — with a conditional UPDATE
      (``WHERE closed_at IS NULL``), so of two people accepting at once exactly one wins, on
      every database;
    - one ``Engagement`` of kind "Skills exchange", today, is logged on the anchor chosen by
      ``exchange_anchor_for``, involving both organisations (so it counts once for each), with
      ``user`` as the anchor's staff when they belong to it, and ``note`` in its outcome.

    Returns the engagement.

    Raises:
        ValidationError: ``need`` is not a need (code ``"not_a_need"``); it is no longer current,
            e.g. someone else met it first (code ``"already_met"``; nothing changed); or neither
            organisation has an anchor to log it on (code ``"no_anchor"``).
        PermissionDenied: ``user`` may not accept it for ``offerer``.
    """
    if not need.is_need:
        raise ValidationError(_("Only a need can be met."), code="not_a_need")
    if not organisations_able_to_meet(user, need).filter(pk=offerer.pk).exists():
        raise PermissionDenied(_("You cannot accept this match for that organisation."))
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note to %(count)s characters or fewer.") % {"count": NOTE_MAX_LENGTH})
    anchor = exchange_anchor_for(offerer=offerer, need_organisation=need.organisation)
    if anchor is None:
        raise ValidationError(
            _("Neither organisation has an anchor whose log could record this, so nothing was changed."),
            code="no_anchor",
        )
    now = timezone.now()
    claimed = ExchangeEntry.objects.filter(pk=need.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=user, met_by=offerer, updated_at=now
    )
    if not claimed:
        current = ExchangeEntry.objects.select_related("met_by").get(pk=need.pk)
        raise ValidationError(exchange_need_closed_message(current), code="already_met")
    outcome = _("Skills exchange: %(offerer)s meets %(needer)s's need (%(term)s).") % {
        "offerer": offerer.name,
        "needer": need.organisation.name,
        "term": need.term.name,
    }
    if note.strip():
        outcome = f"{outcome} {note.strip()}"
    staff = user if Organisation.objects.with_member(user).filter(pk=anchor.pk).exists() else None
    engagement = Engagement(
        anchor=anchor,
        occurred_on=timezone.localdate(),
        kind=EngagementKind.SKILLS_EXCHANGE,
        staff=staff,
        outcome=outcome[: Engagement._meta.get_field("outcome").max_length],
    )
    engagement.full_clean()
    engagement.save()
    engagement.organisations.set([need.organisation_id, offerer.pk])
    # Saved (not updated) once more so the audit history holds the need as met, with its link.
    met = ExchangeEntry.objects.get(pk=need.pk)
    met.engagement = engagement
    met.save(update_fields=["engagement", "updated_at"])
    return engagement


# ------------------------------------------------------------------------------------------
# The engagement log: an anchor's own entries
# ------------------------------------------------------------------------------------------
# What an anchor records by hand. The other kinds are written by the portal itself (a match
# accepted in the exchange, a step of a request for support) and keep their kind when edited.
RECORDED_KINDS = tuple(
    kind for kind in EngagementKind if kind not in (EngagementKind.SKILLS_EXCHANGE, EngagementKind.SUPPORT_REQUEST)
)
# The fields an entry's editors change; the anchor (whose log it is on) and the request for
# support it records a step of stay as they were made.
ENGAGEMENT_EDITABLE_FIELDS = ("occurred_on", "kind", "staff", "outcome", "follow_up_on")


def _engagement_errors(
    *, anchor: Organisation, organisations, values: dict[str, Any], before: Engagement | None
) -> dict[str, str]:
    """The rules an entry's values break, by field: empty when none. ``before`` is the entry as
    stored, whose own organisations, kind and staff member stay allowed."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    occurred_on, follow_up_on = values["occurred_on"], values.get("follow_up_on")
    if occurred_on > today:
        errors["occurred_on"] = _("The date of the contact must be today or in the past")
    if follow_up_on is not None and follow_up_on < occurred_on:
        errors["follow_up_on"] = _("The follow-up date must be on or after the date of the contact")
    kept_kind = before.kind if before is not None else None
    if values["kind"] not in RECORDED_KINDS and values["kind"] != kept_kind:
        errors["kind"] = _("Choose the kind of contact from the list")
    staff = values.get("staff")
    kept_staff = before.staff_id if before is not None else None
    if staff is not None and staff.pk != kept_staff and not engagement_staff_for([anchor]).filter(pk=staff.pk).exists():
        errors["staff"] = _("Choose someone from %(anchor)s") % {"anchor": anchor.name}
    if not organisations:
        errors["organisations"] = _("Choose at least one organisation")
    return errors


def _allowed_organisations(*, user: User, organisations, before: Engagement | None) -> bool:
    """Whether every one of ``organisations`` is a group ``user`` works with
    (``outreach_groups``), or was on the entry already (an organisation that has since left
    the patch, or the anchor a match in the exchange named, stays on its entry)."""
    wanted = {organisation.pk for organisation in organisations}
    kept = set(before.organisations.values_list("pk", flat=True)) if before is not None else set()
    missing = wanted - kept
    if not missing:
        return True
    return outreach_groups(user=user).filter(pk__in=missing).count() == len(missing)


@transaction.atomic
def engagement_record(
    *,
    user: User,
    anchor: Organisation,
    organisations: list[Organisation],
    occurred_on,
    kind: str,
    staff=None,
    outcome: str = "",
    follow_up_on=None,
    officer_notes: str = "",
) -> Engagement:
    """Record a contact on ``anchor``'s log with ``organisations`` (one or more), on
    ``occurred_on`` (a date, not in the future), of ``kind`` (one of ``RECORDED_KINDS``), by
    ``staff`` (a member of the anchor, or None), with a short ``outcome`` and an optional
    ``follow_up_on`` date (on or after the contact), which puts it on the follow-up list.
    ``officer_notes`` are kept only when ``user`` is an officer.

    Raises:
        PermissionDenied: ``user`` may not record on ``anchor``'s log (``engagement_anchors_for``),
            or an organisation is not one of the groups they work with (``outreach_groups``).
        ValidationError: a rule above is broken (keyed by field); nothing is saved.
    """
    if not engagement_anchors_for(user).filter(pk=anchor.pk).exists():
        raise PermissionDenied(_("You cannot record engagements for this organisation."))
    values = {"occurred_on": occurred_on, "kind": kind, "staff": staff, "follow_up_on": follow_up_on}
    errors = _engagement_errors(anchor=anchor, organisations=organisations, values=values, before=None)
    if errors:
        raise ValidationError(errors)
    if not _allowed_organisations(user=user, organisations=organisations, before=None):
        raise PermissionDenied(_("You cannot record engagements with one of these organisations."))
    engagement = Engagement(
        anchor=anchor,
        occurred_on=occurred_on,
        kind=kind,
        staff=staff,
        outcome=outcome.strip(),
        follow_up_on=follow_up_on,
        officer_notes=officer_notes.strip() if is_officer(user) else "",
    )
    engagement.full_clean()
    engagement.save()
    engagement.organisations.set(organisations)
    return engagement


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    user: User,
    organisations: list[Organisation],
    values: dict[str, Any],
    expected_version: str | None,
    officer_notes: str | None = None,
) -> Engagement:
    """Change an entry of the log (``values``: every one of ``ENGAGEMENT_EDITABLE_FIELDS``)
    and the ``organisations`` it involved, by the rules of ``engagement_record``. Its anchor
    and its request for support, if any, stay. ``officer_notes`` change only when ``user`` is
    an officer and passes them (None: as they were). Moving the follow-up date to another day
    makes the follow-up to do again.

    Raises:
        PermissionDenied: ``user`` may not change it (``Engagement.objects.editable_by``), or
            an organisation added is not one of the groups they work with.
        EditConflict: it changed since the form was loaded (``expected_version``, see
            ``core.concurrency``); nothing is saved.
        ValidationError: a rule is broken (keyed by field); nothing is saved.
    """
    locked = (
        Engagement.objects.select_for_update()
        .editable_by(user)
        .select_related("anchor")
        .filter(pk=engagement.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot change this entry."))
    check_versions(
        [locked], expected_version, noun=_("this entry"), fields=[*ENGAGEMENT_EDITABLE_FIELDS, "officer_notes"]
    )
    errors = _engagement_errors(anchor=locked.anchor, organisations=organisations, values=values, before=locked)
    if errors:
        raise ValidationError(errors)
    if not _allowed_organisations(user=user, organisations=organisations, before=locked):
        raise PermissionDenied(_("You cannot record engagements with one of these organisations."))
    if values.get("follow_up_on") != locked.follow_up_on:
        locked.follow_up_done = False
    for name in ENGAGEMENT_EDITABLE_FIELDS:
        setattr(locked, name, values[name].strip() if name == "outcome" else values[name])
    if officer_notes is not None and is_officer(user):
        locked.officer_notes = officer_notes.strip()
    locked.full_clean()
    locked.save()
    locked.organisations.set(organisations)
    return locked


# ------------------------------------------------------------------------------------------
# Support relationships
# ------------------------------------------------------------------------------------------
# What a relationship's editors change; the anchor giving the support stays as it was made.
RELATIONSHIP_EDITABLE_FIELDS = ("group", "kind", "started_on", "ended_on", "end_reason")


def _check_group(*, user: User, group: Organisation, kept: int | None) -> None:
    """Refuse a group ``user`` does not work with (``outreach_groups``), unless it is the one
    the relationship names already (``kept``)."""
    if group.pk != kept and not outreach_groups(user=user).filter(pk=group.pk).exists():
        raise PermissionDenied(_("You cannot record support for this organisation."))


@transaction.atomic
def support_relationship_create(
    *, user: User, anchor: Organisation, group: Organisation, kind: str, started_on, ended_on=None, end_reason=""
) -> SupportRelationship:
    """Record that ``anchor`` supports ``group`` in one way (``kind``) from ``started_on`` (a
    date; in the future makes it upcoming) to ``ended_on`` (its last day, or None while it goes
    on), with ``end_reason`` when it has ended. Its status follows from the dates alone.

    Raises:
        PermissionDenied: ``user`` may not record for ``anchor`` (``relationship_anchors_for``)
            or ``group`` is not one they work with (``outreach_groups``).
        ValidationError: the dates or reason break the model's rules (keyed by field).
    """
    if not relationship_anchors_for(user).filter(pk=anchor.pk).exists():
        raise PermissionDenied(_("You cannot record support given by this organisation."))
    _check_group(user=user, group=group, kept=None)
    relationship = SupportRelationship(
        anchor=anchor,
        group=group,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=end_reason.strip(),
    )
    relationship.full_clean()
    relationship.save()
    return relationship


@transaction.atomic
def support_relationship_update(
    *, relationship: SupportRelationship, user: User, values: dict[str, Any], expected_version: str | None
) -> SupportRelationship:
    """Change a support relationship (``values``: every one of ``RELATIONSHIP_EDITABLE_FIELDS``),
    for example to end it: an end date (its last day of support) and why.

    Raises:
        PermissionDenied: ``user`` may not change it (``SupportRelationship.objects.editable_by``),
            or the group chosen is not one they work with.
        EditConflict: it changed since the form was loaded (``core.concurrency``); nothing saved.
        ValidationError: the values break the model's rules (keyed by field); nothing saved.
    """
    locked = SupportRelationship.objects.select_for_update().editable_by(user).filter(pk=relationship.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot change this support relationship."))
    check_versions([locked], expected_version, noun=_("this support relationship"), fields=RELATIONSHIP_EDITABLE_FIELDS)
    _check_group(user=user, group=values["group"], kept=locked.group_id)
    for name in RELATIONSHIP_EDITABLE_FIELDS:
        setattr(locked, name, values[name].strip() if name == "end_reason" else values[name])
    locked.full_clean()
    locked.save()
    return locked


# ------------------------------------------------------------------------------------------
# Why a group is quiet
# ------------------------------------------------------------------------------------------
@transaction.atomic
def quiet_note_record(*, user: User, organisation: Organisation, reason: str, note: str = "") -> QuietNote:
    """Record why ``organisation`` is quiet: a ``QuietReason`` (the Kirklees scrutiny panel's
    coded list) and a short ``note``, by ``user``. The latest note is the group's reason on the
    outreach list; earlier ones stay, as its history.

    Raises:
        PermissionDenied: ``organisation`` is not a group ``user`` works with (``outreach_groups``).
        ValidationError: the reason is not on the list, or the note is too long (keyed by field).
    """
    if not outreach_groups(user=user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You cannot record why this group is quiet."))
    quiet_note = QuietNote(organisation=organisation, reason=reason, note=note.strip(), recorded_by=user)
    quiet_note.full_clean()
    quiet_note.save()
    return quiet_note


# ------------------------------------------------------------------------------------------
# The engagement log's follow-ups
# ------------------------------------------------------------------------------------------
def engagement_follow_up_done(*, engagement_id: int, user: User) -> bool:
    """Mark the follow-up of entry ``engagement_id`` done, once: True if this call did it, False
    if it was done already (someone else got there first; nothing changes).

    A conditional UPDATE claims it, so two people marking the same follow-up at once cannot
    both succeed, on SQLite as on PostgreSQL; the save after it records the change, and who
    made it, in the history.

    Raises:
        Engagement.DoesNotExist: there is no such entry among those ``user`` may change
        (``Engagement.objects.editable_by``), or it has no follow-up.
    """
    entries = Engagement.objects.editable_by(user).filter(pk=engagement_id, follow_up_on__isnull=False)
    with transaction.atomic():
        claimed = entries.filter(follow_up_done=False).update(follow_up_done=True)
        engagement = entries.get()
        if not claimed:
            return False
        engagement._change_reason = "Follow-up done"
        engagement.save(update_fields=["follow_up_done", "updated_at"])
    return True


# ------------------------------------------------------------------------------------------
# Requests for support
# ------------------------------------------------------------------------------------------
STEP_OUTCOMES = {
    SupportRequestStatus.ACKNOWLEDGED: "Request %(reference)s acknowledged.",
    SupportRequestStatus.IN_PROGRESS: "Work started on request %(reference)s.",
    SupportRequestStatus.CLOSED: "Request %(reference)s closed: %(outcome)s",
}


@transaction.atomic
def support_request_submit(
    *,
    group_name: str,
    need: str,
    locality: Locality,
    postcode_district: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
) -> SupportRequest:
    """Save a request from the public form, routed by ``engagement.routing.route_for``, with its
    reference; once saved, the anchor's editors are told and the requester gets the reference
    (``engagement.tasks``). The person consented by sending the form (the form requires it).

    Raises:
        ValidationError: a field is not valid (the form checks them first).
    """
    route = route_for(locality)
    request = SupportRequest(
        group_name=group_name,
        need=need,
        locality=locality,
        postcode_district=postcode_district,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        consented_at=timezone.now(),
        anchor=route.anchor,
        network=route.network,
        route=route.route,
        # Unique until the record has its number; replaced just below.
        reference=f"NEW-{timezone.now():%H%M%S%f}",
    )
    request.full_clean()
    request.save()
    request.reference = SupportRequest.reference_for(request.pk, timezone.localdate(request.created_at).year)
    request.save(update_fields=["reference"])
    enqueue_on_commit(tasks.support_request_notify_anchor, request.pk)
    enqueue_on_commit(tasks.support_request_send_receipt, request.pk)
    return request


@transaction.atomic
def support_request_advance(
    *, request: SupportRequest, user, to_status: str, expected_status: str, outcome: str = ""
) -> SupportRequest:
    """Move ``request`` one step on (``NEXT_STATUSES``) and record the step on the anchor's
    engagement log (kind "Request for support", by ``user``). Closing needs an ``outcome``.

    Raises:
        PermissionDenied: ``user`` may not handle this request.
        ValidationError: the request is no longer at ``expected_status`` (someone moved it
            meanwhile: nothing is changed), the step is not allowed, the outcome is missing, or
            the request has no anchor yet.
    """
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not can_handle_request(user, locked):
        raise PermissionDenied(_("You cannot change this request."))
    if locked.status != expected_status:
        raise ValidationError(
            _("Someone else changed this request meanwhile: it is now “%(status)s”. Check it, then try again.")
            % {"status": locked.get_status_display()},
            code="stale",
        )
    if to_status not in locked.next_statuses():
        raise ValidationError(_("Choose one of the next steps shown."), code="invalid_step")
    if locked.anchor_id is None:
        raise ValidationError(_("Choose the anchor for this request first, in the admin."), code="unrouted")
    outcome = outcome.strip()
    if to_status == SupportRequestStatus.CLOSED and not outcome:
        raise ValidationError({"outcome": _("Say what came of the request before closing it")})
    now = timezone.now()
    locked.status = to_status
    if to_status == SupportRequestStatus.ACKNOWLEDGED or locked.acknowledged_at is None:
        locked.acknowledged_at = locked.acknowledged_at or now
    if to_status == SupportRequestStatus.CLOSED:
        locked.closed_at, locked.outcome = now, outcome
    locked.save(update_fields=["status", "acknowledged_at", "closed_at", "outcome", "updated_at"])
    Engagement.objects.create(
        anchor_id=locked.anchor_id,
        occurred_on=timezone.localdate(now),
        kind=EngagementKind.SUPPORT_REQUEST,
        staff=user,
        outcome=(STEP_OUTCOMES[to_status] % {"reference": locked.reference, "outcome": outcome})[:300],
        support_request=locked,
    )
    return locked
