"""Writes that take more than one step: adding and changing a meeting from the front end,
recording its attendance, making a series' occurrences, applying its exceptions, cancelling a
meeting, and making or revoking calendar subscription tokens.

The front-end services check who is asking (``meetings.permissions``) and raise
``PermissionDenied`` for anything outside the person's scope, whatever the form offered, and
``ValidationError`` (plain English) for a change the meeting's rules refuse.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import (
    Change,
    EditConflict,
    RowEditConflict,
    check_row_versions,
    check_versions,
    describe_changes,
)
from organisations.models import Organisation

from .models import (
    LONDON,
    Action,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Meeting,
    MeetingSeries,
    MeetingSeriesException,
    hash_calendar_token,
)
from .permissions import can_manage_meeting, meeting_localities_for, meeting_networks_for, meeting_organisers_for

if TYPE_CHECKING:
    from localities.models import Locality


def _check_scope(*, user, values: dict[str, Any], localities: Iterable[Locality], keep: Iterable[int] = ()) -> None:
    """Refuse a network, organiser or place outside ``user``'s scope; ``keep`` are place ids
    the meeting already names (they may stay, even once ended)."""
    network, organiser = values["network"], values["organiser"]
    if not meeting_networks_for(user).filter(pk=network.pk).exists():
        raise PermissionDenied(_("You cannot organise meetings of %(network)s.") % {"network": network.name})
    if not meeting_organisers_for(user, network).filter(pk=organiser.pk).exists():
        raise PermissionDenied(
            _("You cannot organise meetings of %(network)s as %(organiser)s.")
            % {"network": network.name, "organiser": organiser.name}
        )
    wanted = {place.pk for place in localities} - set(keep)
    if wanted and meeting_localities_for(user).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("You cannot organise meetings for one of the areas chosen."))


@transaction.atomic
def meeting_create(*, user, values: dict[str, Any], localities: Iterable[Locality] = ()) -> Meeting:
    """Add a meeting from ``values`` (model field names from ``Meeting.EDITABLE_FIELDS``; ``start`` and
    ``end`` aware datetimes) concerning ``localities``.

    Raises:
        PermissionDenied: the network, organiser or a place is outside the user's scope.
        ValidationError: the meeting breaks one of its rules (it ends before it starts...).
    """
    localities = list(localities)
    _check_scope(user=user, values=values, localities=localities)
    meeting = Meeting(**{name: value for name, value in values.items() if name in Meeting.EDITABLE_FIELDS})
    meeting.cancelled = False
    meeting.cancellation_reason = ""
    meeting.full_clean()
    meeting.save()
    meeting.localities.set(localities)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    user,
    meeting: Meeting,
    values: dict[str, Any],
    localities: Iterable[Locality],
    expected_version: str | None,
) -> Meeting:
    """Change ``meeting`` to ``values`` (as for ``meeting_create``) and ``localities``.

    ``expected_version`` is the meeting's version when the person opened the form
    (``core.concurrency``): if it has changed since, someone else saved in between and nothing
    is saved (their change would be lost without a word); the refusal says what they changed.
    The iCalendar SEQUENCE goes up when the time, place, title or status changes
    (``Meeting.save``), so subscribed calendars update the event.

    Raises:
        PermissionDenied: the meeting, or something chosen, is outside the user's scope.
        EditConflict: someone else changed it meanwhile.
        ValidationError: it breaks one of its rules.
    """
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied(_("You cannot change this meeting."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_versions([locked], expected_version, noun=_("this meeting"), fields=Meeting.EDITABLE_FIELDS)
    localities = list(localities)
    _check_scope(user=user, values=values, localities=localities, keep=locked.localities.values_list("pk", flat=True))
    for name, value in values.items():
        if name in Meeting.EDITABLE_FIELDS:
            setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    if {place.pk for place in localities} != set(locked.localities.values_list("pk", flat=True)):
        locked.localities.set(localities)
    return locked


def meeting_register(meeting: Meeting) -> dict[int, str]:
    """``meeting``'s register as stored now: status by organisation id (no entry: not recorded)."""
    return dict(meeting.attendances.values_list("organisation_id", "status"))


def register_token(register: dict[int, str]) -> str:
    """A register as the records form carries it, hidden, to say what it was loaded from:
    ``"12=attended,15=apologies"``."""
    return ",".join(f"{pk}={status}" for pk, status in sorted(register.items()))


def parse_register_token(token: str | None) -> dict[int, str] | None:
    """The register a form was loaded from, or None when the token is missing or malformed."""
    register: dict[int, str] = {}
    for part in filter(None, (token or "").split(",")):
        pk, _sep, status = part.partition("=")
        if not pk.isdigit() or status not in AttendanceStatus.values:
            return None
        register[int(pk)] = status
    return register if token is not None else None


class ActionEditConflict(RowEditConflict):
    """An action on the records page was changed by someone else while this person edited it;
    ``action_id`` says which, so the page can show the message beside it."""

    @property
    def action_id(self) -> int:
        return self.row_id


def meeting_actions_check(*, meeting: Meeting, loaded: dict[int, str | None]) -> None:
    """Refuse a save of ``meeting``'s actions made on stale copies (``check_row_versions``):
    ``loaded`` maps the id of each action this person changed or removed to the version token
    their form was loaded from. The rows stay locked until the caller's transaction ends.

    Raises:
        ActionEditConflict: an action this person changed or removed was changed by someone else
            meanwhile (the first such, in id order), or its form carried no version.
    """
    try:
        check_row_versions(
            Action.objects.filter(raised_at=meeting), loaded, noun=_("this action"), fields=Action.EDITABLE_FIELDS
        )
    except RowEditConflict as conflict:
        raise ActionEditConflict(conflict, row_id=conflict.row_id) from None


@transaction.atomic
def meeting_attendance_set(
    *, user, meeting: Meeting, statuses: dict[int, str | None], loaded: dict[int, str] | None
) -> int:
    """Record who was invited to, came to or sent apologies for ``meeting``: ``statuses`` maps
    organisation ids to an ``AttendanceStatus`` value, or None to remove the record. Rows are
    saved one by one so that the audit history records each. Returns how many changed.

    ``loaded`` is the register as the person's form showed it (``parse_register_token``). Only
    the rows they changed from it are written, so two people recording different rows at once
    both keep theirs; a row someone else changed meanwhile, which this person changed too, is
    refused with the others' value named (``core.concurrency``), and nothing is saved.

    Raises:
        PermissionDenied: the meeting is not the user's to record.
        EditConflict: a row this person changed was changed by someone else meanwhile, or the
            form cannot say what it was loaded from.
    """
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied(_("You cannot record attendance for this meeting."))
    existing = {row.organisation_id: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)}
    now = {pk: row.status for pk, row in existing.items()}
    if loaded is None:
        raise EditConflict(
            _("This page is out of date, so the register was not saved: reload the page, then record it again."),
            changes=[],
            current_version=register_token(now),
        )
    mine = {pk: status for pk, status in statuses.items() if status != loaded.get(pk)}
    clashes = [pk for pk in mine if now.get(pk) != loaded.get(pk) and now.get(pk) != mine[pk]]
    if clashes:
        # Everything others changed meanwhile goes with the refusal, so the form shows it; the
        # message names the rows both changed.
        theirs = sorted(pk for pk in {*now, *loaded} if now.get(pk) != loaded.get(pk))
        names = dict(Organisation.objects.filter(pk__in=theirs).values_list("pk", "name"))
        label = dict(AttendanceStatus.choices)
        changes = [
            Change(
                f"attendance-{pk}",
                names.get(pk, str(pk)),
                loaded.get(pk) or "",
                now.get(pk) or "",
                str(label.get(loaded.get(pk), _("Not recorded"))),
                str(label.get(now.get(pk), _("Not recorded"))),
            )
            for pk in sorted(theirs, key=lambda pk: names.get(pk, ""))
        ]
        listed = describe_changes(change for change in changes if int(change.name.rpartition("-")[2]) in clashes)
        raise EditConflict(
            _(
                "Someone else recorded the same organisations while you were editing, so the register was not "
                "saved. What changed: %(changes)s. Your choices are still in the form: check them, then save again "
                "to keep them."
            )
            % {"changes": listed},
            changes=changes,
            current_version=register_token(now),
        )
    changed = 0
    for organisation_id, status in mine.items():
        row = existing.get(organisation_id)
        if status is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            row = Attendance(meeting=meeting, organisation_id=organisation_id, status=status)
            row.full_clean(exclude=["meeting", "organisation"])
            row.save()
            changed += 1
        elif row.status != status:
            row.status = status
            row.full_clean(exclude=["meeting", "organisation"])
            row.save(update_fields=["status", "updated_at"])
            changed += 1
    return changed


# A safety net against a rule such as FREQ=DAILY over years: no call makes more than this.
MAX_OCCURRENCES_PER_CALL = 400


def _localise(naive: datetime.datetime) -> datetime.datetime:
    """A Europe/London wall-clock time as an aware datetime. zoneinfo picks the right offset
    for the date (GMT or BST); an ambiguous time in the autumn hour takes the first (BST)."""
    return naive.replace(tzinfo=LONDON)


def _utc_key(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


@transaction.atomic
def series_create_occurrences(
    *,
    series: MeetingSeries,
    until: datetime.datetime,
    since: datetime.datetime | None = None,
) -> list[Meeting]:
    """Make a :class:`Meeting` for every occurrence of ``series`` from ``since`` (default: its
    first meeting) up to ``until``, and return the new ones.

    The rule is expanded by python-dateutil in naive Europe/London wall-clock time and each
    start then localised, so a series at 18:00 stays at 18:00 when the clocks change. A
    cancelled exception makes no meeting; a moved one makes it at its new time (keeping its
    ``occurrence_start``, the key that makes this idempotent). Idempotent: occurrences that already
    have a meeting are left as they are, whatever was edited on them.
    """
    # Lock the series so that two officers pressing the button at once make each meeting once.
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    rule = series.rule()
    first = series.local_dtstart
    window_start = timezone.localtime(since, LONDON).replace(tzinfo=None) if since else first
    window_end = timezone.localtime(until, LONDON).replace(tzinfo=None)
    starts = []
    for naive in rule.xafter(max(first, window_start), inc=True):
        if naive > window_end or len(starts) >= MAX_OCCURRENCES_PER_CALL:
            break
        starts.append(_localise(naive))
    if not starts:
        return []

    exceptions = {_utc_key(e.original_start): e for e in series.exceptions.all()}
    existing = {
        _utc_key(start)
        for start in series.meetings.filter(
            occurrence_start__gte=starts[0], occurrence_start__lte=starts[-1]
        ).values_list("occurrence_start", flat=True)
    }
    localities = list(series.localities.all())
    created = []
    for start in starts:
        key = _utc_key(start)
        if key in existing:
            continue
        exception = exceptions.get(key)
        if exception is not None and exception.cancelled:
            continue
        actual_start = exception.moved_to if exception is not None else start
        meeting = Meeting(
            series=series,
            occurrence_start=start,
            title=series.title,
            kind=series.kind,
            network=series.network,
            organiser=series.organiser,
            visibility=series.visibility,
            start=actual_start,
            end=actual_start + series.duration,
            venue=series.venue,
            address=series.address,
            joining_url=series.joining_url,
        )
        meeting.full_clean()
        meeting.save()
        if localities:
            meeting.localities.set(localities)
        created.append(meeting)
    return created


@transaction.atomic
def series_exception_apply(*, exception: MeetingSeriesException) -> Meeting | None:
    """Apply an exception to the occurrence's meeting when it already exists: cancel it, or
    move it keeping its length. Returns the meeting changed, or None (no meeting yet — the
    exception then applies when the occurrence is made — or nothing to change)."""
    meeting = (
        Meeting.objects.select_for_update()
        .filter(series_id=exception.series_id, occurrence_start=exception.original_start)
        .first()
    )
    if meeting is None:
        return None
    if exception.cancelled:
        if meeting.cancelled:
            return None
        reason = exception.reason or "This meeting of the series will not take place."
        return meeting_cancel(meeting=meeting, reason=reason)
    if exception.moved_to is not None and meeting.start != exception.moved_to:
        length = meeting.end - meeting.start
        meeting.start = exception.moved_to
        meeting.end = exception.moved_to + length
        meeting.full_clean()
        meeting.save()
        return meeting
    return None


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting, keeping it (calendars receive STATUS:CANCELLED rather than losing the
    event without a word). SEQUENCE goes up through ``Meeting.save``."""
    meeting.cancelled = True
    meeting.cancellation_reason = reason.strip()
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def calendar_token_create(*, user: AbstractBaseUser) -> tuple[CalendarToken, str]:
    """Give ``user`` a new private feed token, revoking any they had. Returns the row and the
    token itself, which is shown once and never stored."""
    calendar_token_revoke(user=user)
    token = secrets.token_urlsafe(32)
    row = CalendarToken(user=user, token_hash=hash_calendar_token(token))
    row.full_clean()
    row.save()
    return row, token


@transaction.atomic
def calendar_token_revoke(*, user: AbstractBaseUser) -> int:
    """Revoke every active token of ``user``: their old feed addresses answer 404 from now."""
    return CalendarToken.objects.active().filter(user=user).update(revoked_at=timezone.now(), updated_at=timezone.now())
