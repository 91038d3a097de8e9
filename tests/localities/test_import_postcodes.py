"""``manage.py import_postcodes``: all or nothing, re-runnable, honest about what it cannot
place. On PostgreSQL (CI) this exercises the COPY path; on SQLite the batched inserts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from localities.models import LocalityKind, Postcode, PostcodeImport
from tests.factories import DistrictFactory, LocalityFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "onspd"
QUIRKS = FIXTURES / "onspd-2025-08-format-quirks.csv"
MANCHESTER, SOUTHWARK = "E08000003", "E09000028"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_postcodes", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def manchester():
    district = DistrictFactory(name="Manchester", slug="manchester", gss_code=MANCHESTER)
    # Piccadilly (M1 1AD) is a ward the portal knows; Ancoats (M11 1AA's E05011359) is not.
    return LocalityFactory(
        name="Piccadilly", slug="piccadilly", kind=LocalityKind.WARD, parent=district, gss_code="E05011361"
    )


def test_the_portals_councils_postcodes_are_placed_in_their_wards(manchester):
    output = run(QUIRKS)

    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"M1 1AD", "M11 1AA"}
    assert Postcode.objects.get(key="M11AD").ward == manchester
    assert "Imported 2 postcodes (0 retired) for E08000003" in output
    assert "Ward E05011359 is not in the portal: 1 postcodes left without a ward" in output
    assert Postcode.objects.get(key="M111AA").ward is None
    assert Postcode.objects.get(key="M111AA").ward_code == "E05011359"
    record = PostcodeImport.objects.get()
    assert (record.source, record.postcodes, record.unknown_ward_codes) == (QUIRKS.name, 2, {"E05011359": 1})
    assert "Open Government Licence" in output


@pytest.mark.parametrize(
    ("name", "council", "count"),
    [
        ("onspd-2018-format.csv", "E07000240", 2),
        ("onspd-2024-08-format.csv", "E07000240", 2),
        ("onspd-2025-08-format-quirks.csv", SOUTHWARK, 3),
        ("onspd-2025-11-format.csv", "S12000033", 3),
    ],
)
def test_every_release_format_imports(name, council, count):
    run(FIXTURES / name, "--council", council)

    assert Postcode.objects.filter(council_code=council).count() == count


def test_a_retired_postcode_is_kept_and_flagged():
    run(QUIRKS, "--council", SOUTHWARK)

    retired = Postcode.objects.get(key="SE19ZZ")
    assert retired.terminated is not None
    assert retired.terminated.year == 1998
    assert not Postcode.objects.live().filter(key="SE19ZZ").exists()
    assert Postcode.objects.live().filter(key="SE1P5ZZ").exists()


def test_importing_again_replaces_the_councils_postcodes_and_keeps_other_councils(manchester):
    PostcodeFactory(postcode="M99 9ZZ", key="M999ZZ", council_code=MANCHESTER)  # gone from the new release
    PostcodeFactory(postcode="LS14 6JB", key="LS146JB", council_code="E08000035")

    run(QUIRKS)
    run(QUIRKS)

    assert set(Postcode.objects.values_list("key", flat=True)) == {"M11AD", "M111AA", "LS146JB"}
    assert PostcodeImport.objects.count() == 2


def test_a_dry_run_reads_everything_and_changes_nothing(manchester):
    output = run(QUIRKS, "--dry-run")

    assert "Would import 2 postcodes" in output
    assert not Postcode.objects.exists()
    assert not PostcodeImport.objects.exists()


def write(tmp_path, text: str, name: str = "onspd.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "pcds,dointr,doterm,oslaua,osward,lat,long\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "M1 1AD,200303,,E08000003,E05011361,53.48,-2.24\nM1 2AB,2003,,E08000003,E05011361,53.4,-2.2\n",
            "Line 3",
        ),
        (
            HEADER + "M1 1AD,200303,,E08000003,E05011361,53.48,-2.24\nM1 1AD,200303,,E08000003,E05011361,53.4,-2.2\n",
            "twice",
        ),
        ("pcds,lat,long\nM1 1AD,53.48,-2.24\n", "no ward column"),
        ("pcds,osward,oslaua,lat,long\nM1 1AD,E05011361,E08000003,53.48,-2.24\n", "no “dointr” column"),
        ("", "no “pcds” column"),
        ("pcd\rpcds,osward\n", "no “pcds” column"),
    ],
)
def test_a_bad_file_changes_nothing_and_says_why(tmp_path, manchester, text, message):
    PostcodeFactory(postcode="M1 1AD", key="M11AD", council_code=MANCHESTER, ward=manchester)

    with pytest.raises(CommandError, match=message) as raised:
        run(write(tmp_path, text))

    assert "Nothing was changed" in str(raised.value)
    assert list(Postcode.objects.values_list("key", flat=True)) == ["M11AD"]
    assert not PostcodeImport.objects.exists()


def test_a_missing_or_binary_file_gets_a_clear_error(tmp_path, manchester):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.csv")
    binary = tmp_path / "onspd.zip"
    binary.write_bytes(HEADER.encode() + b"\xff\xfe\x00\x81")
    with pytest.raises(CommandError, match="not a UTF-8 CSV"):
        run(binary)


def test_without_a_council_anywhere_it_says_what_to_do():
    with pytest.raises(CommandError, match="--council"):
        run(QUIRKS)


def test_a_file_with_no_rows_for_the_councils_warns(manchester):
    output = run(FIXTURES / "onspd-2018-format.csv")

    assert "has no postcodes for these councils" in output
