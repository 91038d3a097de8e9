"""Large imports in the background (issue 17): an admin import of more rows than
``settings.IMPORT_BACKGROUND_ROWS`` is kept as an :class:`~core.models.ImportJob`, previewed
by the task worker (django-tasks, database backend: ``manage.py db_worker``), confirmed by an
officer from its progress page, and applied by the worker, all or nothing, as the admin
imports a small file in the request (``core.admin.ImportableAdminMixin``).

The rules it keeps:

- **one import per file**: the same bytes (SHA-256) for the same kind are refused while an
  import of them is queued, running, ready to confirm or applied (``import_job_submit``; the
  model's partial unique constraint says it again for two uploads at the same instant);
- **one apply per confirmation**: "Confirm import" changes the state under
  ``select_for_update``, so a second click, or a second officer, finds it already applying
  (``import_job_confirm``); the apply commits its rows and its "done" together, after
  checking under the same lock that nobody applied it meanwhile;
- **all or nothing**: any row's problem rolls the whole file back (``ImportResource``);
- the uploaded bytes are deleted once the job is done or has failed.

The resource that reads a kind is the one its admin imports with (``resource_class_for``), so
this module names no domain app.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.apps import apps
from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.imports import ImportFileError, ImportResource, import_failed, read_table, row_messages
from core.models import ImportJob, ImportJobState
from core.notifications import enqueue_on_commit

logger = logging.getLogger(__name__)

# The note that marks a preview's row for the officer's attention (``OrganisationResource``):
# the progress page lists these rows, as the command does.
_FLAG_MARK = "Possible duplicate"


class ImportJobRefused(Exception):
    """The file cannot start an import: ``job`` is the import of the same file that is
    waiting, running or applied (submit), or the job is not ready to apply (confirm)."""

    def __init__(self, job: ImportJob, message: str):
        super().__init__(message)
        self.job = job


def file_hash(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def resource_class_for(kind: str) -> type[ImportResource]:
    """The resource class that the admin of model ``kind`` (``organisations.organisation``)
    imports with.

    Raises:
        LookupError: no such model, or its admin does not import.
    """
    model_admin = admin.site.get_model_admin(apps.get_model(kind))
    classes = getattr(model_admin, "get_import_resource_classes", lambda request: [])(None)
    if not classes:
        raise LookupError(f"{kind} has no import")
    return classes[0]


# ------------------------------------------------------------------------------
# Services (the officer's requests)
# ------------------------------------------------------------------------------
def import_job_submit(*, kind: str, file_name: str, data: bytes, rows_total: int, user) -> ImportJob:
    """Keep ``data`` (a CSV or XLSX file of ``rows_total`` data rows) as a queued import of
    ``kind`` submitted by ``user``, and queue its preview once the transaction commits.

    Raises:
        ImportJobRefused: the same file for the same kind is queued, running, ready to confirm
            or applied already (``error.job`` is that import).
    """
    digest = file_hash(data)
    with transaction.atomic():
        held = ImportJob.objects.holding().filter(kind=kind, sha256=digest).order_by("-pk").first()
        if held is None:
            try:
                with transaction.atomic():
                    job = ImportJob.objects.create(
                        kind=kind,
                        file_name=file_name[:255],
                        sha256=digest,
                        rows_total=rows_total,
                        created_by=user if getattr(user, "pk", None) else None,
                        data=data,
                    )
            except IntegrityError:
                # Another upload of the same file won the race between the check and the insert.
                held = ImportJob.objects.holding().filter(kind=kind, sha256=digest).order_by("-pk").first()
                if held is None:
                    raise
            else:
                enqueue_on_commit(import_job_preview, job.pk)
                return job
    if held.state == ImportJobState.DONE:
        message = _("This file was imported already (%(when)s): it was not imported again.")
    else:
        message = _("This file is being imported already (submitted %(when)s): it was not started again.")
    raise ImportJobRefused(held, message % {"when": timezone.localtime(held.created_at).strftime("%d/%m/%Y %H:%M")})


def import_job_confirm(*, job_id: int, user) -> ImportJob:
    """Apply a previewed import: mark it applying, by ``user``, and queue the apply. The
    state is read and changed under a row lock, so of two confirmations (a double click, two
    officers) one applies and the other is refused.

    Raises:
        ImportJobRefused: the job is not ready to confirm (still previewing, already applying
            or applied, or failed).
        ImportJob.DoesNotExist: no such job.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if not job.is_ready:
            raise ImportJobRefused(
                job, _("This import is %(state)s: it cannot be confirmed now.") % {"state": job.get_state_display()}
            )
        job.state = ImportJobState.APPLYING
        job.confirmed_by = user if getattr(user, "pk", None) else None
        job.confirmed_at = timezone.now()
        job.rows_done = 0
        job._change_reason = _("Confirmed")
        job._history_user = job.confirmed_by
        job.save()
        enqueue_on_commit(import_job_apply, job.pk)
    return job


# ------------------------------------------------------------------------------
# The worker's side
# ------------------------------------------------------------------------------
class ProgressWriter:
    """``progress(row, total)`` for ``ImportResource``: writes the job's ``rows_done`` at most
    once every ``interval`` seconds while the import's own transaction is still open.

    The import runs in one transaction (all or nothing), so a progress written on its
    connection would be seen by nobody until the end. On PostgreSQL the count is written on a
    second connection of its own, in autocommit, which the progress page reads at once. SQLite
    (development) lets one connection write at a time, and the import's holds the lock: there
    the count moves only when each step ends.
    """

    def __init__(self, job_id: int, *, interval: float = 1.0):
        self.job_id = job_id
        self.interval = interval
        self._last = time.monotonic()
        self._connection = None
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, row: int, total: int) -> None:
        now = time.monotonic()
        if self._connection is None or now - self._last < self.interval:
            return
        self._last = now
        # Raw SQL: the ORM only speaks through the alias's own connection, the import's.
        table = self._connection.ops.quote_name(ImportJob._meta.db_table)
        with self._connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET rows_done = %s WHERE id = %s", [min(row, total), self.job_id])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def _claim(job_id: int, expected: ImportJobState, new: ImportJobState) -> ImportJob | None:
    """Move the job from ``expected`` to ``new`` under a row lock; ``None`` if it is not in
    ``expected`` (another run has it, or it is gone)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != expected:
            return None
        job.state = new
        job.save(update_fields=["state"])
    return job


def _fail(job: ImportJob, problems: list[str]) -> None:
    job.state = ImportJobState.FAILED
    job.messages = _capped(problems)
    job.data = None
    job.finished_at = timezone.now()
    job.save()


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= ImportJob.MAX_MESSAGES:
        return lines
    hidden = len(lines) - ImportJob.MAX_MESSAGES
    return [*lines[: ImportJob.MAX_MESSAGES], _("… and %(count)s more.") % {"count": f"{hidden:,}"}]


def _run(job: ImportJob, *, dry_run: bool, on_result: Callable) -> None:
    """Read the job's file and import it through its kind's resource (``dry_run``: preview,
    rolled back), then ``on_result(result)`` inside the import's outer transaction."""
    progress = ProgressWriter(job.pk)
    try:
        resource = resource_class_for(job.kind)(progress=progress)
        dataset = read_table(bytes(job.data or b""), known_columns=resource.known_columns())
        user = job.confirmed_by if not dry_run else job.created_by
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=dry_run, file_name=job.file_name, user=user)
            on_result(result)
    except ImportFileError as exc:
        _fail(job, [str(exc)])
    finally:
        progress.close()


def _set_totals(job: ImportJob, result) -> None:
    job.rows_done = job.rows_total
    job.new_count = result.totals["new"]
    job.update_count = result.totals["update"]
    job.skip_count = result.totals["skip"]


@task()
def import_job_preview(job_id: int) -> str:
    """Preview a queued import (a dry run, rolled back): ready to confirm with its totals and
    flagged rows, or failed with each row's problem. Returns the state it left the job in."""
    job = _claim(job_id, ImportJobState.QUEUED, ImportJobState.PREVIEWING)
    if job is None:
        return "skipped"

    def record(result) -> None:
        if import_failed(result):
            _fail(job, row_messages(result))
            return
        _set_totals(job, result)
        job.state = ImportJobState.READY
        job.messages = _capped(
            [
                _("Row %(row)s: %(name)s: %(note)s") % {"row": row.number, "name": row.object_repr, "note": note}
                for row in result.valid_rows()
                for note in row.notes
                if _FLAG_MARK in note
            ]
        )
        job.save()

    try:
        _run(job, dry_run=True, on_result=record)
    except Exception:
        logger.exception("Background import %s: the preview failed", job_id)
        _fail(job, [_("The preview stopped on an unexpected error: nothing was changed. Tell the site's operators.")])
    return job.state


@task()
def import_job_apply(job_id: int) -> str:
    """Apply a confirmed import, all or nothing: done (and the file deleted), or failed with
    each row's problem and nothing changed. Returns the state it left the job in."""
    job = ImportJob.objects.filter(pk=job_id, state=ImportJobState.APPLYING).first()
    if job is None:
        return "skipped"
    outcome: dict[str, object] = {}

    def record(result) -> None:
        # Under the job's row lock, in the import's transaction: a second run that got here
        # first has made it done, and this run's rows are rolled back with the error.
        locked = ImportJob.objects.select_for_update().get(pk=job_id)
        if locked.state != ImportJobState.APPLYING:
            raise ImportJobRefused(locked, "applied by another run")
        if import_failed(result):
            outcome["problems"] = row_messages(result)
            return
        _set_totals(locked, result)
        locked.state = ImportJobState.DONE
        locked.data = None
        locked.finished_at = timezone.now()
        locked._history_user = locked.confirmed_by
        locked.save()
        outcome["done"] = locked

    try:
        _run(job, dry_run=False, on_result=record)
    except ImportJobRefused:
        return "skipped"
    except Exception:
        logger.exception("Background import %s: the apply failed", job_id)
        _fail(job, [_("The import stopped on an unexpected error: nothing was changed. Tell the site's operators.")])
        return job.state
    if "problems" in outcome:
        # The import rolled its rows back itself (ImportResource): only the state is left to say.
        _fail(job, [_("Nothing was imported: the data changed since the preview."), *outcome["problems"]])
    return ImportJob.objects.get(pk=job_id).state
