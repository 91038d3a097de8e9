"""Every log line names the request it was written for; production writes JSON lines."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest

from anchornet.settings.base import LOGGING_FILTERS
from core.logging import logging_config

from .test_settings import PROD_ENV

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log(settings):
    """The JSON configuration in place of the suite's, its console writing to a buffer; calling
    the fixture gives the lines written, parsed."""
    logging.config.dictConfig(logging_config("json", level="INFO", filters=LOGGING_FILTERS))
    buffer = io.StringIO()
    (console,) = logging.getLogger().handlers
    console.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_line_written_during_a_request_names_its_id_as_the_response_does(client, json_log):
    # A NUL character is refused with a warning (core.middleware), written mid-request.
    response = client.get("/directory/", {"q": "food\x00"})
    given = client.get("/directory/", {"q": "food\x00"}, HTTP_X_REQUEST_ID="proxy-given-42")

    warnings = [line for line in json_log() if line["logger"] == "core.middleware"]
    assert [line["request_id"] for line in warnings] == [response["X-Request-ID"], "proxy-given-42"]
    assert warnings[0]["level"] == "WARNING"
    assert "NUL character" in warnings[0]["message"]
    assert warnings[0]["time"]
    assert given.status_code == 400


def test_a_line_written_outside_any_request_says_so(json_log):
    logging.getLogger("engagement.tasks").warning("Sent %d reminders", 3)

    (line,) = json_log()
    assert line["message"] == "Sent 3 reminders"
    assert line["request_id"] == "-"


def test_a_failure_carries_its_traceback_inside_the_json_line(json_log):
    try:
        raise ValueError("bad row 7")
    except ValueError:
        logging.getLogger("core.imports").exception("Import failed")

    (line,) = json_log()
    assert "ValueError: bad row 7" in line["exc_info"]


def test_an_unknown_log_format_is_refused_by_name():
    with pytest.raises(ValueError, match="LOG_FORMAT must be json or text"):
        logging_config("xml", level="INFO", filters={})


def test_production_writes_json_lines_unless_told_otherwise():
    script = "import django, logging; django.setup(); logging.getLogger('probe').warning('hello')"
    env = {"PATH": os.environ["PATH"], **PROD_ENV, "DJANGO_SETTINGS_MODULE": "anchornet.settings.prod"}

    as_json = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    as_text = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, "LOG_FORMAT": "text"}, capture_output=True, text=True
    )

    assert as_json.returncode == 0, as_json.stderr
    probe = [json.loads(line) for line in as_json.stderr.splitlines() if '"probe"' in line]
    assert probe == [
        {"time": probe[0]["time"], "level": "WARNING", "logger": "probe", "message": "hello", "request_id": "-"}
    ]
    assert "WARNING probe [-] hello" in as_text.stderr
