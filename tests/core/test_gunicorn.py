"""gunicorn.conf.py: what production runs with, and what the environment may change."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_config(**env: str) -> dict[str, str]:
    """The settings gunicorn would run with from the project's directory, as it prints them."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "anchornet.wsgi"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "anchornet.settings.test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


def test_gunicorn_reads_the_projects_file_with_a_worker_count_from_the_cores():
    config = gunicorn_config()

    assert config["workers"] == str((os.cpu_count() or 1) * 2 + 1)
    assert config["timeout"] == "60"
    assert config["graceful_timeout"] == "30"
    assert config["preload_app"] == "False"
    assert config["max_requests"] == "2000"
    assert config["max_requests_jitter"] == "200"
    assert "request_id=%({x-request-id}o)s" in config["access_log_format"]


def test_the_environment_sets_workers_timeout_and_address():
    config = gunicorn_config(WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45", GUNICORN_BIND="unix:/run/anchornet.sock")

    assert config["workers"] == "3"
    assert config["timeout"] == "45"
    assert config["bind"] == "['unix:/run/anchornet.sock']"
