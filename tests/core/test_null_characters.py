"""A NUL character in a request is refused with the site's 400 page (or the API's JSON), and
logged in one line: anyone can send one, so it must not fill the log with tracebacks."""

import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/directory/", {"q": "a\x00b"}),
        ("/directory/", {"postcode\x00": "x"}),
        ("/api/oruk/services", {"search": "\x00"}),
    ],
    ids=["value", "name", "api"],
)
def test_a_nul_character_is_refused_and_logged_without_a_traceback(client, caplog, path, params):
    with caplog.at_level(logging.WARNING):
        response = client.get(path, params)

    assert response.status_code == 400
    refused = [record for record in caplog.records if "NUL" in record.getMessage()]
    assert len(refused) == 1
    assert all(record.exc_info is None for record in caplog.records)


def test_the_page_refusing_a_nul_character_is_the_site_s_own(client):
    response = client.get("/directory/", {"q": "\x00"})

    assert response.status_code == 400
    assert "html" in response["Content-Type"]
    assert b"The address is not right" in response.content


def test_a_form_post_with_a_nul_character_is_refused(client):
    response = client.post("/accounts/sign-in/", {"username": "a\x00", "password": "x"})

    assert response.status_code == 400
