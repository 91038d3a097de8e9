"""Residents' voices (issue 16): what a resident says matters where they live, sent through the
public "Tell us what matters here" form or recorded by an anchor on their behalf.

A voice is never public as written: it goes to the anchor for its place (``organisations.routing``)
and to officers. The anchor tags it with themes (the plan items' theme list:
``TaxonomyTerm.objects.services()``), merges duplicates into one voice, cites voices as evidence
on a plan item, and moves each one heard → in the plan → acted on, or not taken forward with a
reason. Its contact details are personal data (``Voice.PRIVATE_FIELDS``), erased after
``VOICE_RETENTION_DAYS`` (``voices.privacy``); the text, place, themes and status stay, so the
counts do not change.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import is_officer, is_signed_in
from core.validators import validate_phone
from localities.models import Locality
from organisations.models import AnchorRole, Organisation, TaxonomyTerm
from plans.models import PlanItem

if TYPE_CHECKING:
    from core.permissions import User


class HeardVia(models.TextChoices):
    """How a voice reached the network: most are heard in person, not online (issue 16)."""

    ONLINE = "online", _("Online form")
    CONVERSATION = "conversation", _("In conversation")
    EVENT = "event", _("At an event")
    PAPER = "paper", _("On paper")


class VoiceStatus(models.TextChoices):
    """Where a voice stands ("you said, we did"): heard → in the plan → acted on, or not taken
    forward, with a reason."""

    HEARD = "heard", _("Heard")
    IN_PLAN = "in_plan", _("In the plan")
    ACTED_ON = "acted_on", _("Acted on")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")


# The moves an anchor may make from each status. "Not taken forward" can be reconsidered.
NEXT_STATUSES = {
    VoiceStatus.HEARD: (VoiceStatus.IN_PLAN, VoiceStatus.NOT_TAKEN_FORWARD),
    VoiceStatus.IN_PLAN: (VoiceStatus.ACTED_ON, VoiceStatus.NOT_TAKEN_FORWARD),
    VoiceStatus.ACTED_ON: (),
    VoiceStatus.NOT_TAKEN_FORWARD: (VoiceStatus.HEARD,),
}


def voice_anchors_for(user: User | None) -> models.QuerySet[Organisation]:
    """The organisations whose voices ``user`` works with as an editor (officers aside)."""
    return Organisation.objects.with_member(user, editors_only=True)


def served_localities(user: User | None) -> models.QuerySet[Locality]:
    """The places an organisation ``user`` edits serves as a current anchor (lead, local or
    peer), and every place inside them (``AnchorRoleQuerySet.covered_localities``)."""
    if not is_signed_in(user):
        return Locality.objects.none()
    return (
        AnchorRole.objects.current().filter(organisation__in=voice_anchors_for(user).values("pk")).covered_localities()
    )


class VoiceQuerySet(models.QuerySet["Voice"]):
    """Voices by who may see them, and the filters the anchor's list and the later public counts
    (another slice of issue 16) need."""

    def visible_to(self, user: User | None) -> VoiceQuerySet:
        """Officers: all. An anchor's editors: the voices routed to their organisation, and those
        about a place their organisation anchors, or one inside it (``served_localities``).
        Nobody else, councillors included: the issue sends voices "to the anchor for that
        locality and to officers, never public as written"."""
        if is_officer(user):
            return self.all()
        if not is_signed_in(user):
            return self.none()
        return self.filter(
            Q(anchor__in=voice_anchors_for(user).values("pk")) | Q(locality__in=served_localities(user).values("pk"))
        )

    def counted(self) -> VoiceQuerySet:
        """Voices that count: not merged into another (a duplicate counts once, as its target)."""
        return self.filter(merged_into__isnull=True)

    def untagged(self) -> VoiceQuerySet:
        """Voices with no theme yet: the anchor's queue to tag."""
        return self.filter(themes__isnull=True)

    def past_retention(self, now: datetime.datetime | None = None) -> VoiceQuerySet:
        """Heard more than ``VOICE_RETENTION_DAYS`` days before ``now``: their contact details are
        due for erasure (``voices.privacy``)."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.VOICE_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff)


class Voice(TimeStampedModel):
    """What one resident said matters in one place, however it was heard.

    ``anchor`` is the organisation it was routed to when it was heard (``organisations.routing``);
    ``recorded_by`` is the anchor's worker who typed it in for the resident (empty for the online
    form). The contact fields (``PRIVATE_FIELDS``) are optional, with the resident's consent
    flags and when consent was given; only the anchor and officers see them. ``merged_into``
    points a duplicate at the voice it was merged into. ``erased_at`` is set when the resident
    asked for the voice to be removed: its text and contact details are then blank.
    """

    locality = models.ForeignKey(Locality, verbose_name=_("place"), on_delete=models.PROTECT, related_name="voices")
    what_matters = models.TextField(_("what matters"), max_length=3000, blank=True)
    themes = models.ManyToManyField(TaxonomyTerm, verbose_name=_("themes"), related_name="voices", blank=True)
    heard_via = models.CharField(_("how it was heard"), max_length=20, choices=HeardVia, default=HeardVia.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anchor = models.ForeignKey(
        Organisation,
        verbose_name=_("routed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voices_routed",
        help_text=_("The anchor (or network coordinator) the voice went to; empty when nobody covers the place."),
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    may_contact = models.BooleanField(_("may contact back"), default=False)
    may_quote = models.BooleanField(_("may quote"), default=False)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=VoiceStatus, default=VoiceStatus.HEARD)
    status_reason = models.CharField(
        _("why not taken forward"), max_length=500, blank=True, help_text=_("Needed when it is not taken forward.")
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    cited_on = models.ManyToManyField(
        PlanItem,
        verbose_name=_("cited on plan items"),
        related_name="voices_cited",
        blank=True,
        help_text=_("Plan items this voice is evidence for."),
    )
    erased_at = models.DateTimeField(_("erased at the resident's request"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    objects = VoiceQuerySet.as_manager()
    history = HistoricalRecords()

    PRIVATE_FIELDS = ("contact_name", "contact_email", "contact_phone")
    # What a resident's request to remove their voice blanks: everything they wrote or gave.
    ERASED_FIELDS = ("what_matters", *PRIVATE_FIELDS)

    class Meta:
        verbose_name = _("resident's voice")
        verbose_name_plural = _("residents' voices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The anchor's list, newest first, and its status filter.
            models.Index(fields=["anchor", "created_at"], name="voice_anchor_idx"),
            models.Index(fields=["anchor", "status", "created_at"], name="voice_anchor_status_idx"),
            # Voices about a place (the anchor's led places; the later public counts by place).
            models.Index(fields=["locality", "status", "created_at"], name="voice_locality_idx"),
            models.Index(fields=["status", "created_at"], name="voice_status_idx"),
            # ``counted()`` and a voice's duplicates.
            models.Index(fields=["merged_into"], name="voice_merged_idx"),
            # The daily retention job (``past_retention``).
            models.Index(fields=["created_at"], name="voice_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=VoiceStatus.NOT_TAKEN_FORWARD) | ~Q(status_reason=""),
                name="voice_not_taken_forward_has_reason",
                violation_error_message=_("Say why it is not taken forward."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="voice_not_merged_into_itself",
                violation_error_message=_("A voice cannot be merged into itself."),
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("Voice %(number)s (removed at the resident's request)") % {"number": self.pk})
        return Truncator(self.what_matters).chars(60) or str(_("Voice %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("voices:detail", kwargs={"pk": self.pk})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)

    @property
    def is_not_taken_forward(self) -> bool:
        return self.status == VoiceStatus.NOT_TAKEN_FORWARD

    def next_statuses(self) -> list[VoiceStatus]:
        return list(NEXT_STATUSES[VoiceStatus(self.status)])

    def clean(self) -> None:
        errors = {}
        if self.status == VoiceStatus.NOT_TAKEN_FORWARD and not self.status_reason.strip():
            errors["status_reason"] = _("Say why it is not taken forward")
        if self.pk and self.merged_into_id == self.pk:
            errors["merged_into"] = _("A voice cannot be merged into itself")
        if (self.may_contact or self.may_quote) and self.consent_given_at is None:
            self.consent_given_at = timezone.now()
        if errors:
            raise ValidationError(errors)
