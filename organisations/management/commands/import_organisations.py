"""``manage.py import_organisations FILE [--dry-run | --commit]``: the admin's organisations
import, for files too large to upload (docs/import.md)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.imports import ImportFileError, import_failed, import_file, row_messages
from core.permissions import is_officer
from organisations.resources import OrganisationResource


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV or XLSX file with the admin's columns (docs/import.md). "
        "Without --commit it only previews: what each row would add, update or skip, and why. "
        "With --commit it applies the whole file, or nothing if any row fails."
    )

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
        shown = [-1]

        def progress(row: int, total: int) -> None:
            # A line per tenth of the rows: readable in a terminal and in a log.
            tenth = row * 10 // total if total else 10
            if tenth > shown[0]:
                shown[0] = tenth
                self.stderr.write(f"{'Importing' if commit else 'Checking'}: row {row:,} of {total:,}")

        resource = OrganisationResource(progress=progress)
        try:
            result = import_file(resource, file, commit=commit, user=officer)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if import_failed(result):
            for line in row_messages(result):
                self.stderr.write(line)
            raise CommandError("Nothing was imported: fix these rows and run the command again.")
        for row in result.valid_rows():
            flagged = [note for note in row.notes if "Possible duplicate" in note]
            for note in flagged:
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
