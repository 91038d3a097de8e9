"""Reading the files officers actually have (core.imports): encodings, Excel's dates and
workbooks, and hostile files refused with a message rather than a crash."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from core.imports import ImportFileError, normalise_header, parse_date, read_table

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"


COLUMNS = ["name", "postcode", "charity_number", "areas_served", "council", "taxonomy_terms", "description"]


def table(name: str):
    return read_table((DATA / name).read_bytes(), known_columns=COLUMNS)


@pytest.mark.parametrize(
    "name", ["organisations-utf8.csv", "organisations-utf8-bom.csv", "organisations-windows-1252.csv"]
)
def test_csv_in_every_encoding_excel_writes_reads_the_same(name):
    dataset = table(name)
    assert dataset.headers == ["name", "postcode", "charity_number", "areas_served", "council", "taxonomy_terms"]
    # The trailing blank rows are gone, the curly apostrophe and the accent survive.
    assert [row[0] for row in dataset] == ["LS14 Trust", "St. Mary\u2019s Lunch Club & Friends", "Caf\u00e9 Connect"]


def test_an_xlsx_with_a_merged_title_and_merged_headings_reads_its_real_headings():
    dataset = table("organisations-merged-headings.xlsx")
    assert dataset.headers == ["name", "postcode", "charity_number", "areas_served", "council", "taxonomy_terms"]
    assert len(dataset) == 3  # formatted blank rows at the end are not rows
    assert dataset[0][:3] == ("LS14 Trust", "LS14 6JB", 1100001)


def test_a_formula_cell_is_read_as_the_text_it_is():
    dataset = table("formula-cells.csv")
    assert dataset[0] == ("=cmd|' /C calc'!A0", '=HYPERLINK("https://evil.example","Click")')


def test_an_escaped_formula_from_our_own_export_reads_back_as_it_was_typed():
    dataset = read_table(b"name\r\n'=SUM(A1)\r\n'Tis the season\r\n", known_columns=COLUMNS)
    assert [row[0] for row in dataset] == ["=SUM(A1)", "'Tis the season"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("binary-junk.csv", "This is not a CSV or Excel (.xlsx) file."),
        ("huge-cell.csv", "Row 1, column “description” holds more than 10,000 characters."),
    ],
)
def test_a_hostile_file_is_refused_with_a_message(name, message):
    with pytest.raises(ImportFileError) as refused:
        table(name)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        (b"PK\x03\x04 not really a workbook", "could not be opened"),
        (b"   \r\n\r\n", "The file is empty."),
        (b"name,name\r\nA,B\r\n", "appear more than once: name"),
        (b"name,\r\nA,B\r\n", "Column B has data but no heading"),
        (
            b"name" + b"".join(b",h%d" % n for n in range(26)) + b",\r\nA" + b",x" * 27 + b"\r\n",
            "Column AB has data but no heading",
        ),
        (b"only a title\r\n", "No row of column headings"),
        (b"name,postcode\r\n" + b"\x81\x8d,x\r\n", "characters could not be read"),
    ],
)
def test_files_that_cannot_be_read_say_why(data, message):
    with pytest.raises(ImportFileError) as refused:
        read_table(data, known_columns=COLUMNS)
    assert message in str(refused.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(ImportFileError, match="larger than 1 MB"):
        read_table(b"name\r\n" + b"x\r\n" * 600_000, max_bytes=1024 * 1024)


def test_a_utf16_tab_separated_file_from_excel_unicode_text_reads():
    dataset = read_table("name\tpostcode\r\nLS14 Trust\tLS14 6JB\r\n".encode("utf-16"))
    assert dataset.dict == [{"name": "LS14 Trust", "postcode": "LS14 6JB"}]


def test_headings_are_read_in_any_case_and_spacing():
    assert normalise_header(" Charity Number ") == "charity_number"
    assert normalise_header("area-gss-codes") == "area_gss_codes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (46361, datetime.date(2026, 12, 5)),
        (46361.0, datetime.date(2026, 12, 5)),
        ("46361", datetime.date(2026, 12, 5)),
        ("05/12/2026", datetime.date(2026, 12, 5)),
        ("5/12/26", datetime.date(2026, 12, 5)),
        ("03/04/2026", datetime.date(2026, 4, 3)),  # day first: 3 April, never 4 March
        ("2026-12-05", datetime.date(2026, 12, 5)),
        (datetime.datetime(2026, 12, 5, 0, 0), datetime.date(2026, 12, 5)),  # noqa: DTZ001 (openpyxl's are naive)
        (datetime.date(2026, 12, 5), datetime.date(2026, 12, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_spreadsheets_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["12/31/2026", "next Tuesday", "31/02/2026", "0", -5])
def test_what_is_not_a_date_is_refused_with_the_format_to_use(value):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date(value)
