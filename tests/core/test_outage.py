"""While the database is unreachable, every request answers 503 with Retry-After and a page that
says nothing was saved, and the log has one line per failure with the request's id."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import path

from anchornet.settings.base import database_from_env


def database_gone(request):
    raise OperationalError('connection to server on socket "/tmp/.s.PGSQL.5432" failed: No such file or directory')


def connection_dropped(request):
    raise InterfaceError("connection already closed")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("gone/", database_gone),
    path("dropped/", connection_dropped),
    path("broken/", broken),
]
handler500 = "core.outage.server_error"


@pytest.fixture
def outage_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("url", ["/gone/", "/dropped/"])
def test_an_unreachable_database_answers_503_with_retry_after_and_a_page_that_says_nothing_was_saved(
    outage_client, url
):
    response = outage_client.get(url)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Nothing you sent has been saved" in page


def test_an_outage_is_logged_as_one_line_with_the_request_id(outage_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = outage_client.post("/gone/", HTTP_X_REQUEST_ID="req-42")
    assert response["X-Request-ID"] == "req-42"
    records = [record for record in caplog.records if record.name == "django.request"]
    assert len(records) == 1
    (record,) = records
    assert record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message
    assert "POST /gone/" in message
    assert "req-42" in message


def test_any_other_error_is_still_a_500_with_its_traceback_logged(outage_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = outage_client.get("/broken/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert any(record.exc_info for record in caplog.records if record.name == "django.request")


def test_every_response_carries_a_request_id_and_a_forged_one_is_replaced(client, db):
    response = client.get("/", HTTP_X_REQUEST_ID="bad id\r\nSet-Cookie: x")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert request_id.isalnum()


def test_database_connections_are_checked_before_reuse():
    """So the first request after PostgreSQL restarts gets a fresh connection, not a 500."""
    assert database_from_env("postgres://anchornet@localhost/anchornet")["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/directory/", {"q": "food\x00"}),
        ("get", "/directory/?q=%00", None),
        ("post", "/accounts/sign-in/", {"username": "a\x00", "password": "x"}),
        ("get", "/admin/organisations/organisation/", {"q": "\x00"}),
    ],
)
def test_a_nul_character_is_refused_with_400_and_the_portals_page(client, method, url, data):
    client.raise_request_exception = False
    response = getattr(client, method)(url, data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The address is not right" in response.content.decode()
