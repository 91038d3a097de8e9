"""Loading the ONS Postcode Directory into the portal (``manage.py import_postcodes``).

All or nothing: a council's postcodes are replaced in one transaction, so a file that fails
half way leaves the previous release in place. On PostgreSQL the rows go in through ``COPY``
(a whole-UK file is millions of rows, of which a council keeps tens of thousands); elsewhere
through batched inserts.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import connection, transaction

from .models import Locality, LocalityKind, Postcode, PostcodeImport
from .onspd import PostcodeRow, find_columns, read_rows

_BATCH = 2000
_COLUMNS = (
    "key",
    "postcode",
    "outward",
    "council_code",
    "ward_code",
    "ward_id",
    "introduced",
    "terminated",
    "latitude",
    "longitude",
)


class DuplicatePostcodeError(ValueError):
    """The file lists one postcode twice: most often the whole-UK CSV and the per-area files
    of the same download were joined into one."""


@dataclass
class ImportResult:
    """What one import read: ``postcodes`` kept (``retired`` of them retired), and each ward
    code the file gives that no locality carries, with how many postcodes have it."""

    postcodes: int = 0
    retired: int = 0
    unknown_ward_codes: Counter = field(default_factory=Counter)
    ward_column: str = ""


def covered_councils() -> list[str]:
    """The GSS codes of the councils the portal covers: its districts that have one."""
    return sorted(
        Locality.objects.filter(kind=LocalityKind.DISTRICT, gss_code__isnull=False).values_list("gss_code", flat=True)
    )


def _header(raw: BinaryIO) -> list[str]:
    """The file's header line, read without moving on (the file is rewound)."""
    start = raw.tell()
    line = raw.readline().decode("utf-8-sig", errors="replace")
    raw.seek(start)
    try:
        return next(csv.reader([line.rstrip("\r\n")]), [])
    except csv.Error:
        return []  # find_columns then says which column is missing


def import_postcodes(
    raw: BinaryIO,
    *,
    source: str,
    councils: Iterable[str],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Replace the postcodes of ``councils`` (GSS codes) with those in ``raw`` (an ONSPD or NSPL
    CSV opened in binary mode), and record the import. ``progress``, if given, is called with
    the bytes read so far, every few thousand rows. With ``dry_run`` everything is read and
    checked, and nothing is written.

    Raises:
        OnspdFormatError: the file cannot be read (the message says where).
        DuplicatePostcodeError: a postcode appears twice.
        UnicodeDecodeError: the file is not UTF-8 text.
    """
    councils = sorted({code.strip().upper() for code in councils})
    ward_column = find_columns(_header(raw)).ward
    wards = dict(Locality.objects.filter(gss_code__isnull=False).values_list("gss_code", "pk"))
    result = ImportResult(ward_column=ward_column)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def checked_rows() -> Iterator[tuple]:
        seen: set[str] = set()
        for number, row in enumerate(read_rows(text, councils=councils), start=1):
            if row.key in seen:
                raise DuplicatePostcodeError(
                    f"{row.postcode} appears twice in the file: import either the whole-UK file or the "
                    "files per postcode area, not both."
                )
            seen.add(row.key)
            ward_id = wards.get(row.ward_code) if row.ward_code else None
            if row.ward_code and ward_id is None:
                result.unknown_ward_codes[row.ward_code] += 1
            result.postcodes += 1
            result.retired += row.is_retired
            if progress is not None and number % 5000 == 0:
                progress(raw.tell())
            yield _values(row, ward_id)

    try:
        with transaction.atomic():
            if dry_run:
                for _values_row in checked_rows():
                    pass
            else:
                Postcode.objects.filter(council_code__in=councils).delete()
                write = _copy if connection.vendor == "postgresql" else _bulk_create
                write(checked_rows())
                PostcodeImport.objects.create(
                    source=source[:255],
                    ward_column=ward_column,
                    councils=", ".join(councils)[:255],
                    postcodes=result.postcodes,
                    retired=result.retired,
                    unknown_ward_codes=dict(result.unknown_ward_codes.most_common()),
                )
    finally:
        # The caller owns the file: do not let the wrapper close it.
        text.detach()
    if progress is not None:
        progress(raw.tell())
    return result


def _values(row: PostcodeRow, ward_id: int | None) -> tuple:
    return (
        row.key,
        row.postcode,
        row.postcode.split(" ", 1)[0],
        row.council_code or "",
        row.ward_code or "",
        ward_id,
        row.introduced,
        row.terminated,
        row.latitude,
        row.longitude,
    )


def _bulk_create(rows: Iterable[tuple]) -> None:
    """Batched inserts, on any database Django supports."""
    batch: list[Postcode] = []
    for values in rows:
        batch.append(Postcode(**dict(zip(_COLUMNS, values, strict=True))))
        if len(batch) >= _BATCH:
            _upsert(batch)
            batch = []
    _upsert(batch)


def _upsert(batch: list[Postcode]) -> None:
    # A postcode may have moved council between releases: the newer row replaces the older.
    Postcode.objects.bulk_create(batch, update_conflicts=True, unique_fields=["key"], update_fields=list(_COLUMNS[1:]))


def _copy(rows: Iterable[tuple]) -> None:
    """PostgreSQL ``COPY`` into a temporary table, then one ``INSERT … ON CONFLICT`` into the
    postcode table: COPY is the fast way in, and cannot itself replace rows."""
    table = Postcode._meta.db_table
    names = ", ".join(_COLUMNS)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS[1:])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE postcode_load (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY postcode_load ({names}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM postcode_load ON CONFLICT (key) DO UPDATE SET {updates}"
        )
        # Dropped now, not only at commit: a caller's transaction may import twice.
        cursor.execute("DROP TABLE postcode_load")
