"""The base of the ``import_<records>`` management commands (docs/import.md): the admin's
import of one kind of record, for files too large to upload, with the same columns, matching
and checks, previewing unless told to apply, and all or nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.imports import ImportFileError, ImportResource, import_failed, import_file, row_messages
from core.permissions import is_officer

# A preview's note that the officer should read before applying (OrganisationResource's).
FLAGGED_NOTE = "Possible duplicate"
BAR_WIDTH = 20


def progress_line(verb: str, row: int, total: int) -> str:
    """``"Importing: row 10,000 of 20,000 [##########..........]  50%"``."""
    share = row / total if total else 1
    filled = int(share * BAR_WIDTH)
    return f"{verb}: row {row:,} of {total:,} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}"


class ImportCommand(BaseCommand):
    """``manage.py import_<records> FILE [--dry-run | --commit] [--user USERNAME]``.

    Subclasses set ``resource_class`` (an ``ImportResource``) and ``records`` (the plural
    noun, for the help). Without ``--commit`` it previews: what each row would add, update or
    skip; rows flagged as possible duplicates are listed. With ``--commit`` it applies the whole
    file, or nothing if any row fails (exit status 1, each row's problem on stderr). Progress
    goes to stderr, a line a tenth of the rows.
    """

    resource_class: type[ImportResource]
    records: str

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = (
            f"Import {self.records} from a CSV or XLSX file with the admin's columns (docs/import.md). "
            "Without --commit it only previews: what each row would add, update or skip, and why. "
            "With --commit it applies the whole file, or nothing if any row fails."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Preview only (the default): change nothing.")
        mode.add_argument("--commit", action="store_true", help="Apply the file, all or nothing.")
        parser.add_argument(
            "--user", metavar="USERNAME", help="The officer the history records the import under (recommended)."
        )

    def handle(self, *args, file: str, commit: bool, user: str | None, **options):
        officer = self._officer(user)
        verb = "Importing" if commit else "Checking"
        shown = [-1]

        def progress(row: int, total: int) -> None:
            # A line per tenth of the rows: readable in a terminal and in a log.
            tenth = row * 10 // total if total else 10
            if tenth > shown[0]:
                shown[0] = tenth
                self.stderr.write(progress_line(verb, row, total))

        try:
            result = import_file(self.resource_class(progress=progress), file, commit=commit, user=officer)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if import_failed(result):
            for line in row_messages(result):
                self.stderr.write(line)
            raise CommandError("Nothing was imported: fix these rows and run the command again.")
        for row in result.valid_rows():
            for note in row.notes:
                if FLAGGED_NOTE in note:
                    self.stdout.write(f"Row {row.number}: {row.object_repr}: {note}")
        totals = result.totals
        summary = f"{totals['new']:,} to add, {totals['update']:,} to update, {totals['skip']:,} unchanged"
        if commit:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}: {summary.replace('to ', '')}."))
        else:
            self.stdout.write(f"Preview of {file}: {summary}. Nothing changed: run again with --commit to apply.")

    def _officer(self, username: str | None):
        if username is None:
            return None
        found = get_user_model().objects.filter(username=username).first()
        if found is None or not is_officer(found):
            raise CommandError(f"{username} is not an officer's username.")
        return found
