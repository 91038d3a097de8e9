"""Network meetings: the schedule, the papers (agenda and minutes), who came, and the actions
that follow.

A meeting is a real row whether it stands alone or is one occurrence of a recurring
:class:`MeetingSeries` (an RFC 5545 RRULE, expanded by ``meetings.services``), so every
occurrence can carry its own agenda, minutes and attendance. Times are aware datetimes stored in
UTC and shown in Europe/London; a series keeps its local wall-clock time across clock changes.

Who may see a meeting is decided in ``MeetingQuerySet.visible_to``, and what of it in
``meetings.permissions``; a joining link is never shown on a public page or in a public feed.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import is_councillor, is_officer, is_signed_in
from localities.models import Locality
from organisations.models import AnchorRole, Network, Organisation

if TYPE_CHECKING:
    from core.permissions import User

# Meetings happen, and are shown, in UK time.
LONDON = ZoneInfo("Europe/London")

# The years a meeting may fall in: wide enough for any record, narrow enough that every date
# (and the time-zone rules a calendar feed carries a year either side of it) exists.
FIRST_MEETING_YEAR = 2000
LAST_MEETING_YEAR = 2100

# A network meets at most daily: finer rules would flood the schedule.
ALLOWED_FREQUENCIES = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY"}


def parse_rrule(text: str, *, dtstart: datetime.datetime | None = None) -> rrule:
    """Parse one RFC 5545 RRULE value (``FREQ=MONTHLY;BYDAY=1WE``, with or without the
    ``RRULE:`` prefix) with python-dateutil, anchored at ``dtstart`` (a naive local time).

    Raises:
        ValidationError: the text is not a single valid RRULE, or recurs more than daily.
    """
    value = normalise_rrule(text)
    if not value:
        raise ValidationError(_("Enter a recurrence rule, for example FREQ=MONTHLY;BYDAY=1WE."))
    if "\n" in value or "DTSTART" in value.upper() or ":" in value:
        raise ValidationError(
            _(
                "Enter only the RRULE value, for example FREQ=MONTHLY;BYDAY=1WE; the first "
                "meeting's date and time go in their own field."
            )
        )
    parts = dict(part.split("=", 1) for part in value.upper().split(";") if "=" in part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(_("A series repeats yearly, monthly, weekly or daily (FREQ=...)."))
    try:
        # Any naive anchor will do when only checking the syntax.
        anchor = dtstart or datetime.datetime(2000, 1, 1)  # noqa: DTZ001
        rule = rrulestr(_until_as_local_time(value), dtstart=anchor)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("This is not a valid RFC 5545 recurrence rule: %(error)s") % {"error": exc}) from exc
    if not isinstance(rule, rrule):  # pragma: no cover - a single RRULE never gives a set
        raise ValidationError(_("Enter a single recurrence rule."))
    return rule


def normalise_rrule(text: str) -> str:
    """The RRULE value on its own: stripped, upper case, without a leading ``RRULE:``."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    return value.strip().upper()


def _until_as_local_time(value: str) -> str:
    """RFC 5545 wants UNTIL in UTC (``...Z``) when DTSTART has a time zone; we expand rules in
    naive London wall-clock time, so turn a UTC UNTIL into the same instant in London time."""

    def to_local(match: re.Match) -> str:
        utc = datetime.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=datetime.UTC)
        return f"UNTIL={utc.astimezone(LONDON):%Y%m%dT%H%M%S}"

    return re.sub(r"UNTIL=(\d{8}T\d{6})Z", to_local, value)


def validate_rrule(text: str) -> None:
    parse_rrule(text)


class MeetingKind(models.TextChoices):
    """The rhythm of meetings in a network (Kirklees: the whole network quarterly, lead anchors
    monthly, localities as each area decides, informal meetings and councillor workshops)."""

    NETWORK = "network", _("Network meeting")
    LEAD_ANCHORS = "lead_anchors", _("Lead anchors meeting")
    LOCALITY = "locality", _("Locality meeting")
    INFORMAL = "informal", _("Informal meeting")
    COUNCILLOR_WORKSHOP = "councillor_workshop", _("Councillor workshop")


class MeetingVisibility(models.TextChoices):
    """Who may see a meeting (see ``MeetingQuerySet.visible_to``)."""

    PUBLIC = "public", _("Everyone")
    NETWORK = "network", _("Network members")
    LEAD_ANCHORS = "lead_anchors", _("Lead anchors only")


class MeetingSeries(TimeStampedModel):
    """A recurring meeting, such as "the Kirklees network meets quarterly on the second
    Tuesday": an RFC 5545 RRULE from a first meeting, and what each occurrence starts with.

    Occurrences are real :class:`Meeting` rows made by ``series_create_occurrences``; the rule
    keeps the local wall-clock time of ``dtstart`` (18:00 stays 18:00 in summer and winter).
    Changing the series later does not rewrite occurrences already made.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind, default=MeetingKind.NETWORK)
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meeting_series",
    )
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=255,
        validators=[validate_rrule],
        help_text=_(
            "An RFC 5545 RRULE. Quarterly on the second Tuesday: "
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU. Monthly on the first Wednesday: "
            "FREQ=MONTHLY;BYDAY=1WE. Add ;UNTIL=20271231 or ;COUNT=12 to end it."
        ),
    )
    dtstart = models.DateTimeField(
        _("first meeting starts"),
        help_text=_("UK time. Every meeting in the series starts at this time of day."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), default=90, help_text=_("For example 90 for an hour and a half.")
    )
    visibility = models.CharField(
        _("who can see it"),
        max_length=20,
        choices=MeetingVisibility,
        default=MeetingVisibility.NETWORK,
    )
    localities = models.ManyToManyField(
        Locality, verbose_name=_("areas it concerns"), related_name="meeting_series", blank=True
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    joining_url = models.URLField(
        _("online joining link"),
        max_length=500,
        blank=True,
        help_text=_("Never shown publicly: only to network members who may see the meeting."),
    )

    # m2m_fields: which places a series concerns is part of what changed, and when.
    history = HistoricalRecords(m2m_fields=["localities"])

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["network__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="meeting_series_has_a_length",
                violation_error_message=_("A meeting lasts at least a minute."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes or 0)

    @property
    def local_dtstart(self) -> datetime.datetime:
        """The first meeting's start as a naive Europe/London wall-clock time."""
        return timezone.localtime(self.dtstart, LONDON).replace(tzinfo=None)

    def rule(self) -> rrule:
        """The recurrence, in naive local wall-clock times (see ``series_create_occurrences``)."""
        return parse_rrule(self.rrule, dtstart=self.local_dtstart)

    def is_occurrence(self, start: datetime.datetime) -> bool:
        """Whether ``start`` (aware) is a start the rule produces."""
        local = timezone.localtime(start, LONDON).replace(tzinfo=None)
        return self.rule().after(local, inc=True) == local

    def clean(self) -> None:
        super().clean()
        self.rrule = normalise_rrule(self.rrule)


class MeetingSeriesException(TimeStampedModel):
    """One occurrence of a series that does not happen as the rule says: cancelled (for
    example over Christmas) or moved to another date and time."""

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("series"), on_delete=models.CASCADE, related_name="exceptions"
    )
    original_start = models.DateTimeField(
        _("occurrence"), help_text=_("The date and time the rule gives for it (UK time).")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    moved_to = models.DateTimeField(
        _("moved to"),
        null=True,
        blank=True,
        help_text=_("The new start, UK time; it keeps its length."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exception to the series")
        verbose_name_plural = _("exceptions to the series")
        ordering = ["series", "original_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"],
                name="one_exception_per_occurrence",
                violation_error_message=_("This occurrence already has an exception."),
            ),
            models.CheckConstraint(
                condition=Q(cancelled=True, moved_to__isnull=True) | Q(cancelled=False, moved_to__isnull=False),
                name="exception_cancels_or_moves",
                violation_error_message=_("An exception either cancels the occurrence or moves it, not both."),
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.original_start, LONDON).strftime("%-d %b %Y %H:%M")
        if self.cancelled:
            return _("%(when)s cancelled") % {"when": when}
        return _("%(when)s moved") % {"when": when}

    def clean(self) -> None:
        """Check the occurrence is one the rule gives, so the exception can ever apply."""
        super().clean()
        if not self.cancelled and self.moved_to is None:
            raise ValidationError(_("Tick cancelled, or give the date and time it moves to."))
        if self.cancelled and self.moved_to is not None:
            raise ValidationError({"moved_to": _("A cancelled occurrence does not move: clear this.")})
        try:
            series = self.series
        except MeetingSeries.DoesNotExist:  # no series chosen yet: nothing to check against
            series = None
        if series is None or not self.original_start or not series.rrule or not series.dtstart:
            return
        try:
            matches = series.is_occurrence(self.original_start)
        except ValidationError:
            return  # the series' own form reports a bad rule
        if not matches:
            raise ValidationError(
                {"original_start": _("The series has no meeting at this date and time: check the rule and the time.")}
            )


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """Chainable filters for meetings, and the one statement of who may see and organise which:

    - **Public** (anyone, signed in or not): meetings whose visibility is *public*.
    - **Network members** (people in an organisation with a current anchor role in a network,
      or that coordinates it): also that network's *network members* meetings.
    - **Lead-anchor members** (people in a lead anchor, or a peer anchor where the network has
      no tiers): also that network's *lead anchors only* meetings.
    - **Councillors**: also every *network members* meeting (they read network meetings; they
      are not members of a network's organisations).
    - **Officers**: everything.

    What of a visible meeting someone may see (its joining link, its register) is
    ``meetings.permissions.MeetingViewer``'s question.
    """

    def public(self) -> MeetingQuerySet:
        """Meetings anyone may see."""
        return self.filter(visibility=MeetingVisibility.PUBLIC)

    def visible_to(self, user: User | None) -> MeetingQuerySet:
        """Every meeting ``user`` may see, as one filterable queryset (costs at most one query
        to decide, for the councillor group, before the queryset itself runs)."""
        if is_officer(user):
            return self.all()
        allowed = Q(visibility=MeetingVisibility.PUBLIC)
        if is_signed_in(user):
            if is_councillor(user):
                allowed |= Q(visibility=MeetingVisibility.NETWORK)
            else:
                allowed |= Q(
                    visibility=MeetingVisibility.NETWORK,
                    network__in=Network.objects.with_member(user).values("pk"),
                )
            allowed |= Q(
                visibility=MeetingVisibility.LEAD_ANCHORS,
                network__in=Network.objects.with_lead_anchor_member(user).values("pk"),
            )
        return self.filter(allowed)

    def managed_by(self, user: User | None) -> MeetingQuerySet:
        """Meetings ``user`` may change, cancel and record attendance and actions for: every
        one for an officer; for a lead-anchor editor, those organised by an organisation they
        edit in a network where it holds a current lead-anchor (or, without tiers, anchor)
        role. The same organisation's meetings in a network where it does not lead are not
        theirs to change."""
        if is_officer(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        roles = AnchorRole.objects.leading_for(user).filter(
            organisation_id=OuterRef("organiser_id"), network_id=OuterRef("network_id")
        )
        return self.filter(Exists(roles))

    def upcoming(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Meetings not yet over (including one under way), soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Meetings that have ended, most recent first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_locality(self, locality: Locality) -> MeetingQuerySet:
        """Meetings concerning ``locality`` or any place inside it, each once."""
        concerned = Meeting.localities.through.objects.filter(
            meeting=OuterRef("pk"), locality__in=Locality.objects.subtree(locality)
        )
        return self.filter(Exists(concerned))

    def with_list_relations(self) -> MeetingQuerySet:
        """What a list or a feed shows, fetched in a fixed number of queries."""
        return self.select_related("network", "organiser").prefetch_related(
            models.Prefetch("localities", queryset=Locality.objects.order_by("name"))
        )


class Meeting(TimeStampedModel):
    """A meeting of a network, its lead anchors, a locality, an informal group or councillors:
    when and where, who may see it, its agenda and (once approved) minutes.

    ``uuid`` gives stable iCalendar UIDs and addresses; ``sequence`` is the iCalendar SEQUENCE,
    raised whenever the time, place or status changes so that calendars update the event.
    """

    # Changes that calendar clients must see: SEQUENCE goes up when one of these changes.
    SCHEDULE_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "start",
        "end",
        "venue",
        "address",
        "joining_url",
        "cancelled",
    )

    # What an organiser sets from the front end (``meetings.services``); the series, UUID and
    # SEQUENCE are derived, and the places are a many-to-many set on their own.
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "kind",
        "network",
        "organiser",
        "visibility",
        "start",
        "end",
        "venue",
        "address",
        "joining_url",
        "agenda",
        "minutes",
        "minutes_published",
        "cancelled",
        "cancellation_reason",
    )

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    occurrence_start = models.DateTimeField(
        _("occurrence in the series"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The start the series' rule gave, kept when the meeting moves."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind, default=MeetingKind.NETWORK)
    start = models.DateTimeField(_("starts"), db_index=True, help_text=_("UK time."))
    end = models.DateTimeField(_("ends"), help_text=_("UK time."))
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("For a meeting in person."))
    address = models.TextField(_("address"), blank=True)
    joining_url = models.URLField(
        _("online joining link"),
        max_length=500,
        blank=True,
        help_text=_("Never shown publicly: only to network members who may see the meeting."),
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="meetings")
    localities = models.ManyToManyField(
        Locality, verbose_name=_("areas it concerns"), related_name="meetings", blank=True
    )
    visibility = models.CharField(
        _("who can see it"),
        max_length=20,
        choices=MeetingVisibility,
        default=MeetingVisibility.NETWORK,
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.BooleanField(
        _("minutes published"), default=False, help_text=_("Tick once the minutes are approved.")
    )
    minutes_published_on = models.DateField(_("minutes published on"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(_("iCalendar sequence"), default=0, editable=False)

    objects = MeetingQuerySet.as_manager()
    # m2m_fields: the places a meeting concerns decide its area feeds, so changes to them are audited too.
    history = HistoricalRecords(m2m_fields=["localities"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_start"],
                name="one_meeting_per_occurrence",
                violation_error_message=_("This occurrence of the series already has a meeting."),
            ),
            models.CheckConstraint(
                condition=Q(occurrence_start__isnull=True) | Q(series__isnull=False),
                name="meeting_occurrence_needs_a_series",
                violation_error_message=_("Only a meeting in a series is an occurrence of it."),
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "end", "start"], name="meeting_visibility_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.start, LONDON):%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"uuid": self.uuid})

    def get_ics_url(self) -> str:
        return reverse("meetings:ics", kwargs={"uuid": self.uuid})

    @property
    def ical_uid(self) -> str:
        """Stable across edits and feeds, so calendars update the event rather than add one."""
        return f"{self.uuid}@anchornet"

    @property
    def is_public(self) -> bool:
        return self.visibility == MeetingVisibility.PUBLIC

    @property
    def is_online(self) -> bool:
        return bool(self.joining_url)

    @property
    def is_in_person(self) -> bool:
        return bool(self.venue or self.address)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def shows_minutes(self) -> bool:
        return self.minutes_published and bool(self.minutes.strip())

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the schedule as loaded, so ``save()`` can tell whether it changed."""
        instance = super().from_db(db, field_names, values)
        instance._loaded_schedule = instance._schedule()
        return instance

    def _schedule(self) -> dict:
        """The schedule fields that are loaded (a deferred field is left out, not fetched)."""
        return {name: self.__dict__[name] for name in self.SCHEDULE_FIELDS if name in self.__dict__}

    def _schedule_changed(self, update_fields) -> bool:
        loaded = getattr(self, "_loaded_schedule", None)
        if not self.pk or loaded is None:
            return False
        current = self._schedule()
        names = loaded.keys() & current.keys()
        if update_fields is not None:
            names &= set(update_fields)
        return any(loaded[name] != current[name] for name in names)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("A meeting ends after it starts.")
        if self.start and not FIRST_MEETING_YEAR <= timezone.localtime(self.start, LONDON).year <= LAST_MEETING_YEAR:
            errors["start"] = _("A meeting takes place between %(first)s and %(last)s.") % {
                "first": FIRST_MEETING_YEAR,
                "last": LAST_MEETING_YEAR,
            }
        if self.cancelled and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = _("Say why the meeting is cancelled: everyone who can see it is told.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Fill derived fields: the date minutes were published, and the iCalendar SEQUENCE
        (one up when the time, place, title or status changed since the row was loaded)."""
        derived = []
        if self.minutes_published and self.minutes_published_on is None:
            self.minutes_published_on = timezone.localdate()
            derived.append("minutes_published_on")
        if self._schedule_changed(kwargs.get("update_fields")):
            self.sequence += 1
            derived.append("sequence")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)
        self._loaded_schedule = self._schedule()


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    APOLOGIES = "apologies", _("Sent apologies")


class Attendance(TimeStampedModel):
    """Whether an organisation was invited to a meeting, came, or sent its apologies."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    status = models.CharField(_("status"), max_length=20, choices=AttendanceStatus, default=AttendanceStatus.INVITED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                name="one_attendance_per_meeting_organisation",
                violation_error_message=_("This organisation is already listed for this meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_status_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status=ActionStatus.OPEN)


class Action(TimeStampedModel):
    """Something a meeting decided an organisation will do, by a date, followed up until done."""

    # What the records page edits: the fields a stale save is compared on.
    EDITABLE_FIELDS = ("description", "owner", "due_on", "status")

    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus, default=ActionStatus.OPEN, db_index=True
    )
    raised_at = models.ForeignKey(
        Meeting, verbose_name=_("raised at"), on_delete=models.CASCADE, related_name="actions"
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on is not None and self.due_on < timezone.localdate()


def hash_calendar_token(token: str) -> str:
    """The stored form of a calendar token: its SHA-256. The token itself is 32 random bytes,
    so a fast hash is enough, and a leaked database holds no working feed address."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def active(self) -> CalendarTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarToken(TimeStampedModel):
    """The secret in a person's private calendar subscription address. Only its hash is kept;
    the person sees the address once, when it is made, and can revoke it at any time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()
    # Who made and revoked addresses, when; the hash stays out of the history table.
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_calendar_token_per_user",
            ),
        ]

    def __str__(self) -> str:
        return _("Calendar subscription of %(user)s") % {"user": self.user}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
