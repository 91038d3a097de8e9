"""Importing organisations from the officers' spreadsheets (issue 17): the admin's preview and
confirm, all or nothing, duplicates matched rather than re-created, wards read against the
right council, the audit trail, and export → import → export giving the same rows."""

from __future__ import annotations

import csv
import io
from http import HTTPStatus
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.imports import read_table
from localities.models import LocalityKind
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    MembershipRole,
    NetworkStructure,
    Organisation,
    OrganisationKind,
)
from organisations.resources import OrganisationResource
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
IMPORT_URL = reverse("admin:organisations_organisation_import")
CONFIRM_URL = reverse("admin:organisations_organisation_process_import")
EXPORT_URL = reverse("admin:organisations_organisation_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def places():
    """Leeds and Kirklees with the wards the fixtures name (GSS codes from ../shared/data)."""
    leeds = DistrictFactory(name="Leeds", slug="leeds", gss_code="E08000035")
    kirklees = DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    batley = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    return {
        "leeds": leeds,
        "kirklees": kirklees,
        "armley": LocalityFactory(name="Armley", slug="armley", gss_code="E05011385", parent=leeds),
        "seacroft": LocalityFactory(
            name="Killingbeck and Seacroft", slug="killingbeck-and-seacroft", gss_code="E05011400", parent=leeds
        ),
        "bramley": LocalityFactory(
            name="Bramley and Stanningley", slug="bramley-and-stanningley", gss_code="E05011387", parent=leeds
        ),
        "batley_east": LocalityFactory(name="Batley East", slug="batley-east", gss_code="E05001390", parent=batley),
        "food": TaxonomyTermFactory(name="Food support"),
    }


@pytest.fixture
def officer(client):
    user = UserFactory(username="officer", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes() if content is None else content)


def preview(client, name: str, content: bytes | None = None, file_format: str = CSV_FORMAT):
    return client.post(IMPORT_URL, {"format": file_format, "import_file": upload(name, content)})


def confirm(client, previewed):
    form = previewed.context["confirm_form"]
    return client.post(CONFIRM_URL, {name: form.initial.get(name, "") for name in form.fields})


def rows_of(previewed) -> list[tuple[str, str, list[str]]]:
    """(name, action, notes) for each row of a preview."""
    result = previewed.context["result"]
    return [(row.object_repr, row.import_type, row.notes) for row in result.valid_rows()]


def exported_rows(client, file_format: str = CSV_FORMAT) -> list[dict[str, str]]:
    response = client.post(EXPORT_URL, {"format": file_format})
    assert response.status_code == HTTPStatus.OK
    if file_format == XLSX_FORMAT:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [[cell.value if cell.value is not None else "" for cell in row] for row in sheet.iter_rows()]
        return [dict(zip(values[0], map(str, row), strict=True)) for row in values[1:]]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# ------------------------------------------------------------------------------
# Preview, then confirm
# ------------------------------------------------------------------------------
def test_the_preview_says_what_each_row_will_do_and_why_and_changes_nothing(officer, places):
    OrganisationFactory(
        name="LS14 Trust",
        charity_number="1100001",
        postcode="LS14 6JB",
        localities=[places["seacroft"]],
        services=[places["food"]],
    )
    OrganisationFactory(name="Cafe Connect", postcode="LS13 1AA", localities=[places["bramley"]])
    before = Organisation.objects.count()

    previewed = preview(officer, "organisations-utf8.csv")

    assert previewed.status_code == HTTPStatus.OK
    assert "confirm_form" in previewed.context
    rows = {name: (action, " ".join(notes)) for name, action, notes in rows_of(previewed)}
    assert rows["LS14 Trust"] == (
        "skip",
        "Matched by charity number 1100001. Already as in the file: nothing to change.",
    )
    assert rows["St. Mary\u2019s Lunch Club & Friends"][0] == "new"
    # "Café Connect" and "Cafe Connect" are one name once accents are set aside: matched by name and postcode.
    assert rows["Caf\u00e9 Connect"][0] == "update"
    assert "Matched by name and postcode" in rows["Caf\u00e9 Connect"][1]
    page = previewed.content.decode()
    assert "1 to add, 1 to update, 1 to skip. Nothing has changed yet." in page
    assert "Matched by charity number 1100001." in page
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(name__startswith="St. Mary").exists()


def test_confirming_applies_the_file_and_the_history_names_the_officer_and_the_file(officer, places):
    previewed = preview(officer, "organisations-utf8.csv")
    response = confirm(officer, previewed)

    assert response.status_code == HTTPStatus.FOUND
    club = Organisation.objects.get(name="St. Mary\u2019s Lunch Club & Friends")
    assert club.postcode == "LS12 3AB"
    assert list(club.localities.all()) == [places["armley"]]
    trust = Organisation.objects.get(charity_number="1100001")
    assert list(trust.services.all()) == [places["food"]]
    history = trust.history.latest()
    assert history.history_user == officer.user
    assert history.history_change_reason == "Imported from organisations-utf8.csv"
    assert Organisation.objects.count() == 3


def test_each_imported_organisation_has_one_history_row_holding_its_areas_and_services(officer, places):
    confirm(officer, preview(officer, "organisations-utf8.csv"))

    trust = Organisation.objects.get(charity_number="1100001")
    (history,) = trust.history.all()
    assert history.history_type == "+"
    assert [link.locality for link in history.localities.all()] == [places["seacroft"]]
    assert [link.taxonomyterm for link in history.services.all()] == [places["food"]]
    # Imported again with another area: one more row, with the links as they are now.
    content = b"name,charity_number,areas_served,council\nLS14 Trust,1100001,Armley,Leeds\n"
    confirm(officer, preview(officer, "again.csv", content))
    latest = trust.history.latest()
    assert (trust.history.count(), latest.history_type) == (2, "~")
    assert [link.locality for link in latest.localities.all()] == [places["armley"]]


@pytest.mark.parametrize(
    ("name", "file_format"),
    [
        ("organisations-utf8.csv", CSV_FORMAT),
        ("organisations-utf8-bom.csv", CSV_FORMAT),
        ("organisations-windows-1252.csv", CSV_FORMAT),
        ("organisations-merged-headings.xlsx", XLSX_FORMAT),
        # The format chosen does not matter: the content says what the file is.
        ("organisations-merged-headings.xlsx", CSV_FORMAT),
    ],
)
def test_the_same_list_saved_every_way_excel_saves_it_imports_the_same(officer, places, name, file_format):
    confirm(officer, preview(officer, name, file_format=file_format))
    assert sorted(Organisation.objects.values_list("name", "postcode", "charity_number")) == [
        ("Caf\u00e9 Connect", "LS13 1AA", ""),
        ("LS14 Trust", "LS14 6JB", "1100001"),
        ("St. Mary\u2019s Lunch Club & Friends", "LS12 3AB", ""),
    ]


# ------------------------------------------------------------------------------
# All or nothing
# ------------------------------------------------------------------------------
def test_a_bad_last_row_stops_the_whole_file_with_the_row_and_the_reason(officer, places):
    previewed = preview(officer, "last-row-invalid.csv")
    assert "confirm_form" not in previewed.context
    page = previewed.content.decode()
    assert "Enter a real postcode, like LS1 1UR." in page
    assert not Organisation.objects.exists()


def test_a_failure_at_confirmation_writes_nothing_and_says_so(officer, places):
    """The preview was clean; by the time the officer confirms, another officer has given the
    last row's slug to an organisation of their own: the whole file is refused."""
    content = b"name,slug,postcode\r\nFirst Group,first-group,LS12 1AA\r\nSecond Group,second-group,LS12 1AB\r\n"
    previewed = preview(officer, "two.csv", content)
    OrganisationFactory(name="Someone Else", slug="second-group")

    response = confirm(officer, previewed)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Row 2:" in page
    assert not Organisation.objects.filter(name__in=["First Group", "Second Group"]).exists()


def test_the_resource_rolls_back_every_row_when_the_last_one_fails(places):
    dataset = read_table((DATA / "last-row-invalid.csv").read_bytes(), known_columns=["name", "postcode"])
    result = OrganisationResource().import_data(dataset, dry_run=False, file_name="last-row-invalid.csv")
    assert result.has_validation_errors()
    assert not Organisation.objects.exists()


# ------------------------------------------------------------------------------
# Duplicates
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "stored", "typed"),
    [
        ("charity_number", "1100001", " 1100001 "),
        ("charity_number", "SC012345", "sc012345"),
        ("company_number", "01234567", "1234567"),
    ],
)
def test_an_organisation_is_matched_by_its_registered_number_whatever_its_name(officer, places, column, stored, typed):
    existing = OrganisationFactory(name="Seacroft Community Trust", **{column: stored})
    content = f"name,{column},description\r\nLS14 Trust (Seacroft),{typed},Now under a new name\r\n".encode()
    confirm(officer, preview(officer, "numbers.csv", content))
    existing.refresh_from_db()
    assert (existing.name, existing.description) == ("LS14 Trust (Seacroft)", "Now under a new name")
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("St Mary's Lunch Club and Friends", "St. Mary\u2019s Lunch Club & Friends"),
        ("Saint Marys Lunch Club & Friends", "ST MARY'S LUNCH CLUB AND FRIENDS"),
        ("The Armley Helping Hands", "Armley  Helping-Hands"),
        ("Caf\u00e9 Connect", "cafe connect"),
    ],
)
def test_real_name_variants_with_the_same_postcode_are_one_organisation(officer, places, stored, typed):
    existing = OrganisationFactory(name=stored, postcode="LS12 3AB")
    content = f'name,postcode,phone\r\n"{typed}",ls12  3ab,0113 496 0000\r\n'.encode()
    previewed = preview(officer, "variants.csv", content)
    ((_name, action, notes),) = rows_of(previewed)
    assert action == "update"
    assert any("Matched by name and postcode" in note for note in notes)
    confirm(officer, previewed)
    assert Organisation.objects.count() == 1
    existing.refresh_from_db()
    assert existing.phone == "0113 496 0000"


def test_the_same_name_at_another_postcode_is_a_new_organisation_flagged_for_the_officer(officer, places):
    existing = OrganisationFactory(name="Armley Helping Hands", postcode="LS12 3AB")
    content = (
        b"name,postcode\r\n"
        b"Armley Helping Hands,LS12 9ZZ\r\nArmley Helpin Hands,LS12 8YY\r\nArmley Bowls Club,LS12 7XX\r\n"
    )
    rows = {name: (action, " ".join(notes)) for name, action, notes in rows_of(preview(officer, "near.csv", content))}

    flagged = (
        "Possible duplicate of “Armley Helping Hands” (LS12 3AB): it will be added as a new organisation. "
        f"If it is the same, put {existing.uuid} in the id column"
    )
    assert rows["Armley Helping Hands"][0] == "new"
    assert flagged in rows["Armley Helping Hands"][1]
    assert rows["Armley Helpin Hands"][0] == "new"  # a typo, same postcode district
    assert flagged in rows["Armley Helpin Hands"][1]
    assert "Possible duplicate" not in rows["Armley Bowls Club"][1]


def test_a_near_match_is_flagged_in_a_postcode_district_of_more_than_200_organisations(places):
    # The scan once stopped at the district's first 200 names: "Zion..." sorted after them.
    for n in range(201):
        OrganisationFactory(name=f"Aardvark Club {n:03}", postcode="LS12 1AA")
    OrganisationFactory(name="Zion Helping Hands", postcode="LS12 3AB")
    resource = OrganisationResource()
    dataset = read_table(b"name,postcode\r\nZion Helpin Hands,LS12 8YY\r\n", known_columns=resource.known_columns())
    result = resource.import_data(dataset, dry_run=True)
    (row,) = result.valid_rows()
    assert any("Possible duplicate of \u201cZion Helping Hands\u201d" in note for note in row.notes)


def test_a_row_repeating_one_added_above_it_in_the_same_file_is_flagged(places):
    resource = OrganisationResource()
    content = b"name,postcode\r\nArmley Helping Hands,LS12 3AB\r\nArmley Helpin Hands,LS12 9ZZ\r\n"
    result = resource.import_data(read_table(content, known_columns=resource.known_columns()), dry_run=True)
    first, second = result.valid_rows()
    assert not any("Possible duplicate" in note for note in first.notes)
    assert any("Possible duplicate of \u201cArmley Helping Hands\u201d" in note for note in second.notes)


def test_an_id_from_an_export_updates_that_record_even_after_a_rename(officer, places):
    existing = OrganisationFactory(name="Old Name", postcode="LS12 3AB")
    content = f"id,name\r\n{existing.uuid},New Name\r\n".encode()
    confirm(officer, preview(officer, "ids.csv", content))
    existing.refresh_from_db()
    assert existing.name == "New Name"
    assert Organisation.objects.count() == 1


# ------------------------------------------------------------------------------
# Wards and councils
# ------------------------------------------------------------------------------
def test_a_ward_of_another_council_is_refused_with_the_reason(officer, places):
    previewed = preview(officer, "ward-of-another-council.csv")
    assert "confirm_form" not in previewed.context
    assert "“Batley East” is in Kirklees, not in Leeds" in previewed.content.decode()
    assert not Organisation.objects.exists()


def test_a_ward_we_do_not_hold_is_reported_never_guessed(officer, places):
    LocalityFactory(name="Narnia Centre", parent=places["leeds"])  # close, but not the name given
    previewed = preview(officer, "ward-not-held.csv")
    assert "confirm_form" not in previewed.context
    assert "“Narnia Central” is not an area or ward we hold" in previewed.content.decode()
    assert not Organisation.objects.exists()


def test_a_ward_name_two_councils_share_needs_the_council_or_the_code(officer, places):
    LocalityFactory(name="Central", slug="central-leeds", parent=places["leeds"])
    LocalityFactory(name="Central", slug="central-kirklees", parent=places["kirklees"])
    content = b"name,areas_served\r\nCentral Group,Central\r\n"
    page = preview(officer, "central.csv", content).content.decode()
    assert "“Central” could be Central (Leeds, Ward) or Central (Kirklees, Ward)" in page


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Nowhere Network | Anchor | Armley", "“Nowhere Network” is not a network we hold."),
        ("Leeds Community Anchor Network | Anchor | Batley East", "“Batley East” is in Kirklees, not in Leeds"),
        ("Leeds Community Anchor Network | Boss | Armley", "“Boss” is not one of: Lead anchor, Local anchor, Anchor."),
        ("Leeds Community Anchor Network | Lead anchor | Armley", "Leeds Community Anchor Network has"),
        ("Leeds Community Anchor Network, Anchor, Armley", "write it as network | role | place"),
    ],
)
def test_an_anchor_role_that_breaks_a_rule_is_refused_with_the_reason(officer, places, cell, message):
    NetworkFactory(name="Leeds Community Anchor Network", district=places["leeds"])
    content = f'name,anchor_roles\r\nArmley Hub,"{cell}"\r\n'.encode()
    previewed = preview(officer, "roles.csv", content)
    assert message in previewed.content.decode()
    assert "confirm_form" not in previewed.context
    assert not Organisation.objects.exists()
    assert not AnchorRole.objects.exists()


def test_a_gss_code_names_a_ward_without_a_council(officer, places):
    confirm(officer, preview(officer, "codes.csv", b"name,area_gss_codes\r\nBatley Kitchen,E05001390\r\n"))
    assert list(Organisation.objects.get().localities.all()) == [places["batley_east"]]


# ------------------------------------------------------------------------------
# Files that cannot be imported
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The submitted file is empty."),  # Django's own check, before ours
        ("binary-junk.csv", "This is not a CSV or Excel (.xlsx) file."),
        ("huge-cell.csv", "holds more than 10,000 characters"),
        ("wrong-columns.csv", "No row of column headings was found."),
    ],
)
def test_a_file_that_cannot_be_imported_is_explained_and_changes_nothing(officer, places, name, message):
    OrganisationFactory(name="Untouched")
    response = preview(officer, name)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Untouched"]


def test_columns_the_import_does_not_read_are_named(officer, places):
    page = preview(officer, "extra.csv", b"name,Notes,favourite colour\r\nA Group,x,y\r\n").content.decode()
    assert "Columns this import does not read: notes, favourite_colour." in page
    assert not Organisation.objects.exists()


def test_bad_values_are_reported_per_row_with_the_column(officer, places):
    content = b"name,kind,email,is_demo\r\nA Group,Spaceship,not-an-email,maybe\r\n"
    page = preview(officer, "values.csv", content).content.decode()
    assert "is not one of: " in page
    assert "Enter a valid email address." in page
    assert not Organisation.objects.exists()


def test_formula_cells_are_imported_as_text_and_exported_escaped(officer, places):
    confirm(officer, preview(officer, "formula-cells.csv"))
    group = Organisation.objects.get()
    assert group.name == "=cmd|' /C calc'!A0"
    (row,) = exported_rows(officer)
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["description"] == '\'=HYPERLINK("https://evil.example","Click")'


# ------------------------------------------------------------------------------
# Round trip
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT])
def test_an_export_imports_into_an_empty_directory_and_exports_the_same_rows(officer, places, file_format):
    leeds_network = NetworkFactory(name="Leeds Community Anchor Network", district=places["leeds"])
    kirklees_network = NetworkFactory(
        name="Kirklees Community Anchors", district=places["kirklees"], structure=NetworkStructure.TIERED
    )
    batley_hub = OrganisationFactory(name="Batley Hub", postcode="WF17 5AA")
    lead = AnchorRoleFactory(
        organisation=batley_hub,
        network=kirklees_network,
        role=AnchorRoleKind.LEAD_ANCHOR,
        locality=places["batley_east"].parent,
    )
    kitchen = OrganisationFactory(name="Batley Kitchen", postcode="WF17 6BB")
    AnchorRoleFactory(
        organisation=kitchen,
        network=kirklees_network,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        locality=places["batley_east"],
        lead=lead,
    )
    trust = OrganisationFactory(
        name="LS14 Trust",
        kind=OrganisationKind.CHARITY,
        charity_number="1100001",
        company_number="01234567",
        postcode="LS14 6JB",
        website="https://ls14trust.example.org/",
        email="hello@ls14trust.example.org",
        phone="0113 496 0001",
        address="1 Example Road\nSeacroft",
        description='Lunches, advice and "warm spaces"; open to all.',
        localities=[places["seacroft"], places["armley"]],
        services=[places["food"]],
    )
    AnchorRoleFactory(organisation=trust, network=leeds_network, locality=places["seacroft"])
    OrganisationFactory(name="=SUM(A1)", status="draft", localities=[places["batley_east"]], is_demo=True)
    OrganisationFactory(name="Caf\u00e9 Connect", postcode="LS13 1AA")
    first = exported_rows(officer, file_format)
    assert {row["name"]: row["anchor_roles"] for row in first if row["anchor_roles"]} == {
        "LS14 Trust": "Leeds Community Anchor Network | Anchor | Killingbeck and Seacroft",
        "Batley Hub": "Kirklees Community Anchors | Lead anchor | Batley and Spen",
        "Batley Kitchen": "Kirklees Community Anchors | Local anchor | Batley East | lead: Batley Hub",
    }
    response = officer.post(EXPORT_URL, {"format": file_format})
    name = "export.xlsx" if file_format == XLSX_FORMAT else "export.csv"
    AnchorRole.objects.filter(lead__isnull=False).delete()
    AnchorRole.objects.all().delete()
    Organisation.objects.all().delete()

    confirm(officer, preview(officer, name, response.content, file_format=file_format))
    second = exported_rows(officer, file_format)

    def comparable(rows):
        return sorted(({k: v for k, v in row.items() if k != "last_modified"} for row in rows), key=lambda r: r["id"])

    assert len(second) == 5
    assert comparable(second) == comparable(first)


# ------------------------------------------------------------------------------
# Who may import
# ------------------------------------------------------------------------------
def test_an_anchor_editor_cannot_reach_the_import(client, places):
    editor = UserFactory(username="editor")
    MembershipFactory(user=editor, organisation=OrganisationFactory(), role=MembershipRole.EDITOR)
    client.force_login(editor)
    for response in (
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, {"format": CSV_FORMAT, "import_file": upload("organisations-utf8.csv")}),
        client.post(CONFIRM_URL, {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"}),
    ):
        assert response.status_code == HTTPStatus.FOUND
        assert reverse("admin:login") in response["Location"]
    assert Organisation.objects.count() == 1


def test_the_changelist_offers_import_to_officers(officer, places):
    page = officer.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in page or f"href='{IMPORT_URL}'" in page


# ------------------------------------------------------------------------------
# The command, for large files
# ------------------------------------------------------------------------------
def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_previews_by_default_and_changes_nothing(places):
    out, err = run_command(str(DATA / "organisations-utf8.csv"))
    assert "3 to add, 0 to update, 0 unchanged. Nothing changed: run again with --commit to apply." in out
    assert "Checking: row 3 of 3" in err
    assert not Organisation.objects.exists()


def test_the_command_commits_all_rows_under_the_officer_named(places):
    officer = UserFactory(username="officer", is_staff=True)
    out, _err = run_command(str(DATA / "organisations-windows-1252.csv"), "--commit", "--user", "officer")
    assert "Imported" in out
    assert Organisation.objects.count() == 3
    history = Organisation.objects.get(name="Caf\u00e9 Connect").history.latest()
    assert (history.history_user, history.history_change_reason) == (
        officer,
        "Imported from organisations-windows-1252.csv",
    )


def test_the_command_flags_possible_duplicates(places):
    OrganisationFactory(name="LS14 Trusts", postcode="LS14 1AA")
    out, _err = run_command(str(DATA / "organisations-utf8.csv"))
    assert "Row 1: LS14 Trust: Possible duplicate of “LS14 Trusts” (LS14 1AA)" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("last-row-invalid.csv", "Row 4: postcode: Enter a real postcode, like LS1 1UR."),
        ("ward-of-another-council.csv", "Row 1: areas_served: “Batley East” is in Kirklees, not in Leeds"),
        ("binary-junk.csv", ""),
        ("no-such-file.csv", ""),
    ],
)
def test_the_command_fails_with_the_row_messages_and_writes_nothing(places, name, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organisations", str(DATA / name), "--commit", stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not Organisation.objects.exists()


def test_the_command_refuses_a_user_who_is_not_an_officer(places):
    UserFactory(username="editor")
    with pytest.raises(CommandError, match="not an officer"):
        run_command(str(DATA / "organisations-utf8.csv"), "--commit", "--user", "editor")


def test_the_preview_names_each_action_and_refuses_a_file_with_no_rows(officer, places):
    OrganisationFactory(name="Cafe Connect", postcode="LS13 1AA")
    page = preview(officer, "actions.csv", b"name,postcode\r\nCafe Connect,LS13 1AA\r\nNew Group,LS13 2BB\r\n")
    body = page.content.decode()
    assert '<td class="import-type">Skip</td>' in body
    assert '<td class="import-type">Add</td>' in body
    empty = preview(officer, "headings-only.csv", b"name,postcode\r\n")
    assert empty.status_code == HTTPStatus.OK
    assert "confirm_form" not in empty.context
    assert empty.context["form"].errors["import_file"]  # django-import-export's "No valid data to import"
