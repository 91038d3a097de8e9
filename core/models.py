"""Abstract base models and the publication rule shared by every app."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last changed (aware datetimes, UTC in the DB)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    """Where a public record is in its life: only ``PUBLISHED`` records appear on public pages."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The statuses residents may see. The one statement of the rule: ``PublishableQuerySet`` and
# ``Publishable.is_public`` read it, and nothing else compares a status with it.
PUBLIC_STATUSES = frozenset({PublicationStatus.PUBLISHED})


class PublishableQuerySet(models.QuerySet):
    """Filters for a model whose ``status`` is a ``PublicationStatus``."""

    @staticmethod
    def public_condition(path: str = "") -> Q:
        """The condition "is public", on this model or, through ``path`` (for example
        ``"organisation__"``), on a related one, for another model's queries."""
        return Q(**{f"{path}status__in": sorted(PUBLIC_STATUSES)})

    def public(self):
        """Only what residents may see."""
        return self.filter(self.public_condition())

    @staticmethod
    def archived_condition(path: str = "") -> Q:
        """The condition "is archived" (kept for the record, out of use: docs/adr/0007), on
        this model or, through ``path``, on a related one."""
        return Q(**{f"{path}status": PublicationStatus.ARCHIVED})


class Publishable(models.Model):
    """Gives a model with a ``PublicationStatus`` ``status`` field the per-object answer of
    ``PublishableQuerySet.public()``."""

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class SentEmail(models.Model):
    """That the email for one event has been sent: the record that keeps a task run twice (a
    retry, a worker restarted mid-run, a service called again) from sending it twice.

    ``key`` names the event, e.g. ``support-request-7-acknowledged``; nothing personal is kept
    here (no address, no text), so it needs no retention rule of its own.
    """

    key = models.CharField(_("event"), max_length=200, unique=True)
    template = models.CharField(_("email template"), max_length=100)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    # Who deleted a row (to let an email go out again), as for every record officers can change.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.key
