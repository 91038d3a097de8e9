"""Production settings refuse to start without their secrets; empty values mean unset."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "postgres://u@localhost/anchornet"}


def load_prod_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the production settings in a clean interpreter with exactly ``env``."""
    return subprocess.run(
        [sys.executable, "-c", "import anchornet.settings.prod as s; print(s.SECURE_HSTS_SECONDS, s.ADMIN_URL)"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_start_with_their_environment():
    result = load_prod_settings(**PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "admin/"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without(missing):
    for value in (None, ""):  # unset, and set but empty
        env = {k: v for k, v in PROD_ENV.items() if k != missing}
        if value is not None:
            env[missing] = value
        result = load_prod_settings(**env)
        assert result.returncode != 0
        assert f"Set the {missing} environment variable" in result.stderr or missing in result.stderr


def test_a_malformed_number_is_reported_by_name():
    result = load_prod_settings(**PROD_ENV, SECURE_HSTS_SECONDS="a year")
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_the_admin_cannot_be_put_at_the_site_root():
    result = load_prod_settings(**PROD_ENV, ADMIN_URL="/")
    assert "ADMIN_URL must be a path" in result.stderr
    assert load_prod_settings(**PROD_ENV, ADMIN_URL="").stdout.split()[1] == "admin/"
