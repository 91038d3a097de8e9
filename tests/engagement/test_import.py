"""Importing and exporting anchors' engagement logs (issue 17): round trip, matching a file
imported twice, organisations read by id or name, and officers' notes never exported."""

from __future__ import annotations

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from engagement.models import Engagement, EngagementKind
from tests.engagement.factories import EngagementFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:engagement_engagement_import")
CONFIRM_URL = reverse("admin:engagement_engagement_process_import")
EXPORT_URL = reverse("admin:engagement_engagement_export")


@pytest.fixture
def officer(client):
    client.force_login(UserFactory(username="officer", is_staff=True))
    return client


def import_file(client, content: bytes):
    previewed = client.post(IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("log.csv", content)})
    assert previewed.status_code == HTTPStatus.OK
    form = previewed.context.get("confirm_form")
    if form is None:
        return previewed
    return client.post(CONFIRM_URL, {name: form.initial.get(name, "") for name in form.fields})


def exported(client) -> list[dict[str, str]]:
    response = client.post(EXPORT_URL, {"format": "0"})
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_log_exports_without_officer_notes_and_imports_back_as_it_was(officer):
    anchor = OrganisationFactory(name="LS14 Trust")
    groups = [OrganisationFactory(name="Seacroft Lunch Club"), OrganisationFactory(name="Swarcliffe Youth")]
    EngagementFactory(
        anchor=anchor,
        organisations=groups,
        occurred_on=datetime.date(2026, 11, 3),
        kind=EngagementKind.TRAINING,
        outcome="Funding workshop",
        follow_up_on=datetime.date(2026, 12, 1),
        officer_notes="PRIVATE-MARKER-7f3a",
    )
    first = exported(officer)
    assert "PRIVATE-MARKER-7f3a" not in str(first)
    assert "officer_notes" not in first[0]
    body = officer.post(EXPORT_URL, {"format": "0"}).content
    Engagement.objects.all().delete()

    assert import_file(officer, body).status_code == HTTPStatus.FOUND
    second = exported(officer)
    assert [{k: v for k, v in row.items() if k != "id"} for row in second] == [
        {k: v for k, v in row.items() if k != "id"} for row in first
    ]
    # The same file again adds nothing: each row matches the entry it made.
    assert import_file(officer, body).status_code == HTTPStatus.FOUND
    assert Engagement.objects.count() == 1


def test_organisations_are_read_by_name_and_dates_day_first(officer):
    OrganisationFactory(name="LS14 Trust")
    OrganisationFactory(name="St Mary's Lunch Club & Friends")
    content = (
        "date,kind,anchor,organizations\r\n03/04/2026,Advice,ls14 trust,St. Mary\u2019s Lunch Club and Friends\r\n"
    )
    assert import_file(officer, content.encode("utf-8")).status_code == HTTPStatus.FOUND
    entry = Engagement.objects.get()
    assert entry.occurred_on == datetime.date(2026, 4, 3)
    assert [o.name for o in entry.organisations.all()] == ["St Mary's Lunch Club & Friends"]


def test_an_organisation_we_do_not_hold_is_reported_and_nothing_is_written(officer):
    OrganisationFactory(name="LS14 Trust")
    content = b"date,kind,anchor,organizations\r\n03/04/2026,Advice,LS14 Trust,Nobody We Know\r\n"
    page = import_file(officer, content).content.decode()
    assert "“Nobody We Know” is not an organisation we hold." in page
    assert not Engagement.objects.exists()


def test_each_organisation_a_log_names_is_looked_up_once_for_the_file(officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.imports import read_table
    from engagement.resources import EngagementResource

    OrganisationFactory(name="LS14 Trust")
    OrganisationFactory(name="Seacroft Lunch Club")
    rows = "".join(f"0{day}/11/2026,Training,LS14 Trust,Seacroft Lunch Club,Visit {day}\r\n" for day in range(1, 6))
    resource = EngagementResource()
    dataset = read_table(
        f"date,kind,anchor,organizations,outcome\r\n{rows}".encode(), known_columns=resource.known_columns()
    )
    with CaptureQueriesContext(connection) as queries:
        result = resource.import_data(dataset, dry_run=True)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert len(result.valid_rows()) == 5
    by_name = [q["sql"] for q in queries.captured_queries if '"name_key" = ' in q["sql"]]
    assert len(by_name) == 2  # the anchor's name and the group's, once each for five rows


# ------------------------------------------------------------------------------
# The command, for large files
# ------------------------------------------------------------------------------
def write_log(tmp_path, rows: list[str]) -> str:
    path = tmp_path / "log.csv"
    path.write_text("\n".join(["date,kind,anchor,organizations,outcome", *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_the_engagements_command_previews_by_default_then_applies_with_commit(tmp_path):
    anchor = OrganisationFactory(name="LS14 Trust")
    group = OrganisationFactory(name="Seacroft Lunch Club")
    officer = UserFactory(username="officer", is_staff=True)
    path = write_log(
        tmp_path,
        ["03/11/2026,Training,LS14 Trust,Seacroft Lunch Club,Workshop", "04/11/2026,Advice,LS14 Trust,,Call"],
    )
    out, err = io.StringIO(), io.StringIO()

    call_command("import_engagements", path, stdout=out, stderr=err)
    assert "2 to add, 0 to update, 0 unchanged. Nothing changed" in out.getvalue()
    assert "Checking: row 2 of 2" in err.getvalue()
    assert not Engagement.objects.exists()

    call_command("import_engagements", path, "--commit", "--user", "officer", stdout=out, stderr=io.StringIO())
    workshop = Engagement.objects.get(outcome="Workshop")
    assert (workshop.anchor, list(workshop.organisations.all())) == (anchor, [group])
    assert workshop.occurred_on == datetime.date(2026, 11, 3)
    assert workshop.history.earliest().history_user == officer
    # The same file again adds nothing.
    call_command("import_engagements", path, "--commit", stdout=out, stderr=io.StringIO())
    assert Engagement.objects.count() == 2


def test_the_engagements_command_writes_nothing_when_the_last_row_fails(tmp_path):
    OrganisationFactory(name="LS14 Trust")
    path = write_log(tmp_path, ["03/11/2026,Training,LS14 Trust,,Workshop", "04/11/2026,Advice,Nobody Known,,Call"])
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_engagements", path, "--commit", stdout=io.StringIO(), stderr=err)
    assert "Row 2: anchor: “Nobody Known” is not an organisation we hold." in err.getvalue()
    assert not Engagement.objects.exists()
