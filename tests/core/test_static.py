"""Production static files: collectstatic works, hashes module imports, serves no GOV.UK-only assets."""

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture
def collected(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_init_js_imports_govuk_frontend_by_its_hashed_name(collected):
    hashed_init = next((collected / "js").glob("init.*.js"))
    assert 'from "./govuk-frontend.min.' in hashed_init.read_text()
    assert "from './govuk-frontend.min.js'" not in hashed_init.read_text()


def test_compressed_copies_are_made_for_whitenoise(collected):
    assert list((collected / "css").glob("anchornet.*.css.gz"))


def test_no_gds_transport_font_or_crown_is_served(collected):
    css = next((collected / "css").glob("anchornet.*.css")).read_text()
    assert "GDS Transport" not in css
    assert ".woff" not in css
    assert not list(collected.rglob("*.woff*"))
    assert not list(collected.rglob("*crest*"))
