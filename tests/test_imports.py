"""Every admin that imports (core.admin.ImportableAdminMixin): the form, a hostile file, and
its own export read back, the same way for each."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.admin import ImportableAdminMixin
from tests.factories import UserFactory, admin_factories

pytestmark = pytest.mark.django_db

IMPORTABLE = [
    model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ImportableAdminMixin)
]


def url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.fixture
def officer(client):
    client.force_login(UserFactory(username="officer", is_staff=True))
    return client


def test_organisations_localities_and_engagements_import():
    assert {model._meta.label for model in IMPORTABLE} == {
        "organisations.Organisation",
        "localities.Locality",
        "engagement.Engagement",
    }


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model._meta.label)
def test_each_import_offers_csv_and_xlsx_and_explains_a_bad_file(officer, model):
    page = officer.get(url(model, "import"))
    assert page.status_code == HTTPStatus.OK
    assert [label for _value, label in page.context["form"].fields["format"].choices] == ["---", "csv", "xlsx"]
    for content in (b"\x00\x01junk" * 50, b"PK\x03\x04broken", "caf\u00e9,x\r\n".encode("cp1252")):
        response = officer.post(
            url(model, "import"), {"format": "0", "import_file": SimpleUploadedFile("f.csv", content)}
        )
        assert response.status_code == HTTPStatus.OK
        assert "confirm_form" not in response.context
        # Explained on the form, not merely not offered: a page that lost the error passed before.
        assert response.context["form"].errors["import_file"]


@pytest.mark.parametrize("model", IMPORTABLE, ids=lambda model: model._meta.label)
def test_each_export_previews_as_an_import_that_changes_nothing(officer, model):
    admin_factories()[model]()
    exported = officer.post(url(model, "export"), {"format": "0"})
    response = officer.post(
        url(model, "import"), {"format": "0", "import_file": SimpleUploadedFile("export.csv", exported.content)}
    )
    assert response.status_code == HTTPStatus.OK
    result = response.context["result"]
    assert not result.has_errors(), response.content.decode()[-3000:]
    assert not result.has_validation_errors(), response.content.decode()[-3000:]
    assert {row.import_type for row in result.valid_rows()} == {"skip"}
