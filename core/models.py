"""Abstract base models and the publication rule shared by every app."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class Publishable(models.Model):
    """Gives a model with a ``PublicationStatus`` ``status`` field the per-object answer of
    ``PublishableQuerySet.public()``."""

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES
