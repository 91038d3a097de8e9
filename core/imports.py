"""What every import shares: reading the CSV and XLSX files officers actually have, dates as
spreadsheets write them, and django-import-export resources that preview first, apply all or
nothing and leave an audit trail.

Files as people save them (issue 17):

- CSV in UTF-8 with or without a byte-order mark, or in Windows-1252 (what older Excel writes
  for "CSV (Comma delimited)"); UTF-16 ("Unicode text", tab-separated) too;
- XLSX with title rows above the headings, merged heading cells and blank rows at the end;
- dates as Excel serial numbers (XLSX) or dd/mm/yyyy (CSV, UK order: never read as US);
- cells that look like formulas (``=cmd|' /C calc'!A0``) stay text: nothing is evaluated, and
  the export escapes them again (``core.exports.spreadsheet_safe``).

Anything else is refused with an :class:`ImportFileError` whose message says what to do, and
nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.formats import base_formats
from import_export.results import RowResult

from core.exports import ExportResource, from_spreadsheet

# An upload larger than this is not a list an officer keeps by hand: use the command.
MAX_FILE_BYTES = 20 * 1024 * 1024
# The longest text a cell may hold: the longest field we store is a description, and a cell
# longer than this is a pasted document or an attack on the reader.
MAX_CELL_CHARS = 10_000
MAX_ROWS = 100_000
# Excel's 1900 date system counts days from 30 December 1899 (its day 60, 29 February 1900,
# never existed; counting from the 30th makes every later serial right). Source: Microsoft,
# "Date systems in Excel".
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2_958_465  # 31 December 9999

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(ValueError):
    """A file that cannot be imported as it is; ``str(error)`` tells the officer why and what to
    do. Nothing has been written when it is raised."""


# ------------------------------------------------------------------------------
# Reading files
# ------------------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    A byte-order mark decides (UTF-8, UTF-16); otherwise UTF-8 if the bytes are valid UTF-8,
    else Windows-1252, which older Excel uses for "CSV (Comma delimited)" on UK Windows.

    Raises:
        ImportFileError: binary content (NUL bytes) or bytes that are neither encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    elif b"\x00" in data:
        raise ImportFileError(
            _("This is not a CSV or Excel (.xlsx) file. Save the list as CSV or .xlsx and try again.")
        )
    else:
        candidates = [("utf-8", data), ("cp1252", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise ImportFileError(
        _("The file's characters could not be read. In Excel, save it as “CSV UTF-8 (Comma delimited)” and try again.")
    )


def _csv_rows(data: bytes) -> list[list[Any]]:
    text, _encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        # The csv module's own limit (128 KB a field) or a stray NUL: neither is a list of records.
        raise ImportFileError(
            _("The file could not be read as CSV (%(detail)s). Check it opens in a spreadsheet and save it again.")
            % {"detail": exc}
        ) from exc


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    # openpyxl is imported here: only an XLSX upload needs it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only, so merged cells are known; not data_only, so a formula is read as the
        # text it is and never as what it computed.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise ImportFileError(
            _("This Excel file could not be opened. Save it again as .xlsx (Excel Workbook) or CSV.")
        ) from exc
    sheet = workbook.worksheets[0]
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    # A merged range holds its value in its top-left cell only: give every cell the value, so a
    # heading merged over two rows is a heading on the row that has the others.
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                cells = grid[row - 1]
                if col <= len(cells):
                    cells[col - 1] = value
    workbook.close()
    return grid


def _clean_cell(value: Any) -> Any:
    """A cell as the resources read it: text stripped, whole floats as ints (Excel stores
    ``1234567`` as ``1234567.0``), dates and numbers as they are, empty as ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_blank(row: Sequence[Any]) -> bool:
    return all(cell == "" for cell in row)


def normalise_header(text: Any) -> str:
    """A column heading as resources name columns: ``" Charity Number "`` → ``charity_number``."""
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().casefold())


def _header_index(rows: list[list[Any]], known_columns: Iterable[str] | None) -> int:
    """The row of headings among the first 20: the one naming the most ``known_columns``
    (the first of equals), so title rows and groups of merged headings above it are passed
    over. Without ``known_columns``: the first row with at least two headings, all different.

    Raises:
        ImportFileError: no such row.
    """
    head = rows[:20]
    if known_columns is not None:
        known = set(known_columns)
        scores = [len(known & {normalise_header(cell) for cell in row}) for row in head]
        if scores and max(scores) > 0:
            return scores.index(max(scores))
    else:
        for index, row in enumerate(head):
            names = [normalise_header(cell) for cell in row if cell != ""]
            if len(names) >= 2 and len(set(names)) == len(names):
                return index
    raise ImportFileError(
        _("No row of column headings was found. The first row should name the columns, e.g. “name”, “postcode”.")
    )


def read_table(
    data: bytes, *, known_columns: Iterable[str] | None = None, max_bytes: int = MAX_FILE_BYTES
) -> tablib.Dataset:
    """The rows of a CSV or XLSX file (told apart by content, not by name), as a ``Dataset``
    whose headers are ``normalise_header``-ed and whose cells are ``_clean_cell``-ed; blank
    rows (trailing ones included) left out. ``known_columns`` (the resource's) find the row of
    headings under any title rows (``_header_index``).

    Raises:
        ImportFileError: an empty, binary, unreadable, too large or headless file; a cell over
            ``MAX_CELL_CHARS``; data under no heading; a heading that appears twice.
    """
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Import it with the import command, or split it.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if data.startswith(_OLE2_MAGIC):
        raise ImportFileError(_("This is an old Excel (.xls) file. Save it as .xlsx (Excel Workbook) or CSV."))
    raw = _xlsx_rows(data) if data.startswith(_ZIP_MAGIC) else _csv_rows(data)
    rows = [[_clean_cell(cell) for cell in row] for row in raw]
    rows = [row for row in rows if not _is_blank(row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    start = _header_index(rows, known_columns)
    header_row, body = rows[start], rows[start + 1 :]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)s rows: split it.") % {"max": f"{MAX_ROWS:,}"})
    width = max(len(row) for row in [header_row, *body])
    header_row = header_row + [""] * (width - len(header_row))
    body = [row + [""] * (width - len(row)) for row in body]
    # Columns with no heading and nothing in them are the spreadsheet's, not the officer's.
    keep = [i for i, name in enumerate(header_row) if name != "" or any(row[i] != "" for row in body)]
    headers = [normalise_header(header_row[i]) for i in keep]
    for position, name in zip(keep, headers, strict=True):
        if not name:
            from openpyxl.utils import get_column_letter  # only this refusal needs openpyxl

            raise ImportFileError(
                _("Column %(column)s has data but no heading. Give it a heading or delete it.")
                % {"column": get_column_letter(position + 1)}
            )
    duplicated = sorted({name for name in headers if headers.count(name) > 1})
    if duplicated:
        raise ImportFileError(
            _("These headings appear more than once: %(names)s. Keep one of each.") % {"names": ", ".join(duplicated)}
        )
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(body, 1):
        cells = [from_spreadsheet(row[i]) for i in keep]
        for name, cell in zip(headers, cells, strict=True):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise ImportFileError(
                    _("Row %(row)s, column “%(column)s” holds more than %(max)s characters.")
                    % {"row": number, "column": name, "max": f"{MAX_CELL_CHARS:,}"}
                )
        dataset.append(cells)
    return dataset


class SpreadsheetFormat(base_formats.Format):
    """django-import-export's file format for the admin: CSV or XLSX, read by ``read_table``
    whichever the officer picked (the content decides), as bytes so no encoding is assumed.
    ``for_columns`` makes one that knows the resource's columns."""

    known_columns: tuple[str, ...] | None = None

    @classmethod
    def for_columns(cls, columns: Iterable[str]) -> type[SpreadsheetFormat]:
        return type(cls.__name__, (cls,), {"known_columns": tuple(columns)})

    def __init__(self, title: str, extension: str, encoding: str | None = None):
        self._title, self._extension = title, extension

    def get_title(self):
        return self._title

    def get_extension(self):
        return self._extension

    def is_binary(self):
        return True

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream):
        return read_table(in_stream, known_columns=self.known_columns)


class CSVImport(SpreadsheetFormat):
    def __init__(self, encoding: str | None = None):
        super().__init__("csv", "csv")


class XLSXImport(SpreadsheetFormat):
    def __init__(self, encoding: str | None = None):
        super().__init__("xlsx", "xlsx")


# ------------------------------------------------------------------------------
# Cells
# ------------------------------------------------------------------------------
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: Any) -> datetime.date | None:
    """A date from a spreadsheet cell: a date or datetime (openpyxl), an Excel serial number
    (``46361`` or ``"46361"``: 5 December 2026), or text as dd/mm/yyyy, dd/mm/yy or
    yyyy-mm-dd. Day first always: ``03/04/2026`` is 3 April (UK), never guessed as US.
    Empty is ``None``.

    Raises:
        ValueError: anything else, with a message for the officer.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if (isinstance(value, int | float) and not isinstance(value, bool)) or re.fullmatch(r"\d{1,7}(\.0+)?", text):
        serial = int(float(text))
        if 1 <= serial <= EXCEL_MAX_SERIAL:
            return EXCEL_EPOCH + datetime.timedelta(days=serial)
    for pattern in _DATE_FORMATS:
        try:
            # A calendar date, no time zone: time.strptime checks it (31/02 is refused).
            return datetime.date(*time.strptime(text, pattern)[:3])
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 05/12/2026.") % {"value": text[:40]})


class SpreadsheetDateWidget(widgets.Widget):
    """Reads any date ``parse_date`` reads; writes ISO 8601 (``2026-12-05``), which every
    spreadsheet reads back the same way."""

    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice field written as its label ("Community group"), or as its stored value with
    ``render_labels=False``, and read from either, in any case. An empty cell is ``blank``
    (``None``: the model's default, on a new record).

    Raises (``clean``): ValueError naming the accepted labels.
    """

    def __init__(self, choices: Iterable[tuple[str, Any]], *, blank: str | None = None, render_labels: bool = True):
        self.choices = [(str(value), str(label)) for value, label in choices]
        self.blank = blank
        self.render_labels = render_labels

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().casefold()
        if not text:
            return self.blank
        for stored, label in self.choices:
            if text in (stored.casefold(), label.casefold()):
                return stored
        raise ValueError(
            _("“%(value)s” is not one of: %(labels)s.")
            % {"value": str(value)[:60], "labels": ", ".join(label for _stored, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        if not self.render_labels:
            return str(value or "")
        return dict(self.choices).get(str(value or ""), "")


# ------------------------------------------------------------------------------
# Resources
# ------------------------------------------------------------------------------
# What the preview says a row will do, by django-import-export's ``RowResult.import_type``.
ROW_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("Add"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Update"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Skip"),
}


class ImportResource(ExportResource):
    """The base of AnchorNet's import resources (each app's ``resources.py``).

    - ``check_columns`` refuses a file with unknown or missing columns before any row is read;
    - every row is validated as the admin validates a form (``full_clean``), unchanged rows are
      skipped and reported, and each row can carry notes for the preview (``note``: why it
      matched, what was flagged);
    - ``import_data`` rolls everything back on any row's error or invalid value (all or
      nothing), in a transaction;
    - each saved record's history row names the officer and the file ("Imported from
      leeds.csv"), through django-simple-history's ``_history_user`` and ``_change_reason``.

    Subclasses set ``required_columns``. Read-only fields are columns an export writes and
    an import accepts without reading (e.g. ``last_modified``), or reads itself in
    ``import_related``.
    """

    required_columns: tuple[str, ...] = ()
    # The model's ``HistoricalRecords``, to write one history row per imported row (see
    # ``save_instance``); ``None`` lets django-simple-history write its own.
    history_records = None

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, progress: Callable[[int, int], None] | None = None, **kwargs):
        """``progress(row_number, total_rows)``, if given, is called before each row."""
        super().__init__(**kwargs)
        self.row_notes: dict[int, list[str]] = {}
        self._row_number = 0
        self._total_rows = 0
        self._unrecorded = None
        self.progress = progress

    # -- Columns ---------------------------------------------------------------
    def known_columns(self) -> list[str]:
        return [field.column_name for field in self.fields.values()]

    def check_columns(self, headers: Sequence[str]) -> None:
        """Raises ImportFileError for a column this resource does not know or a required one
        missing: a mistyped heading would otherwise drop a column of data without a word."""
        known = set(self.known_columns())
        unknown = [name for name in headers if name not in known]
        missing = [name for name in self.required_columns if name not in headers]
        problems = []
        if missing:
            problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("Columns this import does not read: %(names)s.") % {"names": ", ".join(unknown)})
        if problems:
            columns = ", ".join(self.known_columns())
            problems.append(_("The columns it reads are: %(names)s (see docs/import.md).") % {"names": columns})
            raise ImportFileError(" ".join(problems))

    def before_import(self, dataset, **kwargs):
        self.check_columns(dataset.headers or [])
        self._total_rows = len(dataset)

    # -- Rows ------------------------------------------------------------------
    def note(self, text: str) -> None:
        """Record why the current row is imported as it is, for the preview."""
        self.row_notes.setdefault(self._row_number, []).append(str(text))

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number", 0)
        self.row_notes.pop(self._row_number, None)
        self._unrecorded = None
        if self.progress is not None:
            self.progress(self._row_number, self._total_rows)
        # A number in a spreadsheet is text to us (a charity number, a phone number) until a
        # widget says otherwise: the date widget reads "46361" as it reads 46361.
        for name, value in row.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                row[name] = str(value)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A new record is never unchanged: asking would read the row's related records (a query
        # each many-to-many column) for nothing, on most rows of a large file.
        if original is None or original.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Save as django-import-export does; with ``history_records``, write no history row
        yet: ``after_import_row`` writes one once the many-to-many links are set. Left to
        django-simple-history, the save and each link changed write one each (three for an
        organisation with areas and services), and each re-reads every link: half an
        organisations import's queries (bench/imports.py)."""
        if self.history_records is not None:
            instance.skip_history_when_saving = True
            self._unrecorded = (instance, is_create)
        instance._imported_new = is_create
        super().save_instance(instance, is_create, row, **kwargs)

    def set_links(self, instance, relation: str, objects: list) -> None:
        """``instance.<relation>.set(objects)``, for ``save_m2m``, at fewer queries a row: a
        record saved new by this row has no links to read first (they are added), and the links
        are kept as if prefetched, so the preview's diff (the export of the saved record) reads
        them without asking the database again."""
        manager = getattr(instance, relation)
        if getattr(instance, "_imported_new", False):
            manager.add(*objects)
        else:
            manager.set(objects)
        cached = manager.all()
        cached._result_cache = list(objects)
        cached._prefetch_done = True
        if not hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache = {}
        instance._prefetched_objects_cache[manager.prefetch_cache_name] = cached

    def after_import_row(self, row, row_result, **kwargs):
        if self._unrecorded is not None:
            instance, is_create = self._unrecorded
            self._unrecorded = None
            del instance.skip_history_when_saving
            self.history_records.create_historical_record(instance, "+" if is_create else "~")
        if row_result.import_type == row_result.IMPORT_TYPE_SKIP:
            self.note(_("Already as in the file: nothing to change."))
        row_result.notes = self.row_notes.get(self._row_number, [])
        row_result.number = self._row_number
        # The preview's "Action" column, named here so the template compares no status strings.
        row_result.action = ROW_ACTIONS.get(row_result.import_type, "")

    def import_instance(self, instance, row, **kwargs):
        """Set the row's fields, then ``import_related``; every problem of the row is raised
        together, as one ValidationError keyed by column."""
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.import_related(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row, errors: dict[str, list[str]]) -> None:
        """Read what the fields do not (related records, generated slugs): add problems to
        ``errors`` (``{column: [messages]}``) rather than raising."""

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and getattr(user, "pk", None):
            instance._history_user = user
        instance._change_reason = str(gettext_lazy("Imported from %(file)s")) % {
            "file": kwargs.get("file_name") or _("a file")
        }

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """django-import-export's ``import_data``, all or nothing: any row's error or invalid
        value rolls back every row (in one transaction)."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs)


def import_failed(result) -> bool:
    """Whether an ``import_data`` result was rolled back (any error or invalid row)."""
    return result.has_errors() or result.has_validation_errors()


def row_messages(result) -> list[str]:
    """Every problem of an import ``result``, one line each ("Row 3: postcode: Enter a real
    postcode, like LS1 1UR."), for the command and the admin's message."""
    lines = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        lines.extend(_("Row %(row)s: %(error)s") % {"row": number, "error": error.error} for error in errors)
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            lines.extend(_("Row %(row)s: %(error)s") % {"row": invalid.number, "error": label + m} for m in messages)
    return lines


def import_file(resource: ImportResource, path: str, *, commit: bool, user=None, max_bytes: int = MAX_FILE_BYTES * 25):
    """Import the CSV or XLSX file at ``path`` through ``resource``, as the admin does: read by
    ``read_table``, previewed (``commit=False``: rolled back) or applied all or nothing, each
    history row naming ``user`` and the file. For the management commands.

    Returns the django-import-export ``Result`` (``import_failed`` says whether it was rolled
    back; ``row_messages`` lists why).

    Raises:
        ImportFileError: the file cannot be read or has columns the resource does not know.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImportFileError(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": exc.strerror}) from exc
    dataset = read_table(data, known_columns=resource.known_columns(), max_bytes=max_bytes)
    resource.check_columns(dataset.headers)
    return resource.import_data(dataset, dry_run=not commit, file_name=os.path.basename(path), user=user)
