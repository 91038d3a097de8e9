"""Reading the ONS Postcode Directory (ONSPD) and the National Statistics Postcode Lookup (NSPL).

Both are CSV files published by the Office for National Statistics on the Open Geography Portal
under the Open Government Licence v3.0, one row per postcode, live and retired. Their column
names have changed between releases, so columns are found by pattern, never by position:

============  =====================  ========================  =================
what          ONSPD to Aug 2025      NSPL to 2024              ONSPD Nov 2025 on
============  =====================  ========================  =================
ward          ``osward``             ``ward``                  ``wdYYcd``
council       ``oslaua``             ``laua``                  ``ladYYcd``
location      ``osgrdind``           ``usertype``/``osgrdind`` ``gridind``
============  =====================  ========================  =================

``pcds`` (the postcode as written, "LS14 6JB"), ``dointr`` and ``doterm`` (months, YYYYMM),
``lat`` and ``long`` have never changed. Codes of the form ``?99999999`` mean "none"; a
latitude of 99.999999 or a grid-reference quality of 9 means the postcode has no location
(Channel Islands, Isle of Man, some new postcodes). Sources: the ONSPD and NSPL user guides,
and real rows of four releases (``../shared/data/postcodes``).

This module only reads: the import command decides which rows to keep and where they go.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.validators import is_postcode, normalise_postcode

# A GSS code that stands for "none": a country letter and eight nines.
_PSEUDO_CODE = re.compile(r"^[A-Z]9{8}$")
_MONTH = re.compile(r"^(\d{4})(\d{2})$")
# The ward column: fixed names up to 2025, then the boundary vintage in the name (wd25cd).
_WARD_COLUMN = re.compile(r"^(osward|ward|wd\d{2}cd)$")
_COUNCIL_COLUMN = re.compile(r"^(oslaua|laua|lad\d{2}cd)$")
_GRID_COLUMN = re.compile(r"^(osgrdind|gridind)$")
NO_LOCATION_LATITUDE = 99.999999
NO_LOCATION_GRID = "9"


class OnspdFormatError(ValueError):
    """The file is not an ONSPD or NSPL file this reader understands: a column it needs is
    missing, or a row cannot be read. The message names the column or the line."""


@dataclass(frozen=True)
class Columns:
    """Where a release keeps what the portal reads: the column names found in its header, and
    the ward column's name, which says the boundaries' vintage (``wd25cd`` is 2025's)."""

    postcode: str
    ward: str
    council: str
    introduced: str
    terminated: str
    latitude: str
    longitude: str
    grid: str | None


@dataclass(frozen=True)
class PostcodeRow:
    """One postcode as the portal keeps it.

    ``postcode`` is the written form ("LS14 6JB"); ``key`` the form residents' input is matched
    on (upper case, no spaces: "LS146JB"). ``council_code`` and ``ward_code`` are GSS codes, or
    None where the file says "none". ``introduced`` and ``terminated`` are the first day of the
    month the postcode came into use and was retired (None while live). ``latitude`` and
    ``longitude`` are WGS84 degrees, or both None when the postcode has no location.
    """

    postcode: str
    key: str
    council_code: str | None
    ward_code: str | None
    introduced: datetime.date | None
    terminated: datetime.date | None
    latitude: float | None
    longitude: float | None

    @property
    def is_retired(self) -> bool:
        return self.terminated is not None


def find_columns(header: Iterable[str]) -> Columns:
    """The columns of ``header`` (a release's first row) this reader uses.

    Raises:
        OnspdFormatError: a needed column is missing; the message lists the header's columns
            that came nearest, so an officer can tell a wrong file from a new release.
    """
    names = [name.strip().lower() for name in header]

    def fixed(name: str) -> str:
        if name not in names:
            raise OnspdFormatError(
                f"This file has no “{name}” column, so it is not an ONS Postcode Directory file "
                f"this portal can read (its first columns are: {', '.join(names[:6]) or 'none'})."
            )
        return name

    def matching(pattern: re.Pattern, what: str, *, required: bool = True) -> str | None:
        found = [name for name in names if pattern.match(name)]
        if not found:
            if not required:
                return None
            raise OnspdFormatError(
                f"This file has no {what} column (looked for {pattern.pattern.strip('^$')}), so "
                "postcodes cannot be placed in wards."
            )
        return found[0]

    return Columns(
        postcode=fixed("pcds"),
        ward=matching(_WARD_COLUMN, "ward"),
        council=matching(_COUNCIL_COLUMN, "council (local authority district)"),
        introduced=fixed("dointr"),
        terminated=fixed("doterm"),
        latitude=fixed("lat"),
        longitude=fixed("long"),
        grid=matching(_GRID_COLUMN, "grid reference quality", required=False),
    )


def _code(value: str) -> str | None:
    value = value.strip().upper()
    return None if not value or _PSEUDO_CODE.match(value) else value


def _month(value: str, *, line: int, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    match = _MONTH.match(value)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise OnspdFormatError(f"Line {line}: “{value}” in {column} is not a month written as YYYYMM.")
    return datetime.date(int(match[1]), int(match[2]), 1)


def _location(row: dict[str, str], columns: Columns, *, line: int) -> tuple[float | None, float | None]:
    if columns.grid is not None and row.get(columns.grid, "").strip() == NO_LOCATION_GRID:
        return None, None
    try:
        latitude = float(row[columns.latitude])
        longitude = float(row[columns.longitude])
    except (TypeError, ValueError):
        if not (row.get(columns.latitude) or "").strip():
            return None, None
        raise OnspdFormatError(f"Line {line}: the latitude or longitude is not a number.") from None
    if latitude == NO_LOCATION_LATITUDE or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def read_rows(lines: Iterable[str], *, councils: Iterable[str] | None = None) -> Iterator[PostcodeRow]:
    """The postcodes in ``lines`` (a text file opened with ``encoding="utf-8-sig"`` and
    ``newline=""``, so a byte-order mark is dropped), in file order; only those of ``councils``
    (local authority GSS codes) when given: the council code decides, never the postcode's
    letters, since some Kirklees postcodes start with a neighbour's letters.

    Raises:
        OnspdFormatError: the header lacks a needed column, or a row's month or location cannot
            be read (the message gives the line number).
    """
    # strict: an unbalanced quote is an error, not a field that swallows the rest of the file.
    reader = csv.DictReader(lines, strict=True)
    try:
        yield from _rows(reader, councils)
    except csv.Error as exc:
        raise OnspdFormatError(
            f"Line {reader.line_num}: the file is not a CSV file this portal can read ({exc})."
        ) from None


def _rows(reader: csv.DictReader, councils: Iterable[str] | None) -> Iterator[PostcodeRow]:
    if reader.fieldnames is None:
        raise OnspdFormatError("The file is empty.")
    # Releases differ in case and stray spaces as well as in names, and a file opened without
    # utf-8-sig keeps its byte-order mark in the first name.
    reader.fieldnames = [name.replace("\ufeff", "").strip().lower() for name in reader.fieldnames]
    columns = find_columns(reader.fieldnames)
    wanted = {code.upper() for code in councils} if councils is not None else None
    for row in reader:
        line = reader.line_num
        if None in row.values():
            raise OnspdFormatError(f"Line {line}: the row has fewer columns than the header (a cut-short file?).")
        council = _code(row.get(columns.council) or "")
        if wanted is not None and council not in wanted:
            continue
        written_postcode = normalise_postcode(row.get(columns.postcode) or "")
        if not written_postcode:
            raise OnspdFormatError(f"Line {line}: the postcode is empty.")
        if not is_postcode(written_postcode):
            raise OnspdFormatError(f"Line {line}: “{written_postcode[:20]}” is not a postcode.")
        latitude, longitude = _location(row, columns, line=line)
        yield PostcodeRow(
            postcode=written_postcode,
            key=postcode_key(written_postcode),
            council_code=council,
            ward_code=_code(row.get(columns.ward) or ""),
            introduced=_month(row.get(columns.introduced) or "", line=line, column="dointr"),
            terminated=_month(row.get(columns.terminated) or "", line=line, column="doterm"),
            latitude=latitude,
            longitude=longitude,
        )


def postcode_key(value: str) -> str:
    """``value`` as postcodes are matched: upper case, no spaces ("ls14  6jb" → "LS146JB")."""
    return "".join(value.split()).upper()
