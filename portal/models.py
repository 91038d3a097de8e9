"""Submitted quarterly returns (issue 14): the figures a network gave the council for a closed
contract quarter, frozen as they were, so that a later edit to an old record cannot change what
was reported without anyone seeing it.

A return stores the rows of the dashboard's downloads exactly (``portal.dashboard_views.
dashboard_rows``) and the CSV and XLSX files as they were served, so that downloading it again
gives the same bytes. Submitting a quarter again *replaces* the earlier return explicitly: the
new one names the one it replaces (and why), the old one stays, marked as replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import is_officer
from organisations.models import Network

from .permissions import networks_returning_for

if TYPE_CHECKING:
    from core.permissions import User


# What makes a return heavy: its figures and the two files as submitted.
HEAVY_FIELDS = ("rows", "csv_file", "xlsx_file")


class SubmittedReturnQuerySet(models.QuerySet["SubmittedReturn"]):
    """Who may read which return, and which return of a quarter counts."""

    def visible_to(self, user: User | None) -> SubmittedReturnQuerySet:
        """Returns of the networks ``user`` reports for (``networks_returning_for``)."""
        if is_officer(user):
            return self.all()
        return self.filter(network__in=networks_returning_for(user))

    def current(self) -> SubmittedReturnQuerySet:
        """Returns no later submission has replaced: one per network and quarter at most."""
        return self.filter(replaced_by__isnull=True)

    def for_quarter(self, network: Network, start, end) -> SubmittedReturnQuerySet:
        return self.filter(network=network, period_start=start, period_end=end)

    def summaries(self, *, rows: bool = False) -> SubmittedReturnQuerySet:
        """Without the files (and the figures too unless ``rows``), each with the submission it
        replaces and the one replacing it, of which only the ids and dates are read: a page
        of returns shows names, dates and links, and a workbook is tens of kilobytes."""
        heavy = [field for field in HEAVY_FIELDS if not (rows and field == "rows")]
        neighbours = [f"{link}__{field}" for link in ("replaces", "replaced_by") for field in HEAVY_FIELDS]
        return self.select_related("network", "submitted_by", "replaces", "replaced_by").defer(*heavy, *neighbours)


class SubmittedReturn(TimeStampedModel):
    """A network's quarterly contract return as submitted to the council: the period, who
    submitted it and when, the figures (``rows``: the dashboard download's rows, a list of
    lists of strings and numbers) and the CSV and XLSX files exactly as they were given.

    Nothing here is edited after submission; a correction is a new return that ``replaces``
    this one.
    """

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="submitted_returns"
    )
    period_code = models.CharField(_("quarter"), max_length=10, help_text=_("For example 2026-Q1."))
    period_label = models.CharField(_("period"), max_length=60)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="submitted_returns",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    rows = models.JSONField(_("figures"), default=list)
    csv_file = models.BinaryField(_("CSV file"))
    xlsx_file = models.BinaryField(_("XLSX file"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    reason = models.TextField(
        _("why it replaces the earlier return"),
        blank=True,
        help_text=_("Required when a quarter is submitted again."),
    )

    objects = SubmittedReturnQuerySet.as_manager()
    # The files are kept once, on the record: the history records who changed what, and nothing
    # here is changed after submission.
    history = HistoricalRecords(excluded_fields=["csv_file", "xlsx_file"])

    class Meta:
        verbose_name = _("submitted return")
        verbose_name_plural = _("submitted returns")
        ordering = ["network", "-period_start", "-submitted_at"]
        indexes = [models.Index(fields=["network", "-period_start"], name="return_network_period")]
        constraints = [
            # The first return of a quarter replaces nothing; every later one replaces the one
            # before it (``replaces`` is one-to-one), so a quarter's returns form a single chain.
            models.UniqueConstraint(
                fields=["network", "period_start", "period_end"],
                condition=Q(replaces__isnull=True),
                name="return_one_first_submission_per_quarter",
                violation_error_message=_("This quarter's return has already been submitted."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="return_period_end_after_start",
                violation_error_message=_("The last day must be the same as or after the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} – {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("portal:return_detail", args=[self.pk])

    @property
    def is_replaced(self) -> bool:
        """Whether a later submission of the same quarter replaced this one."""
        try:
            return self.replaced_by is not None
        except SubmittedReturn.DoesNotExist:
            return False
