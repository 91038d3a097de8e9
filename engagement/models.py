"""The network's activity: which anchor supports which community group, and the log of an
anchor's contacts with organisations (CiviCRM's typed, dated relationships and activities).

Nothing here stores a status that follows from other fields: whether a support relationship is
upcoming, active or ended follows from its dates (``SupportRelationshipQuerySet``), and an
organisation's outreach status from its log and relationships (``engagement.selectors``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import PublishableQuerySet, TimeStampedModel
from core.permissions import is_officer
from core.validators import validate_phone
from core.workingdays import add_working_days, latest_start_past_deadline
from localities.models import Locality
from organisations.models import AnchorRole, Network, Organisation, TaxonomyTerm

if TYPE_CHECKING:
    from core.permissions import User


class SupportKind(models.TextChoices):
    """How an anchor supports a group (the Kirklees and Leeds anchor specifications' list)."""

    PEER_SUPPORT = "peer_support", _("Peer support")
    TRAINING = "training", _("Training")
    FUNDING_ADVICE = "funding_advice", _("Funding advice")
    SIGNPOSTING = "signposting", _("Signposting")
    PREMISES = "premises", _("Premises")
    GOVERNANCE = "governance", _("Governance")
    VOLUNTEERING = "volunteering", _("Volunteering")


class RelationshipStatus(models.TextChoices):
    """Where a support relationship stands on a given day, from its dates alone."""

    UPCOMING = "upcoming", _("Upcoming")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


def _today() -> datetime.date:
    return timezone.localdate()


def anchors_acted_for(user: User | None) -> models.QuerySet[Organisation]:
    """The organisations whose work records (log, relationships) ``user`` keeps, officers
    aside: those they are an editor of, and — for an editor of a network's coordinator — the
    organisations with a current anchor role in that network (issue 13: "a network coordinator
    manages its network's members, meetings and engagements"; ADR 0005). None when signed out."""
    editing = Organisation.objects.with_member(user, editors_only=True).values("pk")
    coordinated = AnchorRole.objects.current().filter(network__coordinator__in=editing).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=editing) | Q(pk__in=coordinated))


class AnchorRecordQuerySet(models.QuerySet):
    """Records an anchor keeps about its work (a field ``anchor``): officers change them all,
    an anchor's editors change its own, a network coordinator's editors its network's."""

    def kept_by(self, user: User | None, *, editors_only: bool = False):
        """The records of the anchors ``user`` belongs to (or edits); none when signed out."""
        anchors = Organisation.objects.with_member(user, editors_only=editors_only)
        return self.filter(anchor__in=anchors.values("pk"))

    def editable_by(self, user: User | None):
        """Officers: all. Anyone else: the records of ``anchors_acted_for(user)``."""
        if is_officer(user):
            return self.all()
        return self.filter(anchor__in=anchors_acted_for(user).values("pk"))


class SupportRelationshipQuerySet(AnchorRecordQuerySet):
    """Relationships by their status on a day (today unless given), and by who may see or
    change them. The status rule lives here and in ``SupportRelationship.status_on`` only."""

    def active(self, on: datetime.date | None = None) -> SupportRelationshipQuerySet:
        """Started on or before ``on`` and not ended before it (``ended_on`` is the last day
        of support: a relationship ending today is still active today)."""
        on = on or _today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)

    def upcoming(self, on: datetime.date | None = None) -> SupportRelationshipQuerySet:
        return self.filter(started_on__gt=on or _today())

    def ended(self, on: datetime.date | None = None) -> SupportRelationshipQuerySet:
        return self.filter(ended_on__lt=on or _today())

    def public(self) -> SupportRelationshipQuerySet:
        """What residents may see: relationships between two published organisations."""
        return self.filter(
            PublishableQuerySet.public_condition("anchor__"), PublishableQuerySet.public_condition("group__")
        )

    def visible_to(self, user: User | None) -> SupportRelationshipQuerySet:
        """Officers: all. Anyone else: the public ones, and those of an anchor they edit or
        belong to (the anchor's own records, ended or not)."""
        if is_officer(user):
            return self.all()
        return self.public() | self.kept_by(user) | self.editable_by(user)


class SupportRelationship(TimeStampedModel):
    """An anchor's support of a community group, of one kind, between two dates.

    A group supported in two ways has two relationships, each with its own dates: training may
    end while peer support goes on. ``ended_on`` is the last day of support; its reason says
    why it ended (for the contract's monitoring).
    """

    anchor = models.ForeignKey(
        Organisation,
        verbose_name=_("anchor"),
        on_delete=models.PROTECT,
        related_name="support_given",
        help_text=_("The lead or local anchor giving the support."),
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("group supported"),
        on_delete=models.PROTECT,
        related_name="support_received",
    )
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("The last day of support."))
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)

    objects = SupportRelationshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support relationship")
        verbose_name_plural = _("support relationships")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="support_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(anchor=F("group")),
                name="support_between_two_organisations",
                violation_error_message=_("An organisation cannot support itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["anchor", "started_on"], name="support_anchor_idx"),
            models.Index(fields=["group", "started_on"], name="support_group_idx"),
            # The relationship list's kind filter, within an anchor's.
            models.Index(fields=["anchor", "kind", "started_on"], name="support_anchor_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} → {self.group}: {self.get_kind_display()}"

    def status_on(self, on: datetime.date | None = None) -> RelationshipStatus:
        """The status on ``on`` (today unless given), by the rule of the QuerySet's filters."""
        on = on or _today()
        if self.started_on > on:
            return RelationshipStatus.UPCOMING
        if self.ended_on is not None and self.ended_on < on:
            return RelationshipStatus.ENDED
        return RelationshipStatus.ACTIVE

    @property
    def status(self) -> RelationshipStatus:
        return self.status_on()

    def clean(self) -> None:
        errors = {}
        if self.anchor_id and not AnchorRole.objects.filter(organisation_id=self.anchor_id).exists():
            errors["anchor"] = _("Choose an organisation that holds an anchor role in a network.")
        if self.ended_on and not self.end_reason:
            errors["end_reason"] = _("Say why the support ended: the council's monitoring asks.")
        if self.end_reason and not self.ended_on:
            errors["ended_on"] = _("Enter the last day of support, or leave why it ended empty.")
        if errors:
            raise ValidationError(errors)


class EngagementKind(models.TextChoices):
    """What sort of contact an engagement was."""

    FIRST_CONTACT = "first_contact", _("First contact")
    ADVICE = "advice", _("Advice")
    TRAINING = "training", _("Training")
    FUNDING_BID_SUPPORT = "funding_bid_support", _("Funding bid support")
    SIGNPOSTING = "signposting", _("Signposting")
    REFERRAL = "referral", _("Referral")
    EVENT = "event", _("Event")
    VISIT = "visit", _("Visit")
    # One organisation meeting another's need through the skills and assets exchange.
    SKILLS_EXCHANGE = "skills_exchange", _("Skills exchange")
    # A step of a request for support (``SupportRequest``): acknowledged, in progress, closed.
    SUPPORT_REQUEST = "support_request", _("Request for support")


class EngagementQuerySet(AnchorRecordQuerySet):
    def visible_to(self, user: User | None) -> EngagementQuerySet:
        """Officers: all. Members of the anchor that logged it: theirs. Nobody else: none (the
        log is the network's working record, not a public page)."""
        if is_officer(user):
            return self.all()
        return self.kept_by(user) | self.editable_by(user)

    def follow_ups_due(self, on: datetime.date | None = None) -> EngagementQuerySet:
        """Entries whose follow-up falls on or before ``on`` and is not yet done."""
        return self.filter(follow_up_on__lte=on or _today(), follow_up_done=False)


class Engagement(TimeStampedModel):
    """One entry of an anchor's log: a contact with one or more organisations on one day.

    A funding workshop that twelve groups attended is one entry with twelve organisations, and
    counts once for each of them. ``officer_notes`` are for officers alone: only the admin and
    an officer's own engagement form (``engagement.forms.EngagementForm``) show them; no list,
    export or API does.
    """

    anchor = models.ForeignKey(
        Organisation, verbose_name=_("anchor"), on_delete=models.PROTECT, related_name="engagements_logged"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations engaged"), related_name="engagements"
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=EngagementKind)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who from the anchor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    officer_notes = models.TextField(
        _("notes (officers only)"), blank=True, help_text=_("Only officers see these notes.")
    )
    support_request = models.ForeignKey(
        "SupportRequest",
        verbose_name=_("request for support"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        help_text=_("The request whose step this entry records, if any."),
    )

    objects = EngagementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["organisations"])

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["anchor", "occurred_on"], name="engagement_anchor_idx"),
            models.Index(fields=["occurred_on"], name="engagement_date_idx"),
            models.Index(fields=["follow_up_on"], name="engagement_follow_up_idx"),
            # The log's kind filter, within an anchor's log, newest first.
            models.Index(fields=["anchor", "kind", "occurred_on"], name="engagement_anchor_kind_idx"),
        ]

    # Fields only officers may see.
    PRIVATE_FIELDS = ("officer_notes",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.occurred_on:%-d %B %Y} ({self.anchor})"


class QuietReason(models.TextChoices):
    """Why a group has gone quiet: what the Kirklees scrutiny panel asked anchors to record."""

    FOLDED = "folded", _("Folded")
    DECLINED_CONTACT = "declined_contact", _("Declined contact")
    NO_CAPACITY = "no_capacity", _("No capacity")
    MOVED_AWAY = "moved_away", _("Moved away")
    NOT_KNOWN = "not_known", _("Not known")


class QuietNote(TimeStampedModel):
    """An anchor's record of why a group is quiet; the latest one is the group's reason."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="quiet_notes"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=QuietReason)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reason a group is quiet")
        verbose_name_plural = _("reasons groups are quiet")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="quiet_note_latest_idx")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_reason_display()}"


# ------------------------------------------------------------------------------------------
# The skills and assets exchange
# ------------------------------------------------------------------------------------------
# The published taxonomy of what organisations trade (engagement/migrations/0003); its terms
# are not services (``organisations.models.reserve_taxonomy``, called in ``apps.py``).
SKILLS_TAXONOMY = "AnchorNet skills and assets"


class ExchangeDirection(models.TextChoices):
    """Whether an organisation offers a skill or asset to others, or needs one."""

    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class ExchangeEntryQuerySet(models.QuerySet):
    """Offers and needs by whether they are current, and by who may see or change them.

    "Current" follows from ``closed_at`` alone (no flag beside it): an entry is current until
    it is closed, by its editors or, for a need, by being met through the exchange.
    """

    def current(self) -> ExchangeEntryQuerySet:
        return self.filter(closed_at__isnull=True)

    def offers(self) -> ExchangeEntryQuerySet:
        return self.filter(direction=ExchangeDirection.OFFER)

    def needs(self) -> ExchangeEntryQuerySet:
        return self.filter(direction=ExchangeDirection.NEED)

    def in_networks(self, networks) -> ExchangeEntryQuerySet:
        """Entries of organisations taking part in any of ``networks`` (a Network queryset):
        those with a current anchor role in one or coordinating one, and those serving a place
        in one's district (the community groups the anchors work with, who hold no role)."""
        roles = AnchorRole.objects.current().filter(network__in=networks).values("organisation_id")
        coordinators = Network.objects.filter(pk__in=networks.values("pk")).values("coordinator_id")
        district_ids = list(networks.values_list("district_id", flat=True))
        if not district_ids:
            return self.none()
        inside = Q(pk__in=district_ids)
        for district_id in district_ids:
            inside |= Q(ancestor_path__startswith=f"/{district_id}/")
        serving = Organisation.localities.through.objects.filter(
            organisation=OuterRef("organisation"), locality__in=Locality.objects.filter(inside)
        )
        return self.filter(Q(organisation__in=roles) | Q(organisation__in=coordinators) | Exists(serving))

    def visible_to(self, user: User | None) -> ExchangeEntryQuerySet:
        """Officers: all. A network member (``Network.objects.with_member``): the entries of
        the published organisations in their networks (``in_networks``), current or not (a
        met need says who met it), and every entry of the organisations they belong to.
        Anyone else signed in: their own organisations' entries. Signed out: none.

        The exchange is the network's working space, not a public page: organisations'
        offers stay members-only, as issue 13 puts it ("network members see who offers what").
        """
        if is_officer(user):
            return self.all()
        own = Organisation.objects.with_member(user).values("pk")
        networks = Network.objects.with_member(user)
        in_network = self.in_networks(networks).filter(PublishableQuerySet.public_condition("organisation__"))
        return self.filter(Q(organisation__in=own) | Q(pk__in=in_network.values("pk")))

    def editable_by(self, user: User | None) -> ExchangeEntryQuerySet:
        """Officers: all. Anyone else: the entries of organisations they are an editor of."""
        if is_officer(user):
            return self.all()
        return self.filter(organisation__in=Organisation.objects.with_member(user, editors_only=True).values("pk"))

    def with_nearness(self, near: models.QuerySet[Locality]) -> ExchangeEntryQuerySet:
        """Annotated with ``is_near``: whether the entry's organisation serves, or anchors, a
        place among ``near`` (see ``engagement.selectors.exchange_near_localities``)."""
        serves = Organisation.localities.through.objects.filter(
            organisation=OuterRef("organisation"), locality__in=near
        )
        anchors = AnchorRole.objects.current().filter(organisation=OuterRef("organisation"), locality__in=near)
        return self.annotate(
            is_near=Case(
                When(Exists(serves) | Exists(anchors), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )


class ExchangeEntry(TimeStampedModel):
    """An organisation's offer of a skill or asset to others in its network, or its need of one,
    named by a term of the skills and assets taxonomy (``SKILLS_TAXONOMY``).

    Offers and needs are **one model with a direction**, not two: they carry the same fields,
    the exchange lists, filters and pages them together, and a match is this table joined to
    itself on the term (a need against a current offer). Only a need can be *met*; both can be
    closed, i.e. no longer current (an offer withdrawn, a need that went away).

    An entry is current until ``closed_at``. A need met through the exchange also records who met
    it (``met_by``, the offering organisation) and the engagement that logged it; whoever closed
    an entry, by accepting a match or by hand, is ``closed_by``.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="exchange_entries"
    )
    direction = models.CharField(_("offer or need"), max_length=10, choices=ExchangeDirection)
    term = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("skill or asset"),
        on_delete=models.PROTECT,
        related_name="exchange_entries",
        limit_choices_to={"taxonomy__name": SKILLS_TAXONOMY},
    )
    description = models.CharField(
        _("short description"),
        max_length=300,
        help_text=_("What exactly, and when or how often: for example “Minibus with driver, weekday mornings”."),
    )
    closed_at = models.DateTimeField(
        _("no longer current since"), null=True, blank=True, help_text=_("Empty while the offer or need is current.")
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    met_by = models.ForeignKey(
        Organisation,
        verbose_name=_("need met by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_needs_met",
    )
    engagement = models.ForeignKey(
        Engagement,
        verbose_name=_("engagement logged"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_needs_met",
        help_text=_("The entry on the engagement log made when the need was met through the exchange."),
    )

    objects = ExchangeEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(met_by__isnull=True) | Q(direction=ExchangeDirection.NEED, closed_at__isnull=False),
                name="exchange_only_closed_needs_are_met",
                violation_error_message=_("Only a need that is no longer current can have been met."),
            ),
            models.CheckConstraint(
                condition=~Q(met_by=F("organisation")),
                name="exchange_need_met_by_another",
                violation_error_message=_("An organisation cannot meet its own need through the exchange."),
            ),
        ]
        indexes = [
            # The list's and the match's paths: current entries by term and direction, and an
            # organisation's own.
            models.Index(fields=["term", "direction", "closed_at"], name="exchange_term_idx"),
            models.Index(fields=["direction", "closed_at", "updated_at"], name="exchange_direction_idx"),
            models.Index(fields=["organisation", "closed_at"], name="exchange_organisation_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_direction_display().lower()}, {self.term}"

    @property
    def is_current(self) -> bool:
        return self.closed_at is None

    @property
    def is_need(self) -> bool:
        return self.direction == ExchangeDirection.NEED

    @property
    def was_met(self) -> bool:
        return self.met_by_id is not None

    def clean(self) -> None:
        if self.term_id and not TaxonomyTerm.objects.in_taxonomy(SKILLS_TAXONOMY).filter(pk=self.term_id).exists():
            raise ValidationError({"term": _("Choose a skill or asset from the list.")})


# ------------------------------------------------------------------------------------------
# Requests for support (the front door)
# ------------------------------------------------------------------------------------------
class SupportRequestStatus(models.TextChoices):
    """Where a request for support is: each step forward is recorded on the engagement log."""

    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


# The steps forward from each status: the next one, or closing early (a duplicate, a group
# that found help elsewhere). Nothing goes back.
NEXT_STATUSES = {
    SupportRequestStatus.NEW: (SupportRequestStatus.ACKNOWLEDGED, SupportRequestStatus.CLOSED),
    SupportRequestStatus.ACKNOWLEDGED: (SupportRequestStatus.IN_PROGRESS, SupportRequestStatus.CLOSED),
    SupportRequestStatus.IN_PROGRESS: (SupportRequestStatus.CLOSED,),
    SupportRequestStatus.CLOSED: (),
}


class SupportRoute(models.TextChoices):
    """How a request found its anchor (``engagement.routing``)."""

    LEAD_ANCHOR = "lead_anchor", _("The lead anchor for the area")
    ANCHOR = "anchor", _("The anchor for the area")
    NETWORK = "network", _("The network's coordinator")
    UNROUTED = "unrouted", _("No anchor or network covers the area: officers")


def acknowledge_within_days() -> int:
    return settings.SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS


class SupportRequestQuerySet(models.QuerySet):
    def visible_to(self, user: User | None) -> SupportRequestQuerySet:
        """Officers: all. An organisation's editors: the requests routed to it. Nobody else:
        none. Requests are never public: they carry a person's contact details."""
        if is_officer(user):
            return self.all()
        return self.filter(anchor__in=Organisation.objects.with_member(user, editors_only=True).values("pk"))

    def open(self) -> SupportRequestQuerySet:
        return self.exclude(status=SupportRequestStatus.CLOSED)

    def with_overdue(self, on: datetime.date | None = None) -> SupportRequestQuerySet:
        """Annotated with ``is_overdue`` (bool): still new on ``on`` (today unless given) after
        its acknowledgement deadline, ``SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS`` (10) working
        days after the day it was received (weekends and England's bank holidays excluded,
        ``core.workingdays``). Derived from the dates alone: nothing to keep in step.

        The deadline depends only on the day received, so the rule becomes one cut-off: a
        request received (UK time) on or before ``latest_start_past_deadline(on, days)`` and
        still new is overdue.
        """
        on = on or _today()
        last_day = latest_start_past_deadline(on, acknowledge_within_days())
        received_by = timezone.make_aware(
            datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
        )
        return self.annotate(
            is_overdue=models.Case(
                models.When(Q(status=SupportRequestStatus.NEW, created_at__lt=received_by), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue(self, on: datetime.date | None = None) -> SupportRequestQuerySet:
        return self.with_overdue(on).filter(is_overdue=True)

    def past_retention(self, now: datetime.datetime | None = None) -> SupportRequestQuerySet:
        """Closed more than ``SUPPORT_REQUEST_RETENTION_DAYS`` days before ``now`` (the current
        time unless given): their contact details are due for erasure (``engagement.privacy``)."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SUPPORT_REQUEST_RETENTION_DAYS)
        return self.filter(closed_at__lt=cutoff)


class SupportRequest(TimeStampedModel):
    """A community group's request for support, sent through the public "Ask for support" form
    and routed to the anchor for its area (``engagement.routing``), which works it through
    ``SupportRequestStatus`` in its request queue.

    ``reference`` (``ANR-2026-00042``: the year received and the record's number) is what the
    requester and the anchor quote. The contact fields (``PRIVATE_FIELDS``) are personal data:
    only the anchor it is routed to and officers see them, never a public page. Retention
    (another slice of issue 13) erases them a set time after ``closed_at``; the request's
    figures (area, dates, status, route) stay.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    group_name = models.CharField(_("group's name"), max_length=200)
    need = models.TextField(_("what the group needs"), max_length=3000)
    postcode_district = models.CharField(
        _("postcode district"), max_length=4, blank=True, help_text=_("Only the first half of the postcode is kept.")
    )
    locality = models.ForeignKey(
        Locality, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact name"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    consented_at = models.DateTimeField(_("consent given"))
    anchor = models.ForeignKey(
        Organisation,
        verbose_name=_("routed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests",
        help_text=_("The anchor (or network coordinator) whose queue the request is in."),
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(_("how it was routed"), max_length=20, choices=SupportRoute)
    status = models.CharField(
        _("status"), max_length=20, choices=SupportRequestStatus, default=SupportRequestStatus.NEW
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)

    objects = SupportRequestQuerySet.as_manager()
    history = HistoricalRecords()

    PRIVATE_FIELDS = ("contact_name", "contact_email", "contact_phone")

    class Meta:
        verbose_name = _("request for support")
        verbose_name_plural = _("requests for support")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["anchor", "status", "created_at"], name="support_request_queue_idx"),
            models.Index(fields=["status", "created_at"], name="support_request_status_idx"),
            # The daily retention job (``past_retention``) and the officers' "find a person's
            # data" (``engagement.privacy``, a case-insensitive email match).
            models.Index(fields=["closed_at"], name="support_request_closed_idx"),
            models.Index(Upper("contact_email"), name="support_request_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SupportRequestStatus.CLOSED) | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="support_request_closed_with_outcome",
                violation_error_message=_("A closed request needs its outcome and the time it closed."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("New request for support")

    def get_absolute_url(self) -> str:
        return reverse("engagement:request_detail", kwargs={"reference": self.reference})

    @staticmethod
    def reference_for(pk: int, year: int) -> str:
        return f"ANR-{year}-{pk:05d}"

    @property
    def received_on(self) -> datetime.date:
        return timezone.localdate(self.created_at)

    @property
    def acknowledge_by(self) -> datetime.date:
        """The last working day to acknowledge it (see ``SupportRequestQuerySet.with_overdue``)."""
        return add_working_days(self.received_on, acknowledge_within_days())

    @property
    def overdue(self) -> bool:
        """``is_overdue`` from ``with_overdue`` when annotated, else the same rule in Python."""
        if hasattr(self, "is_overdue"):
            return self.is_overdue
        return self.status == SupportRequestStatus.NEW and self.acknowledge_by < _today()

    @property
    def is_new(self) -> bool:
        return self.status == SupportRequestStatus.NEW

    @property
    def is_closed(self) -> bool:
        return self.status == SupportRequestStatus.CLOSED

    def next_statuses(self) -> list[SupportRequestStatus]:
        return list(NEXT_STATUSES[SupportRequestStatus(self.status)])
