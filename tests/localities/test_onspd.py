"""The ONS Postcode Directory reader, on real rows of every header format ONS has used since
2018 (``fixtures/onspd``) and on the quirks its user guide and those rows show."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from localities.onspd import OnspdFormatError, postcode_key, read_rows

FIXTURES = Path(__file__).parent / "fixtures" / "onspd"
HEAD = "pcds,dointr,doterm,oslaua,osward,lat,long\n"


def rows_of(name: str, **kwargs):
    with (FIXTURES / name).open(encoding="utf-8-sig", newline="") as file:
        return {row.postcode: row for row in read_rows(file, **kwargs)}


@pytest.mark.parametrize(
    ("name", "postcode", "ward", "council"),
    [
        ("onspd-2018-format.csv", "AL1 1AB", "E05004785", "E07000240"),
        ("onspd-2024-08-format.csv", "AL1 1AB", "E05013956", "E07000240"),
        ("onspd-2025-08-format-quirks.csv", "M11 1AA", "E05011359", "E08000003"),
        ("onspd-2025-11-format.csv", "AB1 0AA", "S13002843", "S12000033"),
    ],
)
def test_every_release_format_gives_each_postcode_its_ward_and_council(name, postcode, ward, council):
    row = rows_of(name)[postcode]

    assert (row.ward_code, row.council_code) == (ward, council)
    assert row.key == postcode.replace(" ", "")
    assert None not in (row.latitude, row.longitude)


def test_a_retired_postcode_is_kept_with_the_month_it_was_retired():
    rows = rows_of("onspd-2025-08-format-quirks.csv")

    assert rows["SE1 9ZZ"].is_retired
    assert rows["SE1 9ZZ"].terminated == datetime.date(1998, 12, 1)
    assert rows["SE1 9ZZ"].introduced == datetime.date(1998, 6, 1)
    assert not rows["SE1P 5ZZ"].is_retired


def test_pseudo_codes_and_no_location_rows_become_nothing_not_fake_places():
    jersey = rows_of("onspd-2025-08-format-quirks.csv")["JE2 4WD"]
    isle_of_man = rows_of("onspd-2018-format.csv")["IM1 1AD"]

    for row in (jersey, isle_of_man):
        assert (row.ward_code, row.council_code, row.latitude, row.longitude) == (None, None, None, None)


def test_the_padded_seven_character_form_reads_as_the_written_postcode():
    row = rows_of("onspd-2025-08-format-quirks.csv")["M1 1AD"]

    assert (row.postcode, row.key) == ("M1 1AD", "M11AD")


def test_only_the_chosen_councils_rows_are_read_by_council_code():
    rows = rows_of("onspd-2025-08-format-quirks.csv", councils=["e08000003"])

    assert sorted(rows) == ["M1 1AD", "M11 1AA"]


def test_a_byte_order_mark_and_header_case_do_not_matter():
    text = (
        "\ufeffPCDS,DOINTR,DOTERM,OSLAUA,OSWARD,LAT,LONG\n"
        + '"LS14 6JB","198001","","E08000035","E05001422",53.8,-1.45\n'
    )
    rows = list(read_rows(io.StringIO(text, newline="")))

    assert [(row.postcode, row.ward_code) for row in rows] == [("LS14 6JB", "E05001422")]


def test_the_nspl_column_names_are_understood():
    text = "pcds,dointr,doterm,laua,ward,lat,long\nLS14 6JB,198001,,E08000035,E05001422,53.8,-1.45\n"

    (row,) = read_rows(io.StringIO(text, newline=""))

    assert (row.council_code, row.ward_code) == ("E08000035", "E05001422")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name,address\nA,B\n", "no “pcds” column"),
        ("pcds,dointr,doterm,oslaua,lat,long\nLS14 6JB,198001,,E08000035,53.8,-1.45\n", "no ward column"),
        ("pcds,dointr,doterm,oslaua,osward,lat,long\nLS14 6JB,1980,,E08000035,E05001422,53.8,-1.45\n", "Line 2"),
        ("pcds,dointr,doterm,oslaua,osward,lat,long\nLS14 6JB,198001,,E08000035,E05001422,north,-1.45\n", "Line 2"),
        ("pcds,dointr,doterm,oslaua,osward,lat,long\n,198001,,E08000035,E05001422,53.8,-1.45\n", "postcode is empty"),
        (HEAD + "LS14 6JB,198001,,E08000035\n", "fewer columns"),
        (HEAD + "NOTAPOSTCODE,198001,,E08000035,E05001422,53.8,-1.45\n", "not a postcode"),
        (HEAD + '"LS14 6JB,198001,,E08000035,E05001422,53.8,-1.45\nLS14 6JD,1\n', "not a CSV"),
        (HEAD + "LS14 6JB,198001,,E08000035,E05001422,53.8,-1.45\x00\n", "Line 2"),
    ],
)
def test_a_file_it_cannot_read_fails_with_a_message_that_says_where(text, message):
    with pytest.raises(OnspdFormatError, match=message):
        list(read_rows(io.StringIO(text, newline="")))


def test_postcode_keys_ignore_case_and_spacing():
    assert postcode_key(" ls14  6jb ") == postcode_key("LS146JB") == "LS146JB"
