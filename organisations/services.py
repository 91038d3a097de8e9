"""Writes to organisations that take more than one step: profile edits held for review, their
approval and rejection, a new group sent in for review, and restoring a deleted organisation
with its relations.

Every function checks the acting user's scope through ``organisations.permissions`` and raises
``django.core.exceptions.PermissionDenied`` outside it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import Change, check_row_versions, check_versions, shown
from core.db import free_slug
from core.models import PublicationStatus
from core.notifications import enqueue_on_commit
from core.permissions import is_officer
from localities.models import Locality

from .models import (
    GroupSubmission,
    GroupSubmissionStatus,
    Organisation,
    ProfileRevision,
    ProfileRevisionStatus,
    Schedule,
    TaxonomyTerm,
)
from .permissions import can_decide_group_submission, can_edit_organisation, needs_review
from .tasks import group_submission_notify_reviewer, group_submission_notify_submitter


def profile_values(organisation: Organisation) -> dict[str, Any]:
    """The editable fields of ``organisation`` as JSON-ready values; many-to-many fields as
    sorted id lists."""
    values: dict[str, Any] = {}
    for name in ProfileRevision.EDITABLE_FIELDS:
        field = Organisation._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(organisation, name).values_list("pk", flat=True))
        else:
            values[name] = getattr(organisation, name)
    return values


def profile_values_from_form(form) -> dict[str, Any]:
    """The editable fields a valid profile ``ModelForm`` changed (``form.changed_data``, against
    the profile it showed), as JSON-ready values: plain fields from ``form.instance``, which
    model validation has normalised (``ls1 1ur`` → ``LS1 1UR``), many-to-many fields from
    ``cleaned_data`` as sorted id lists."""
    values: dict[str, Any] = {}
    for name in ProfileRevision.EDITABLE_FIELDS:
        if name not in form.cleaned_data or name not in form.changed_data:
            continue
        if Organisation._meta.get_field(name).many_to_many:
            values[name] = sorted(item.pk for item in form.cleaned_data[name])
        else:
            values[name] = getattr(form.instance, name)
    return values


def _apply(organisation: Organisation, values: dict[str, Any], *, reason: str) -> None:
    """Write ``values`` onto ``organisation``, validated, with ``reason`` in its history."""
    m2m = {}
    for name, value in values.items():
        if Organisation._meta.get_field(name).many_to_many:
            m2m[name] = value
        else:
            setattr(organisation, name, value)
    organisation.full_clean(validate_constraints=False)
    organisation._change_reason = reason  # simple-history stores it on the history row
    organisation.save()
    for name, ids in m2m.items():
        getattr(organisation, name).set(ids)


@transaction.atomic
def organisation_profile_edit(
    *, organisation: Organisation, user, values: dict[str, Any], expected_version: str | None
) -> ProfileRevision | None:
    """Save an edit to ``organisation``'s profile by ``user``: ``values`` holds the fields the
    editor changed, and only those.

    Officers' edits, and edits to a profile not yet published, go live at once (returns None).
    An editor's edit to a published profile is held as the organisation's pending
    ``ProfileRevision`` (one at a time: a later edit adds its changes to it) and returned; the
    revision records only the fields editors changed, and the live values of those fields
    when they first changed them, so the officer reviews exactly what changed.

    ``expected_version`` is the version of the profile and of its pending edit when the editor
    opened the form (``core.concurrency``): if either changed since, nothing is saved.

    Raises:
        PermissionDenied: the user may not edit this organisation.
        EditConflict: the profile or its pending edit changed since the form was loaded.
        ValidationError: the values are not valid for an organisation.
    """
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied
    unknown = set(values) - set(ProfileRevision.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    revision = ProfileRevision.objects.select_for_update().pending().filter(organisation=organisation).first()
    check_versions(
        [organisation, revision],
        expected_version,
        noun=_("this profile"),
        describe=lambda moments: _profile_changes_since(organisation, moments),
    )
    if not needs_review(user, organisation):
        if values:
            _apply(organisation, values, reason=_("Edited by %(user)s") % {"user": user})
        return None
    if not values:
        return revision
    if revision is None:
        revision = ProfileRevision(organisation=organisation, proposed={}, published={})
    live = _json_ready(profile_values(organisation))
    # The profile as it was before the first edit of each field: what the officer compares with.
    revision.published = {**{name: live[name] for name in values}, **revision.published}
    revision.proposed = {**revision.proposed, **_json_ready(values)}
    revision.submitted_by = user
    revision.save()
    return revision


def organisation_schedules_check(*, organisation: Organisation, user, loaded: dict[int, str | None]) -> None:
    """Before a save of ``organisation``'s opening times by ``user`` (in the caller's
    transaction): refuse it unless ``user`` may edit the organisation, and refuse it when a row
    they changed or removed was changed by someone else since their form was loaded (``loaded``:
    row id → version token, ``core.concurrency.check_row_versions``). Opening times go live at
    once, without review: they are facts about the place that residents need current, and every
    change is in the schedule's audit history.

    Raises:
        PermissionDenied: the user may not edit this organisation.
        RowEditConflict: an opening time this person changed or removed changed meanwhile.
    """
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied
    check_row_versions(
        Schedule.objects.filter(organisation=organisation),
        loaded,
        noun=_("this opening time"),
        fields=Schedule.EDITABLE_FIELDS,
    )


def profile_as_shown(organisation: Organisation) -> dict[str, Any]:
    """The profile an editor's form shows now: the live values with the edit waiting for
    review, if any, laid over them (JSON-ready)."""
    pending = organisation.revisions.pending().first()
    return {**_json_ready(profile_values(organisation)), **(pending.proposed if pending else {})}


def _profile_changes_since(organisation: Organisation, moments: list) -> list[Change]:
    """What changed in the profile as an editor's form shows it (``profile_as_shown``) since
    the form was loaded, when the organisation's version was saved at ``moments[0]`` and its
    pending edit's at ``moments[1]`` (``None``: there was none); read from the audit history.
    Empty when the history does not hold those versions."""
    organisation_moment, revision_moment = moments
    then_row = organisation.history.filter(updated_at=organisation_moment).order_by("-history_date").first()
    if then_row is None:
        return []
    then = {}
    for name in ProfileRevision.EDITABLE_FIELDS:
        field = Organisation._meta.get_field(name)
        if field.many_to_many:
            column = _m2m_target_column(name)
            then[name] = sorted(getattr(then_row, name).values_list(column, flat=True))
        else:
            then[name] = getattr(then_row, name)
    then = _json_ready(then)
    if revision_moment is not None:
        revision_then = (
            ProfileRevision.history.filter(organisation_id=organisation.pk, updated_at=revision_moment)
            .order_by("-history_date")
            .first()
        )
        then.update(revision_then.proposed if revision_then else {})
    now = profile_as_shown(organisation)
    changes = []
    for name in ProfileRevision.EDITABLE_FIELDS:
        if then.get(name) != now.get(name):
            field = Organisation._meta.get_field(name)
            changes.append(
                Change(
                    name,
                    str(field.verbose_name).capitalize(),
                    then.get(name),
                    now.get(name),
                    shown(field, then.get(name)),
                    shown(field, now.get(name)),
                )
            )
    return changes


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (value if isinstance(value, list | int | bool) or value is None else str(value))
        for name, value in values.items()
    }


@transaction.atomic
def profile_revision_approve(*, revision: ProfileRevision, user, note: str = "") -> Organisation:
    """Publish a held edit: apply what the editor changed to the organisation and record who
    approved it.

    Only the fields the editor changed (``proposed`` differs from ``published``, the profile
    as it was when they edited) are written: a field an officer has changed since, and the
    editor did not touch, keeps the officer's value. Where both changed the same field, the
    review page shows the value live now beside the proposal, and approving takes the
    proposal.

    Raises:
        PermissionDenied: ``user`` is not an officer.
        ValidationError: the edit is no longer pending, or no longer valid.
    """
    if not is_officer(user):
        raise PermissionDenied
    revision = ProfileRevision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(_("This edit has already been reviewed."))
    organisation = revision.organisation
    _apply(
        organisation,
        {name: revision.proposed[name] for name in profile_revision_changed_fields(revision)},
        reason=_("Approved edit by %(editor)s") % {"editor": revision.submitted_by or _("a former user")},
    )
    _close(revision, user=user, status=ProfileRevisionStatus.APPROVED, note=note)
    return organisation


@transaction.atomic
def profile_revision_reject(*, revision: ProfileRevision, user, note: str) -> None:
    """Turn down a held edit with a note to the editor; the published profile is unchanged.
    Raises ``PermissionDenied`` unless ``user`` is an officer, ``ValidationError`` without a
    note or when the edit is no longer pending."""
    if not is_officer(user):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError(_("Say why the edit is rejected, so the editor can put it right."))
    revision = ProfileRevision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(_("This edit has already been reviewed."))
    _close(revision, user=user, status=ProfileRevisionStatus.REJECTED, note=note)


def _close(revision: ProfileRevision, *, user, status: str, note: str) -> None:
    revision.status = status
    revision.reviewed_by = user
    revision.reviewed_at = timezone.now()
    revision.review_note = note
    revision.save()


def profile_revision_changed_fields(revision: ProfileRevision) -> list[str]:
    """The fields a held edit changes, in the order of ``EDITABLE_FIELDS``: those whose
    proposed value differs from the profile as it was when the editor made the edit."""
    return [
        name
        for name in ProfileRevision.EDITABLE_FIELDS
        if name in revision.proposed and revision.proposed[name] != revision.published.get(name)
    ]


def profile_revision_changes(revision: ProfileRevision) -> list[tuple[str, str, str, str]]:
    """What a held edit changes, as (field label, value when the edit was made, proposed
    value, value live now) rows, in the order of ``EDITABLE_FIELDS``; the last is empty
    unless someone changed the field since the edit was made. Many-to-many values named, not
    numbered. Four queries at most."""
    related = {"localities": Locality, "services": TaxonomyTerm}
    changed = profile_revision_changed_fields(revision)
    now = _json_ready(profile_values(revision.organisation)) if changed else {}
    names: dict[str, dict[int, str]] = {}
    for name in changed:
        if name in related:
            ids = {*revision.proposed[name], *revision.published.get(name, []), *now.get(name, [])}
            names[name] = dict(related[name].objects.filter(pk__in=ids).values_list("pk", "name"))

    def show(name: str, value: Any) -> str:
        if name in related:
            return ", ".join(sorted(names[name].get(pk, f"#{pk}") for pk in value or [])) or "—"
        field = Organisation._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value) if value not in (None, "") else "—"

    def since(name: str) -> str:
        return "" if now[name] == revision.published.get(name) else show(name, now[name])

    return [
        (
            str(Organisation._meta.get_field(name).verbose_name).capitalize(),
            show(name, revision.published.get(name)),
            show(name, revision.proposed[name]),
            since(name),
        )
        for name in changed
    ]


def organisation_deletion_blockers(organisation: Organisation) -> list[str]:
    """What hangs on ``organisation`` and would be lost or orphaned with it, as phrases such as
    "2 anchor roles": every record of any app that refers to it (found through Django's model
    metadata, so later apps count too), but not its own links to places, services and
    initiatives, which its history keeps and a restore brings back. One query per relation.

    An organisation with anything here is archived, not deleted (docs/adr/0007-archive-dont-delete.md)."""
    blockers = []
    for relation in Organisation._meta.related_objects:
        if relation.on_delete is models.DO_NOTHING:  # audit history rows: kept whatever happens
            continue
        model = relation.related_model
        if relation.many_to_many:
            count = model._base_manager.filter(**{relation.field.name: organisation}).count()
        else:
            count = model._base_manager.filter(**{relation.field.name: organisation.pk}).count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            blockers.append(f"{count} {name}")
    return blockers


@transaction.atomic
def organisation_restore(*, organisation_id: int, user) -> Organisation:
    """Bring back a deleted organisation as it was when deleted, with its areas, services and
    initiatives. Nothing else can have been deleted with it: an organisation that anything
    refers to is archived, not deleted (``organisation_deletion_blockers``).

    Raises:
        PermissionDenied: ``user`` is not an officer.
        Organisation.DoesNotExist: no deleted organisation with that id is in the history, or
            it exists again already.
    """
    if not is_officer(user):
        raise PermissionDenied
    if Organisation.objects.filter(pk=organisation_id).exists():
        raise Organisation.DoesNotExist("That organisation has not been deleted.")
    history = Organisation.history.filter(id=organisation_id)
    deleted = history.filter(history_type="-").order_by("-history_date").first()
    last_state = history.exclude(history_type="-").order_by("-history_date").first()
    if deleted is None or last_state is None:
        # The history's own DoesNotExist is not Organisation.DoesNotExist: callers catch this one.
        raise Organisation.DoesNotExist("No deleted organisation with that id is in the history.")
    organisation = deleted.instance
    organisation._change_reason = _("Restored by %(user)s") % {"user": user}
    organisation.save(force_insert=True)
    for field in ("localities", "services", "initiatives"):
        ids = getattr(last_state, field).values_list(_m2m_target_column(field), flat=True)
        getattr(organisation, field).set(list(ids))
    return organisation


def _m2m_target_column(field: str) -> str:
    """The id column of the related model in simple-history's m2m history table."""
    target = Organisation._meta.get_field(field).related_model
    return f"{target._meta.model_name}_id"


def unique_slug(name: str) -> str:
    """A slug for a new organisation called ``name`` that no organisation has yet (``-2``,
    ``-3``... added on a clash). One query."""
    return free_slug(Organisation.objects.all(), name, max_length=200, fallback="group")


@transaction.atomic
def group_submission_create(
    *,
    name: str,
    description: str,
    postcode: str,
    locality: Locality | None,
    email: str,
    phone: str,
    charity_number: str = "",
    submitter_name: str,
    submitter_email: str,
    submitter_phone: str,
    reviewer: Organisation | None,
    warned_about: list[str] | tuple[str, ...] = (),
) -> GroupSubmission:
    """Record a new group sent through the public "Add your group" form: a DRAFT
    ``Organisation`` with its public details (``postcode`` only when it is a full postcode;
    ``locality`` as the area it serves) and the ``GroupSubmission`` that puts it in
    ``reviewer``'s review queue (None: officers only). Its reviewer's editors are emailed
    once, after the write commits (``tasks.group_submission_notify_reviewer``).

    No permission check: anyone may send a group; nothing is public until someone publishes
    the draft. ``warned_about`` names the public organisations the sender was told may be the
    same group.

    Raises:
        ValidationError: the details are not valid for an organisation (e.g. a bad phone).
    """
    organisation = Organisation(
        name=name.strip(),
        slug=unique_slug(name),
        description=description.strip(),
        email=email,
        phone=phone,
        postcode=postcode,
        charity_number=charity_number,
        status=PublicationStatus.DRAFT,
    )
    organisation.full_clean(validate_constraints=False)
    organisation._change_reason = _("Sent through “Add your group”")
    organisation.save()
    if locality is not None:
        organisation.localities.set([locality])
    submission = GroupSubmission(
        organisation=organisation,
        reviewer=reviewer,
        locality=locality,
        submitter_name=submitter_name.strip(),
        submitter_email=submitter_email.strip(),
        submitter_phone=submitter_phone,
        warned_about="\n".join(warned_about),
    )
    submission.full_clean(exclude=["organisation"])
    submission.save()
    enqueue_on_commit(group_submission_notify_reviewer, submission.pk)
    return submission


# What a decision does to the draft organisation: published it joins the directory; merged or
# declined it is archived (ADR 0007: kept, with its history, off every public page).
_DRAFT_BECOMES = {
    GroupSubmissionStatus.PUBLISHED: PublicationStatus.PUBLISHED,
    GroupSubmissionStatus.MERGED: PublicationStatus.ARCHIVED,
    GroupSubmissionStatus.DECLINED: PublicationStatus.ARCHIVED,
}
# Stored on the history rows (simple-history allows 100 characters).
_DECISION_REASONS = {
    GroupSubmissionStatus.PUBLISHED: "New group published after review",
    GroupSubmissionStatus.MERGED: "New group already listed: draft archived",
    GroupSubmissionStatus.DECLINED: "New group declined after review",
}


@transaction.atomic
def group_submission_decide(
    *,
    submission: GroupSubmission,
    user,
    decision: str,
    duplicate_of: Organisation | None = None,
    reason: str = "",
) -> GroupSubmission:
    """Decide a new group waiting for review, once: ``decision`` is a ``GroupSubmissionStatus``
    other than OPEN.

    - PUBLISHED: its draft organisation is published (it joins the directory).
    - MERGED: the group is already listed as ``duplicate_of`` (another organisation); the
      draft is archived, not deleted (ADR 0007).
    - DECLINED: with ``reason`` (up to 500 characters, for the sender); the draft is archived.

    Records who decided and when (on the submission and in the history of both records), and
    emails the sender the outcome once, after the write commits
    (``tasks.group_submission_notify_submitter``).

    Two reviewers deciding at once cannot both act: the decision is a conditional UPDATE
    (``status = open``) and the second finds no open row to change.

    Raises:
        PermissionDenied: ``user`` may not decide it (``can_decide_group_submission``).
        ValidationError: it was decided meanwhile (code ``"decided"``; nothing is changed),
            or, keyed by field, a missing reason or organisation, or an unknown decision.
    """
    if not can_decide_group_submission(user, submission):
        raise PermissionDenied(_("You cannot decide on this group."))
    if decision not in _DRAFT_BECOMES:
        raise ValidationError({"decision": _("Choose what to do with this group")})
    reason = reason.strip()
    if decision == GroupSubmissionStatus.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why the group is declined")})
    if decision == GroupSubmissionStatus.MERGED and (
        duplicate_of is None or duplicate_of.pk == submission.organisation_id
    ):
        raise ValidationError({"duplicate_of": _("Choose the organisation the group is already listed as")})
    now = timezone.now()
    changed = GroupSubmission.objects.filter(pk=submission.pk, status=GroupSubmissionStatus.OPEN).update(
        status=decision,
        decided_at=now,
        decided_by=user,
        duplicate_of=duplicate_of if decision == GroupSubmissionStatus.MERGED else None,
        decline_reason=reason if decision == GroupSubmissionStatus.DECLINED else "",
        updated_at=now,
    )
    if not changed:
        current = GroupSubmission.objects.select_related("decided_by").get(pk=submission.pk)
        who = current.decided_by.get_full_name() or current.decided_by.get_username() if current.decided_by else ""
        raise ValidationError(
            _("%(who)s decided on this group meanwhile: “%(decision)s”. Nothing you chose has been saved.")
            % {"who": who or _("Someone else"), "decision": current.get_status_display()},
            code="decided",
        )
    decided = GroupSubmission.objects.select_related("organisation").get(pk=submission.pk)
    # The conditional UPDATE bypasses save(), so its history row is written here.
    GroupSubmission.history.bulk_history_create(
        [decided], default_user=user, default_change_reason=_DECISION_REASONS[decision]
    )
    draft = decided.organisation
    draft.status = _DRAFT_BECOMES[decision]
    draft._change_reason = _DECISION_REASONS[decision]
    draft._history_user = user
    draft.save()
    enqueue_on_commit(group_submission_notify_submitter, decided.pk)
    return decided
