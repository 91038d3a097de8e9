"""Writes the import fixtures in this folder, each made the way a spreadsheet program saves it.

Run it again only to change a fixture (``.venv/bin/python tests/data/imports/make_fixtures.py``);
the tests read the files, as an officer's upload would arrive. Names of organisations and wards
are the public ones of ../shared/data (Leeds and Kirklees); numbers and postcodes are made up.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).parent

HEADER = ["name", "postcode", "charity_number", "areas_served", "council", "taxonomy_terms"]
ROWS = [
    ["LS14 Trust", "LS14 6JB", "1100001", "Killingbeck and Seacroft", "Leeds", "Food support"],
    ["St. Mary\u2019s Lunch Club & Friends", "ls12 3ab", "", "Armley", "Leeds", ""],
    ["Caf\u00e9 Connect", "LS13 1AA", "", "Bramley and Stanningley", "Leeds", "Food support"],
]


def csv_bytes(rows, encoding: str, *, trailing_blank_rows: int = 0) -> bytes:
    """CSV as Excel writes it: CRLF line ends, quoted only where needed, empty rows as commas."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    for _ in range(trailing_blank_rows):
        writer.writerow([""] * len(rows[0]))
    return out.getvalue().encode(encoding)


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def main() -> None:
    # "CSV UTF-8 (Comma delimited)" in Excel: a byte-order mark; "CSV" on a Mac or LibreOffice: none;
    # "CSV (Comma delimited)" in older Excel on UK Windows: Windows-1252 (’ is byte 0x92).
    write("organisations-utf8.csv", csv_bytes([HEADER, *ROWS], "utf-8", trailing_blank_rows=2))
    write("organisations-utf8-bom.csv", csv_bytes([HEADER, *ROWS], "utf-8-sig", trailing_blank_rows=2))
    write("organisations-windows-1252.csv", csv_bytes([HEADER, *ROWS], "cp1252", trailing_blank_rows=2))

    # An officer's workbook: a merged title row, headings grouped under merged cells over two
    # rows, a charity number Excel stored as a number, and formatted blank rows at the end.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Anchors"
    sheet["A1"] = "Leeds Community Anchor Network: organisations (December 2026)"
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "name"
    sheet.merge_cells("A2:A3")
    sheet["B2"] = "Identifiers"
    sheet.merge_cells("B2:C2")
    sheet["D2"] = "Where"
    sheet.merge_cells("D2:E2")
    sheet["F2"] = "taxonomy_terms"
    sheet.merge_cells("F2:F3")
    for column, heading in zip("BCDE", ["postcode", "charity_number", "areas_served", "council"], strict=True):
        sheet[f"{column}3"] = heading
    for offset, row in enumerate(ROWS):
        values = list(row)
        if values[2]:
            values[2] = int(values[2])
        for column, value in zip("ABCDEF", values, strict=True):
            sheet[f"{column}{4 + offset}"] = value or None
    for blank in range(7, 12):
        sheet[f"A{blank}"].font = Font(italic=True)  # formatted, empty: Excel keeps such rows
    buffer = io.BytesIO()
    book.save(buffer)
    write("organisations-merged-headings.xlsx", buffer.getvalue())

    write(
        "ward-of-another-council.csv",
        csv_bytes([HEADER, ["Batley Community Kitchen", "LS12 4XY", "", "Batley East", "Leeds", ""]], "utf-8"),
    )
    write(
        "ward-not-held.csv",
        csv_bytes([HEADER, ["Narnia Lunch Club", "LS12 4XY", "", "Narnia Central", "Leeds", ""]], "utf-8"),
    )
    write(
        "formula-cells.csv",
        csv_bytes(
            [["name", "description"], ["=cmd|' /C calc'!A0", '=HYPERLINK("https://evil.example","Click")']], "utf-8"
        ),
    )
    write("wrong-columns.csv", csv_bytes([["Organisation Name", "Telephone", "Notes"], ["A", "1", "x"]], "utf-8"))
    write("empty.csv", b"")
    rng = random.Random(17)
    write("binary-junk.csv", bytes(rng.randrange(256) for _ in range(2048)))
    write(
        "huge-cell.csv",
        csv_bytes([["name", "description"], ["Long Group", "x" * 10_001]], "utf-8"),
    )
    # All or nothing: three good rows, then one the model refuses (the postcode).
    write(
        "last-row-invalid.csv",
        csv_bytes(
            [
                ["name", "postcode"],
                ["First Group", "LS12 1AA"],
                ["Second Group", "LS12 1AB"],
                ["Third Group", "LS12 1AC"],
                ["Fourth Group", "NOT A POSTCODE"],
            ],
            "utf-8",
        ),
    )

    # Localities with dates: dd/mm/yyyy in CSV, serial numbers in XLSX.
    locality_header = ["name", "kind", "gss_code", "parent", "valid_from", "valid_to"]
    write(
        "localities-dates.csv",
        csv_bytes(
            [
                locality_header,
                ["Batley East (2019)", "Ward", "E05001390", "Kirklees", "02/05/2019", "06/05/2026"],
                ["Batley North", "Ward", "", "Kirklees", "07/05/2026", ""],
            ],
            "utf-8",
        ),
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(locality_header)
    # 43587 is 2 May 2019, 46148 is 6 May 2026 and 46149 the 7th in Excel's 1900 date system,
    # stored as plain numbers (as a cell formatted "General" keeps a pasted date); the last row's
    # date is a date cell, as Excel stores a typed date.
    sheet.append(["Batley East (2019)", "Ward", "E05001390", "Kirklees", 43587, 46148])
    sheet.append(["Batley North", "Ward", None, "Kirklees", 46149, None])
    sheet.append(["Batley South", "Ward", None, "Kirklees", datetime.date(2026, 5, 7), None])
    sheet["E4"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    write("localities-dates.xlsx", buffer.getvalue())


if __name__ == "__main__":
    main()
