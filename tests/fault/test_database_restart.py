"""Fault test: PostgreSQL restarts while the portal is under load.

The portal runs as in production (gunicorn, the production settings, persistent connections)
against a PostgreSQL cluster of its own, while readers ask for public pages and an editor saves
a profile again and again. Mid-run the database stops for a few seconds and starts again. The
portal must answer 503 (with Retry-After) while it is down, no 500 at any time, log no
traceback, and every save it confirmed must be in the database afterwards.

Needs PostgreSQL's server binaries (as ``make test-postgres`` and CI do); takes about a minute.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
THROWAWAY = ROOT / "scripts" / "postgres-throwaway.sh"
PG_PORT = "54391"
OUTAGE_SECONDS = 6

pytestmark = pytest.mark.skipif(
    not any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")) and shutil.which("pg_ctl") is None,
    reason="needs PostgreSQL's server binaries (Debian package postgresql)",
)

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from organisations.models import Membership, MembershipRole, Organisation

user = get_user_model().objects.create_user("fault-editor", password="unused-in-this-test")
organisation = Organisation.objects.create(name="Fault Test Group", slug="fault-test-group")
Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.EDITOR)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""

COUNT_WRITES = """
from organisations.models import Organisation
print("\\n".join(Organisation.history.filter(slug="fault-test-group").values_list("description", flat=True)))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Portal:
    """The portal under gunicorn, and a client that speaks to it as a browser behind a TLS proxy
    would (``X-Forwarded-Proto: https``, so the production settings' secure cookies apply)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.host = f"localhost:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "anchornet.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/accessibility/")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")

    def request(self, method: str, path: str, *, body: str = "", cookies: dict[str, str] | None = None, host: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        host = host or self.host
        headers = {"Host": host, "X-Forwarded-Proto": "https", "Referer": f"https://{host}{path}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        connection.close()
        return response, content

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path):
    directory = Path(tempfile.mkdtemp(prefix="anchornet-fault-pg-"))
    env = {**os.environ, "PGPORT_THROWAWAY": PG_PORT}
    url = subprocess.run(
        ["bash", str(THROWAWAY), "start", str(directory)], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()

    def pg_ctl(action: str) -> None:
        command = f"pg_ctl -D '{directory}/data' -m fast -w {action}"
        if action == "start":
            command = (
                f"pg_ctl -D '{directory}/data' -o \"-k '{directory}' -p {PG_PORT} -c listen_addresses=''\" "
                f"-l '{directory}/server.log' -w start"
            )
        bins = ":".join(str(p) for p in Path("/usr/lib/postgresql").glob("*/bin"))
        wrapped = f'PATH="$PATH:{bins}"; {command}'
        as_owner = (
            ["su", "postgres", "-s", "/bin/bash", "-c", wrapped] if os.geteuid() == 0 else ["bash", "-c", wrapped]
        )
        subprocess.run(as_owner, check=True, capture_output=True)

    yield url, pg_ctl
    subprocess.run(["bash", str(THROWAWAY), "stop", str(directory)], env=env, capture_output=True)
    shutil.rmtree(directory, ignore_errors=True)


def test_a_database_restart_under_load_answers_503_then_recovers_and_loses_no_confirmed_write(cluster, tmp_path):
    url, pg_ctl = cluster
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anchornet.settings.prod",
        "DATABASE_URL": url,
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "http://localhost",
        # Production refuses to start without a mail relay; nothing here sends mail.
        "EMAIL_HOST": "smtp.example.org",
        "DEFAULT_FROM_EMAIL": "noreply@example.org",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "INFO",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    session = (
        subprocess.run([*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    # The production storage serves hashed names from a manifest, which collectstatic writes.
    subprocess.run([*manage, "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)

    portal = Portal(env, tmp_path / "gunicorn.log")
    statuses: dict[str, Counter] = {"before": Counter(), "outage": Counter(), "after": Counter()}
    phase = ["before"]
    confirmed: list[str] = []
    stop = threading.Event()
    cookies = {"__Host-sessionid": session}

    def reader() -> None:
        while not stop.is_set():
            for path in ("/", "/directory/", "/directory/?q=group", "/areas/", "/plans/"):
                try:
                    response, _ = portal.request("GET", path)
                except OSError:
                    statuses[phase[0]]["no answer"] += 1
                    continue
                statuses[phase[0]][response.status] += 1
                if response.status == 503:
                    assert response.getheader("Retry-After")

    def writer() -> None:
        number = 0
        while not stop.is_set():
            try:
                response, page = portal.request("GET", "/organisations/fault-test-group/edit/", cookies=cookies)
                statuses[phase[0]][response.status] += 1
                if response.status != 200:
                    time.sleep(0.1)
                    continue
                csrf_cookie = re.search(r"__Host-csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                version = re.search(r'name="loaded_version" value="([^"]+)"', page)
                if csrf_cookie:
                    cookies["__Host-csrftoken"] = csrf_cookie.group(1)
                number += 1
                description = f"write-{number}"
                body = urlencode(
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        "loaded_version": version.group(1),
                        "name": "Fault Test Group",
                        "kind": "community_group",
                        "description": description,
                    }
                )
                response, _ = portal.request(
                    "POST", "/organisations/fault-test-group/edit/", body=body, cookies=cookies
                )
                statuses[phase[0]][response.status] += 1
                if response.status == 302:
                    confirmed.append(description)
            except OSError:
                statuses[phase[0]]["no answer"] += 1

    probes: dict[str, Counter] = {phase_name: Counter() for phase_name in statuses}

    def prober() -> None:
        # The load balancer's probes, by the machine's address (not in ALLOWED_HOSTS).
        while not stop.is_set():
            for path in ("/healthz", "/readyz"):
                try:
                    response, _ = portal.request("GET", path, host="10.0.0.7")
                except OSError:
                    probes[phase[0]][(path, "no answer")] += 1
                    continue
                probes[phase[0]][(path, response.status)] += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [
        threading.Thread(target=writer),
        threading.Thread(target=prober),
    ]
    try:
        for thread in threads:
            thread.start()
        time.sleep(4)
        phase[0] = "outage"
        pg_ctl("stop")
        time.sleep(OUTAGE_SECONDS)
        pg_ctl("start")
        phase[0] = "after"
        time.sleep(6)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        portal.stop()

    print({name: dict(counts) for name, counts in statuses.items()}, f"{len(confirmed)} confirmed writes")
    print({name: dict(counts) for name, counts in probes.items()})
    # Alive throughout, so the supervisor restarts nothing; not ready while the database is
    # away, so the load balancer can route around it; ready again once it is back.
    for name, counts in probes.items():
        assert {key for key in counts if key[0] == "/healthz"} == {("/healthz", 200)}, f"{name}: {dict(counts)}"
    assert probes["before"][("/readyz", 200)] > 0
    assert probes["outage"][("/readyz", 503)] > 0, dict(probes["outage"])
    assert probes["after"][("/readyz", 200)] > 0, dict(probes["after"])
    log = (tmp_path / "gunicorn.log").read_text()
    assert statuses["before"][200] > 0
    assert statuses["after"][200] > 0
    assert statuses["outage"][503] > 0, statuses
    for name, counts in statuses.items():
        assert counts[500] == 0, f"{name}: {dict(counts)}"
    assert "Traceback" not in log, log[-3000:]
    assert "Database unavailable, answered 503" in log
    # Production's JSON lines: the outage's lines name the request they answered.
    outage_lines = [json.loads(line) for line in log.splitlines() if "Database unavailable" in line]
    assert outage_lines
    assert all(len(line["request_id"]) == 32 for line in outage_lines), outage_lines[:3]
    # gunicorn's access lines name the same id.
    assert re.search(r'"GET /healthz HTTP/1.1" 200 .* request_id=[0-9a-f]{32}', log)
    stored = set(
        subprocess.run(
            [*manage, "shell", "-c", COUNT_WRITES], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert confirmed, "no write was confirmed"
    assert set(confirmed) <= stored, set(confirmed) - stored
