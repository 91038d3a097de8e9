"""Production settings refuse to start without their secrets; empty values mean unset."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "postgres://u@localhost/anchornet",
    "SITE_URL": "https://example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "noreply@example.org",
}


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


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "EMAIL_HOST", "DEFAULT_FROM_EMAIL"]
)
def test_production_settings_refuse_to_start_without(missing):
    for value in (None, ""):  # unset, and set but empty
        env = {k: v for k, v in PROD_ENV.items() if k != missing}
        if value is not None:
            env[missing] = value
        result = load_prod_settings(**env)
        assert result.returncode != 0
        assert f"Set the {missing} environment variable" in result.stderr or missing in result.stderr


def test_production_sends_email_by_smtp_from_its_environment():
    script = (
        "import anchornet.settings.prod as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    env = {**PROD_ENV, "EMAIL_PORT": "2525", "EMAIL_HOST_USER": "relay", "EMAIL_USE_TLS": "no"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "relay",
        "False",
        "noreply@example.org",
    ]


def test_a_malformed_number_is_reported_by_name():
    result = load_prod_settings(**PROD_ENV, SECURE_HSTS_SECONDS="a year")
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_the_admin_cannot_be_put_at_the_site_root():
    result = load_prod_settings(**PROD_ENV, ADMIN_URL="/")
    assert "ADMIN_URL must be a path" in result.stderr
    assert load_prod_settings(**PROD_ENV, ADMIN_URL="").stdout.split()[1] == "admin/"


def test_production_shares_one_cache_between_processes():
    """Rate limits (the public forms) count across every gunicorn worker: a database cache,
    not each process's memory."""
    script = "import anchornet.settings.prod as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PROD_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
