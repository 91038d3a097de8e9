"""Abstract base models and the publication rule shared by every app."""

from __future__ import annotations

from django.conf import settings
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


class ImportJobState(models.TextChoices):
    """Where a background import is (``ImportJob``): each state is reached only from the one
    before it, and ``FAILED`` from any running one."""

    QUEUED = "queued", _("Queued")
    PREVIEWING = "previewing", _("Previewing")
    READY = "ready", _("Ready to confirm")
    APPLYING = "applying", _("Applying")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A file of these states is waiting, running or applied: the same file for the same kind is
# refused while one is in them (``ImportJob``'s partial unique constraint says it again).
IMPORT_JOB_HOLDING_STATES = (
    ImportJobState.QUEUED,
    ImportJobState.PREVIEWING,
    ImportJobState.READY,
    ImportJobState.APPLYING,
    ImportJobState.DONE,
)
IMPORT_JOB_RUNNING_STATES = (ImportJobState.QUEUED, ImportJobState.PREVIEWING, ImportJobState.APPLYING)


class ImportJobQuerySet(models.QuerySet):
    def holding(self):
        """Jobs that keep their file from being submitted again: waiting, running or applied."""
        return self.filter(state__in=IMPORT_JOB_HOLDING_STATES)


class ImportJob(models.Model):
    """An officer's import of a large file (more rows than ``settings.IMPORT_BACKGROUND_ROWS``),
    previewed and then applied by the task worker rather than in the request
    (``core.import_jobs``, ``core.tasks``).

    ``kind`` is the label of the model imported (``organisations.organisation``); the admin of
    that model knows the resource that reads it. ``sha256`` is the file's content hash, for the
    resubmission guard. ``data`` holds the uploaded bytes only until the job is done or has
    failed, then is emptied: the file's rows live on in the records, not here. ``messages`` are
    the lines the officer reads: each row's problem on a failure, possible duplicates on a
    preview (at most ``MAX_MESSAGES``).
    """

    MAX_MESSAGES = 1000

    kind = models.CharField(_("kind"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=ImportJobState, default=ImportJobState.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmed_import_jobs",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    new_count = models.PositiveIntegerField(_("to add"), default=0)
    update_count = models.PositiveIntegerField(_("to update"), default=0)
    skip_count = models.PositiveIntegerField(_("unchanged"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    data = models.BinaryField(_("file"), null=True, blank=True, editable=False)

    objects = ImportJobQuerySet.as_manager()
    # The file's bytes are left out of the history: they are deleted when the job ends, and
    # a copy in every history row would keep them (and weigh megabytes a row).
    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "sha256"], name="core_importjob_kind_hash"),
            # The admin's list: newest first, filtered by state.
            models.Index(fields=["state", "-created_at"], name="core_importjob_state_created"),
            models.Index(fields=["-created_at"], name="core_importjob_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sha256"],
                condition=Q(state__in=IMPORT_JOB_HOLDING_STATES),
                name="core_importjob_one_holding_per_file",
                violation_error_message=_("This file is already being imported, or has been."),
            ),
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")), name="core_importjob_rows"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        """Waiting for or in the worker: the page is worth checking again."""
        return self.state in IMPORT_JOB_RUNNING_STATES

    @property
    def is_ready(self) -> bool:
        """Previewed without a problem: the officer may confirm it."""
        return self.state == ImportJobState.READY

    @property
    def is_applying(self) -> bool:
        return self.state == ImportJobState.APPLYING

    @property
    def has_failed(self) -> bool:
        return self.state == ImportJobState.FAILED

    @property
    def percent_done(self) -> int:
        """Rows read of the total, 0 to 100."""
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0
