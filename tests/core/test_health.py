"""/healthz and /readyz, as a load balancer and a process supervisor ask them."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder

from core import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def migrations_not_yet_known(monkeypatch):
    # Each test starts as a new worker would: the migrations not yet checked.
    monkeypatch.setattr(health, "_migrations_applied", False)


def answer(client, path, **headers):
    response = client.get(path, **headers)
    return response, json.loads(response.content)


def test_liveness_answers_without_the_database_from_any_host_over_plain_http(
    client, settings, django_assert_num_queries
):
    # The load balancer asks by the machine's address, over HTTP, behind the TLS proxy.
    settings.ALLOWED_HOSTS = ["anchornet.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    with django_assert_num_queries(0):
        response, body = answer(client, "/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert body == {"status": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_ready_when_the_database_migrations_and_cache_all_answer(client, settings):
    settings.ALLOWED_HOSTS = ["anchornet.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response, body = answer(client, "/readyz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert body == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_an_unapplied_migration_makes_the_process_not_ready_until_it_is_applied(client):
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="organisations").order_by("-applied", "-id").first()
    last.delete()

    response, body = answer(client, "/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"] == "failing"
    assert body["checks"]["database"] == "ok"

    recorder.record_applied(last.app, last.name)
    response, body = answer(client, "/readyz")
    assert response.status_code == 200


def test_a_database_that_does_not_answer_is_not_ready_and_the_error_stays_in_the_log(client, monkeypatch, caplog):
    def unreachable():
        raise OperationalError('connection to server at "db.internal" (10.0.0.9), port 5432 failed: timeout')

    monkeypatch.setattr(health, "check_database", unreachable)
    with caplog.at_level("WARNING", logger="core.health"):
        response, body = answer(client, "/readyz")

    assert response.status_code == 503
    assert body["checks"] == {"database": "failing", "migrations": "failing", "cache": "ok"}
    # The address of the database is for the log, not for whoever asks.
    assert b"db.internal" not in response.content
    assert "db.internal" in caplog.text


def test_a_cache_that_does_not_answer_is_not_ready(client, settings):
    # The production cache is a database table; here, one that was never made.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_cache_table"}
    }
    response, body = answer(client, "/readyz")

    assert response.status_code == 503
    assert body["checks"]["cache"] == "failing"
    assert body["checks"]["database"] == "ok"


def test_other_methods_and_addresses_reach_the_site_as_before(client):
    assert client.post("/healthz").status_code != 200
    assert client.get("/healthz/").status_code == 404
