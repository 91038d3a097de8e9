"""Officers' exports (CSV and XLSX, from the admin): what they contain, what they never
contain, who may make them, and what they cost."""

from __future__ import annotations

import csv
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import ExportableAdminMixin
from meetings.models import AttendanceStatus
from organisations.models import Organisation
from tests.factories import LocalityFactory, OrganisationFactory, TaxonomyTermFactory, UserFactory
from tests.meetings.factories import ActionFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MARKER = "PRIVATE-MARKER-7f3a"
CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the positions of CSV and XLSX in ExportableAdminMixin.formats

EXPORTABLE = [
    model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ExportableAdminMixin)
]


def export_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")


@pytest.fixture
def officer(client):
    client.force_login(UserFactory(username="officer", is_staff=True))
    return client


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def marked():
    """A published group whose officer-only fields carry MARKER."""
    ward = LocalityFactory(name="Batley East", gss_code="E05001390")
    return OrganisationFactory(
        name="Marked Group",
        localities=[ward],
        services=[TaxonomyTermFactory(name="Food support")],
        contact_name=f"{MARKER} name",
        contact_phone="01632 960999",
        contact_email="private-marker-7f3a@example.org",
    )


def test_every_exportable_admin_offers_csv_and_xlsx(officer):
    assert EXPORTABLE, "no admin offers an export"
    for model in EXPORTABLE:
        page = officer.get(export_url(model))
        assert page.status_code == HTTPStatus.OK, model
        assert [label for _value, label in page.context["form"].fields["format"].choices] == ["---", "csv", "xlsx"]


def test_an_organisation_export_has_open_referral_columns_and_never_the_officer_only_fields(officer, marked):
    exported = rows(officer.post(export_url(Organisation), {"format": CSV_FORMAT}))

    (row,) = exported
    assert row["id"] == str(marked.uuid)
    assert (row["name"], row["areas_served"], row["area_gss_codes"], row["taxonomy_terms"]) == (
        "Marked Group",
        "Batley East",
        "E05001390",
        "Food support",
    )
    for private in Organisation.PRIVATE_FIELDS:
        assert private not in row
    flat = " ".join(" ".join(r.values()) for r in exported)
    assert MARKER not in flat
    assert "private-marker-7f3a" not in flat
    assert "960999" not in flat


def test_an_export_is_what_the_changelist_shows_with_its_search_and_filters(officer, marked):
    OrganisationFactory(name="Another Group")
    url = export_url(Organisation) + "?q=Marked"
    assert [row["name"] for row in rows(officer.post(url, {"format": CSV_FORMAT}))] == ["Marked Group"]
    changelist = officer.get(reverse("admin:organisations_organisation_changelist"), {"q": "Marked"})
    assert f"{export_url(Organisation)}?q=Marked" in changelist.content.decode()


def test_an_xlsx_export_opens_as_a_spreadsheet(officer, marked):
    response = officer.post(export_url(Organisation), {"format": XLSX_FORMAT})
    assert response.status_code == HTTPStatus.OK
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    assert dict(zip(header, first, strict=True))["name"] == "Marked Group"
    assert MARKER not in str([[cell.value for cell in row] for row in sheet.iter_rows()])


@pytest.mark.parametrize("name", ['=HYPERLINK("https://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)"])
def test_text_that_a_spreadsheet_would_run_is_exported_as_text(officer, name):
    OrganisationFactory(name=name)
    (row,) = rows(officer.post(export_url(Organisation), {"format": CSV_FORMAT}))
    assert row["name"] == "'" + name


def test_attendance_exports_which_organisations_each_meeting_involved(officer):
    meeting = MeetingFactory(title="Batley locality meeting", joining_url="https://meet.example.org/secret-room-42")
    came = AttendanceFactory(meeting=meeting, status=AttendanceStatus.ATTENDED)
    AttendanceFactory(meeting=meeting, status=AttendanceStatus.APOLOGIES)
    ActionFactory(raised_at=meeting)

    attendance = rows(officer.post(export_url(came._meta.model), {"format": CSV_FORMAT}))
    assert {(r["meeting"], r["organization_name"], r["status"]) for r in attendance} >= {
        ("Batley locality meeting", came.organisation.name, "Attended")
    }
    (summary,) = rows(officer.post(export_url(meeting._meta.model), {"format": CSV_FORMAT}))
    assert (summary["organisations_attended"], summary["organisations_sent_apologies"], summary["actions_raised"]) == (
        "1",
        "1",
        "1",
    )
    assert summary["uid"] == meeting.ical_uid
    assert "secret-room" not in str(summary)


@pytest.mark.parametrize("count", [3, 60])
def test_an_export_costs_the_same_queries_however_many_rows(officer, django_assert_max_num_queries, count):
    places = [LocalityFactory() for _ in range(3)]
    for _ in range(count):
        OrganisationFactory(localities=places)
    # 14: the council column reads the districts' names once per export.
    with django_assert_max_num_queries(14):
        exported = rows(officer.post(export_url(Organisation), {"format": CSV_FORMAT}))
    assert len(exported) == count


def test_a_bad_format_choice_shows_the_form_again_not_an_error(officer):
    for value in ("7", "-1", "csv", "9" * 30, ""):
        response = officer.post(export_url(Organisation), {"format": value})
        assert response.status_code == HTTPStatus.OK
        assert "form" in response.context


@pytest.mark.parametrize("model", EXPORTABLE, ids=lambda model: model._meta.label)
def test_every_export_costs_the_same_queries_for_2_rows_as_for_12(officer, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import admin_factories

    factory = admin_factories()[model]
    counts = []
    for total in (2, 12):
        while model.objects.count() < total:
            factory()
        with CaptureQueriesContext(connection) as queries:
            exported = rows(officer.post(export_url(model), {"format": CSV_FORMAT}))
        assert len(exported) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{model._meta.label}: {counts[0]} queries for 2 rows, {counts[1]} for 12"
