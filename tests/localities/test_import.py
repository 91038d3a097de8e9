"""Importing localities (issue 17): GSS codes, parents, and dates as Excel writes them."""

from __future__ import annotations

import csv
import datetime
import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from localities.models import Locality, LocalityKind
from tests.factories import DistrictFactory, LocalityFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
IMPORT_URL = reverse("admin:localities_locality_import")
CONFIRM_URL = reverse("admin:localities_locality_process_import")
EXPORT_URL = reverse("admin:localities_locality_export")


@pytest.fixture
def officer(client):
    client.force_login(UserFactory(username="officer", is_staff=True))
    return client


def import_file(client, name: str, content: bytes | None = None):
    data = (DATA / name).read_bytes() if content is None else content
    previewed = client.post(IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile(name, data)})
    assert previewed.status_code == HTTPStatus.OK
    form = previewed.context.get("confirm_form")
    if form is None:
        return previewed
    return client.post(CONFIRM_URL, {field: form.initial.get(field, "") for field in form.fields})


@pytest.mark.parametrize("name", ["localities-dates.csv", "localities-dates.xlsx"])
def test_dates_as_excel_writes_them_are_read_day_first(officer, name):
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    response = import_file(officer, name)
    assert response.status_code == HTTPStatus.FOUND
    old = Locality.objects.get(gss_code="E05001390")
    assert (old.name, old.parent, old.kind) == ("Batley East (2019)", kirklees, LocalityKind.WARD)
    assert (old.valid_from, old.valid_to) == (datetime.date(2019, 5, 2), datetime.date(2026, 5, 6))
    new = Locality.objects.get(name="Batley North")
    assert (new.valid_from, new.valid_to, new.gss_code) == (datetime.date(2026, 5, 7), None, None)


def test_a_parent_we_do_not_hold_is_reported_and_nothing_is_written(officer):
    page = import_file(officer, "localities-dates.csv").content.decode()
    assert "“Kirklees” is not a place we hold: import it first (nothing was guessed)." in page
    assert not Locality.objects.exists()


def test_a_bad_date_is_reported_with_the_format_to_use(officer):
    DistrictFactory(name="Kirklees", slug="kirklees")
    content = b"name,kind,parent,valid_from\r\nBatley North,Ward,Kirklees,13/13/2026\r\n"
    page = import_file(officer, "bad-date.csv", content).content.decode()
    assert "write it as dd/mm/yyyy" in page
    assert not Locality.objects.filter(name="Batley North").exists()


def test_the_locality_tree_exports_and_imports_back_into_an_empty_table(officer):
    leeds = DistrictFactory(name="Leeds", slug="leeds", gss_code="E08000035")
    outer = LocalityFactory(name="Outer West", slug="outer-west", kind=LocalityKind.AREA, parent=leeds)
    LocalityFactory(
        name="Armley",
        slug="armley",
        gss_code="E05011385",
        parent=outer,
        valid_from=datetime.date(2018, 5, 3),
        population=26000,
        population_source="ONS mid-2022 ward estimates",
    )
    first = officer.post(EXPORT_URL, {"format": "0"})
    before = list(csv.DictReader(io.StringIO(first.content.decode("utf-8-sig"))))
    for place in Locality.objects.order_by("-ancestor_path"):  # children first: parents are protected
        place.delete()

    assert import_file(officer, "localities.csv", first.content).status_code == HTTPStatus.FOUND
    after = list(csv.DictReader(io.StringIO(officer.post(EXPORT_URL, {"format": "0"}).content.decode("utf-8-sig"))))
    assert after == before
    assert Locality.objects.get(slug="armley").parent.parent.name == "Leeds"


# ------------------------------------------------------------------------------
# The command, for large files
# ------------------------------------------------------------------------------
def run_import_localities(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_localities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_localities_command_previews_by_default_then_applies_with_commit():
    DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    officer = UserFactory(username="officer", is_staff=True)

    out, err = run_import_localities(str(DATA / "localities-dates.csv"))
    assert "2 to add, 0 to update, 0 unchanged. Nothing changed: run again with --commit to apply." in out
    assert "Checking: row 2 of 2 [####################] 100%" in err
    assert Locality.objects.count() == 1

    out, err = run_import_localities(str(DATA / "localities-dates.csv"), "--commit", "--user", "officer")
    assert "2 add, 0 update, 0 unchanged" in out
    assert "Importing: row 2 of 2" in err
    ward = Locality.objects.get(gss_code="E05001390")
    assert ward.valid_from == datetime.date(2019, 5, 2)
    assert ward.history.latest().history_user == officer


def test_the_localities_command_writes_nothing_when_the_last_row_fails(tmp_path):
    DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    path = tmp_path / "wards.csv"
    path.write_text("name,kind,parent\nBatley East,Ward,Kirklees\nBatley West,Ward,Atlantis\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_localities", str(path), "--commit", stdout=io.StringIO(), stderr=err)
    assert "Row 2: parent: “Atlantis” is not a place we hold" in err.getvalue()
    assert list(Locality.objects.values_list("name", flat=True)) == ["Kirklees"]
