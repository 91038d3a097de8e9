"""Writes that take more than one step: making a series' occurrences, applying its exceptions,
cancelling a meeting, and making or revoking calendar subscription tokens."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import (
    LONDON,
    CalendarToken,
    Meeting,
    MeetingSeries,
    MeetingSeriesException,
    hash_calendar_token,
)

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
