"""Importing ward outlines: ``manage.py import_ward_boundaries`` and the file checks behind it."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains

from localities.boundaries import BoundaryFileError, parse_feature_collection
from localities.demo import BOUNDARY_FILES
from localities.models import LocalityKind, WardBoundary
from tests.factories import DistrictFactory, LocalityFactory, WardBoundaryFactory

pytestmark = pytest.mark.django_db

SQUARE = [[[-1.6, 53.8], [-1.5, 53.8], [-1.5, 53.9], [-1.6, 53.9], [-1.6, 53.8]]]


def feature(code: str | None, *, prop: str = "WD19CD", geometry: dict | None = None) -> dict:
    properties = {"WD19NM": "Somewhere"}
    if code is not None:
        properties[prop] = code
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else {"type": "Polygon", "coordinates": SQUARE},
    }


def write(tmp_path: Path, *features: dict, name: str = "wards.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}), encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_ward_boundaries", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def wards():
    leeds = DistrictFactory(name="Leeds", slug="leeds", gss_code="E08000035")
    return {
        "armley": LocalityFactory(name="Armley", parent=leeds, gss_code="E05011385"),
        "pudsey": LocalityFactory(name="Pudsey", parent=leeds, gss_code="E05011409"),
        "horsforth": LocalityFactory(name="Horsforth", parent=leeds, gss_code=None),
    }


def test_a_good_file_gives_each_ward_its_outline_and_reports_the_gaps(tmp_path, wards):
    path = write(tmp_path, feature("E05011385"), feature("E05011409", prop="wd19cd"))

    out = run(str(path))

    armley = WardBoundary.objects.get(locality=wards["armley"])
    assert armley.geometry == {"type": "MultiPolygon", "coordinates": [SQUARE]}
    assert armley.source == "wards.geojson"
    assert armley.attribution.endswith("Contains OS data © Crown copyright and database right 2019")
    assert WardBoundary.objects.count() == 2
    assert "2 boundaries created, 0 updated, 0 unchanged" in out
    assert "1 wards have no boundary: Horsforth (no GSS code)." in out


def test_codes_of_other_releases_and_other_places_are_reported_not_imported(tmp_path, wards):
    path = write(tmp_path, feature("E05011385", prop="WD24CD"), feature("E05000001", prop="WD24CD"))

    out = run(str(path))

    assert "1 codes match no ward and were skipped: E05000001." in out
    assert WardBoundary.objects.get().attribution.endswith("database right 2024")


def test_running_twice_changes_nothing(tmp_path, wards):
    path = write(tmp_path, feature("E05011385"))
    run(str(path))
    first = WardBoundary.objects.get()

    out = run(str(path))

    assert "0 boundaries created, 0 updated, 1 unchanged" in out
    again = WardBoundary.objects.get()
    assert (again.pk, again.updated_at) == (first.pk, first.updated_at)
    assert again.history.count() == 1


def test_a_new_release_replaces_the_outline(tmp_path, wards):
    run(str(write(tmp_path, feature("E05011385"))))
    moved = [[[x + 0.01, y] for x, y in SQUARE[0]]]
    out = run(str(write(tmp_path, feature("E05011385", geometry={"type": "Polygon", "coordinates": moved}))))

    assert "0 boundaries created, 1 updated" in out
    assert WardBoundary.objects.get().geometry["coordinates"] == [moved]


def test_dry_run_reports_but_saves_nothing(tmp_path, wards):
    out = run(str(write(tmp_path, feature("E05011385"))), "--dry-run")

    assert out.startswith("Dry run, nothing saved. Would have: 1 boundaries created")
    assert not WardBoundary.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection"}', 'no "features" list'),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_clearly(tmp_path, wards, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not WardBoundary.objects.exists()


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.geojson"))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature(None), "Feature 2 has no ward code property"),
        (feature("Armley"), "WD19CD is 'Armley', not a GSS code"),
        (feature("E05011385"), "ward E05011385 appears twice"),
        (feature("E05011409", geometry={"type": "Point", "coordinates": [0, 0]}), "is a Point, not a Polygon"),
        (
            feature("E05011409", geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}),
            "fewer than four positions",
        ),
        (
            feature("E05011409", geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}),
            "does not end where it starts",
        ),
        (
            feature(
                "E05011409",
                geometry={"type": "Polygon", "coordinates": [[[429000, 433000], [1, 0], [1, 1], [429000, 433000]]]},
            ),
            "is the file in WGS 84",
        ),
    ],
)
def test_one_bad_feature_refuses_the_whole_file(tmp_path, wards, bad, message):
    path = write(tmp_path, feature("E05011385"), bad)

    with pytest.raises(CommandError, match=message) as raised:
        run(str(path))
    assert "Nothing was imported" in str(raised.value)
    assert not WardBoundary.objects.exists()


def test_a_file_that_does_not_name_its_release_needs_an_attribution(tmp_path, wards):
    path = write(tmp_path, feature("E05011385", prop="gss_code"))

    with pytest.raises(CommandError, match="--attribution"):
        run(str(path))
    run(str(path), "--attribution", "Source: ONS, OGL v3.0", "--source", "ONS Wards (May 2019)")

    boundary = WardBoundary.objects.get()
    assert (boundary.source, boundary.attribution) == ("ONS Wards (May 2019)", "Source: ONS, OGL v3.0")


def test_coordinates_are_rounded_to_about_a_metre():
    square = [[[-1.6000049, 53.8], [-1.5, 53.8], [-1.5, 53.9000051], [-1.6000049, 53.8]]]
    parsed = parse_feature_collection(
        {
            "type": "FeatureCollection",
            "features": [feature("E05011385", geometry={"type": "Polygon", "coordinates": square})],
        }
    )
    assert parsed.features[0].geometry["coordinates"][0][0] == [
        [-1.6, 53.8],
        [-1.5, 53.8],
        [-1.5, 53.90001],
        [-1.6, 53.8],
    ]


def test_boolean_coordinates_are_refused():
    with pytest.raises(BoundaryFileError, match="other than numbers"):
        parse_feature_collection(
            {
                "type": "FeatureCollection",
                "features": [
                    feature(
                        "E05011385",
                        geometry={"type": "Polygon", "coordinates": [[[True, 0], [1, 0], [1, 1], [True, 0]]]},
                    )
                ],
            }
        )


def test_the_shipped_files_cover_the_45_demo_wards_that_have_codes(tmp_path):
    district = DistrictFactory(name="Leeds")
    codes = []
    for path in BOUNDARY_FILES:
        codes += [f.gss_code for f in parse_feature_collection(json.loads(path.read_text())).features]
    for code in codes:
        LocalityFactory(parent=district, gss_code=code, kind=LocalityKind.WARD)
    out = StringIO()
    for path in BOUNDARY_FILES:
        call_command("import_ward_boundaries", str(path), "--attribution", "x", stdout=out)
    assert len(codes) == 45
    assert WardBoundary.objects.count() == 45


def test_a_population_needs_its_source_and_must_be_positive(wards):
    ward = wards["armley"]
    ward.population = 24000
    with pytest.raises(ValidationError, match="source and year"):
        ward.full_clean()
    ward.population_source = "ONS mid-2022 ward population estimates"
    ward.full_clean()
    ward.population = 0
    with pytest.raises(ValidationError, match="at least 1"):
        ward.full_clean()


def test_an_officer_sees_a_boundarys_size_and_cannot_add_one_by_hand(admin_client):
    boundary = WardBoundaryFactory()

    change = admin_client.get(reverse("admin:localities_wardboundary_change", args=[boundary.pk]))
    add = admin_client.get(reverse("admin:localities_wardboundary_add"))

    assert change.status_code == HTTPStatus.OK
    assert re.search(r"Points in the outline:</label>\s*<div class=\"readonly\">5</div>", change.content.decode())
    assert add.status_code == HTTPStatus.FORBIDDEN


def test_an_officer_is_told_a_population_needs_its_source(admin_client, wards):
    url = reverse("admin:localities_locality_change", args=[wards["armley"].pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(parent=wards["armley"].parent_id, population="24000", population_source="")

    response = admin_client.post(url, data)

    assertContains(response, "Enter the source and year of the population figure.")
    wards["armley"].refresh_from_db()
    assert wards["armley"].population is None
