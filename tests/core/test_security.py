"""Security headers, cookies, the client address behind a proxy, and rich-text sanitising."""

import os
import re
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.safestring import SafeString

from core.middleware import client_ip_address, is_admin_path
from core.text import sanitise_html
from tests.core.test_settings import PROD_ENV as SETTINGS_PROD_ENV

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ONE_YEAR = 60 * 60 * 24 * 365


def csp_directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def production_like(settings):
    """The security settings prod.py adds on top of base.py (TLS comes from the proxy)."""
    settings.SECURE_HSTS_SECONDS = ONE_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    return settings


PAGES = {
    "home page": (lambda: reverse("portal:home"), HTTPStatus.OK),
    "directory": (lambda: reverse("organisations:directory") + "?q=food", HTTPStatus.OK),
    "admin sign-in": (lambda: reverse("admin:login"), HTTPStatus.OK),
    "missing page": (lambda: "/no-such-page/", HTTPStatus.NOT_FOUND),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_sends_the_security_headers(client, production_like, page):
    url, status = PAGES[page]
    response = client.get(url(), secure=True)

    assert response.status_code == status
    assert response.headers["Strict-Transport-Security"] == (f"max-age={ONE_YEAR}; includeSubDomains; preload")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment"):
        assert f"{feature}=()" in permissions

    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"].replace(
        "style-src-attr 'unsafe-inline'", ""
    ), "only the admin's style attributes may be inline"
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("page", ["home page", "directory", "missing page"])
def test_public_pages_allow_no_inline_style_or_script_at_all(client, page):
    url, _status = PAGES[page]
    header = client.get(url()).headers["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "style-src-attr" not in header
    assert "script-src-attr" not in header


def test_the_admin_allows_inline_style_attributes_but_never_inline_script(admin_client):
    csp = csp_directives(admin_client.get(reverse("admin:index")))

    assert csp["style-src-attr"] == ["'unsafe-inline'"]
    assert csp["style-src"] == ["'self'"]  # <style> elements stay blocked
    assert csp["script-src"] == ["'self'"]
    assert "script-src-attr" not in csp


def test_hsts_is_sent_only_over_https(client, production_like):
    production_like.SECURE_SSL_REDIRECT = False

    response = client.get(reverse("portal:home"))

    assert "Strict-Transport-Security" not in response.headers


def test_plain_http_is_redirected_to_https(client, production_like):
    response = client.get(reverse("portal:home"))

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["Location"].startswith("https://")


def test_the_csrf_cookie_is_host_only_secure_http_only_and_same_site(client, production_like):
    response = client.get(reverse("admin:login"), secure=True)

    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]  # the __Host- prefix forbids a Domain


def test_a_session_ends_with_the_browser_and_after_a_working_day(client, django_user_model, settings):
    django_user_model.objects.create_user("officer", password="a-long-test-password", is_staff=True)

    response = client.post(reverse("admin:login"), {"username": "officer", "password": "a-long-test-password"})

    assert response.status_code == HTTPStatus.FOUND
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 60 * 60
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"]  # a browser-session cookie: gone when the browser closes
    assert not cookie["expires"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("path", "admin_url", "expected"),
    [
        ("/admin/", "admin/", True),
        ("/admin/organisations/organisation/add/", "admin/", True),
        ("/administration/", "admin/", False),
        ("/directory/", "admin/", False),
        ("/office-admin/login/", "office-admin/", True),
        ("/admin/", "office-admin/", False),
    ],
)
def test_the_admin_csp_follows_admin_url(settings, path, admin_url, expected):
    settings.ADMIN_URL = admin_url

    assert is_admin_path(RequestFactory().get(path)) is expected


# The client's address as django-axes sees it: (proxies, REMOTE_ADDR, X-Forwarded-For, expected).
CLIENT_ADDRESSES = [
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy: the header is ignored
    (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
    (1, "10.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # a forged entry on the left
    (2, "10.0.0.1", "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
    (2, "10.0.0.1", "203.0.113.5", "10.0.0.1"),  # did not come through both proxies
    (1, "10.0.0.1", "", "10.0.0.1"),
    (1, "10.0.0.1", None, "10.0.0.1"),
    (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
    (1, "10.0.0.1", "2001:db8::1", "2001:db8::1"),
]


@pytest.mark.parametrize(("proxies", "remote_addr", "forwarded", "expected"), CLIENT_ADDRESSES)
def test_the_client_address_is_read_from_the_trusted_end_of_x_forwarded_for(
    settings, proxies, remote_addr, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip_address(RequestFactory().get("/", **headers)) == expected


def run_settings(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    """Import ``module`` in a clean interpreter with exactly ``env`` and print ``expression``."""
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print({expression})"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )


# The production settings' required environment, as tests/core/test_settings.py gives it.
PROD_ENV = SETTINGS_PROD_ENV


def test_lockout_and_session_settings_have_safe_defaults():
    result = run_settings(
        "anchornet.settings.prod",
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_LOCKOUT_PARAMETERS,"
        " s.AXES_RESET_ON_SUCCESS, s.TRUSTED_PROXY_COUNT, s.SESSION_COOKIE_AGE,"
        " s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME",
        **PROD_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "5 3600.0 [['username', 'ip_address']] True 0 28800 __Host-sessionid __Host-csrftoken"
    )


def test_lockout_and_session_settings_come_from_the_environment():
    result = run_settings(
        "anchornet.settings.prod",
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.TRUSTED_PROXY_COUNT, s.SESSION_COOKIE_AGE",
        **PROD_ENV,
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
        TRUSTED_PROXY_COUNT="1",
        SESSION_COOKIE_AGE="3600",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "1800.0", "1", "3600"]


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "anchornet.settings.prod",
            **PROD_ENV,
            "SECRET_KEY": "a-production-like-secret-key-" + "k7#Qz!" * 8,
            "ACCESSIBILITY_CONTACT_EMAIL": "accessibility@example.org",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --------------------------------------------------------------------------------------------
# Rich text
# --------------------------------------------------------------------------------------------
SANITISED = [
    (
        "<p>Hot <strong>lunch</strong> on <em>Wednesdays</em></p>",
        "<p>Hot <strong>lunch</strong> on <em>Wednesdays</em></p>",
    ),
    (
        "<ul><li>Food</li></ul><ol><li>Warmth</li></ol>Line<br>break",
        "<ul><li>Food</li></ul><ol><li>Warmth</li></ol>Line<br>break",
    ),
    ("<script>alert(1)</script>Hello", "Hello"),
    ("<style>body { display: none }</style>Hello", "Hello"),
    ('<img src="x" onerror="alert(1)">Hello', "Hello"),
    ('<p onclick="alert(1)" style="color: red" class="x">Hello</p>', "<p>Hello</p>"),
    ('<a href="javascript:alert(1)">Click</a>', '<a rel="noopener noreferrer">Click</a>'),
    ('<a href="data:text/html,hi">Click</a>', '<a rel="noopener noreferrer">Click</a>'),
    (
        '<a href="https://example.org/" target="_blank" rel="opener">Site</a>',
        '<a href="https://example.org/" rel="noopener noreferrer">Site</a>',
    ),
    (
        '<a href="mailto:hello@example.org">Email</a>',
        '<a href="mailto:hello@example.org" rel="noopener noreferrer">Email</a>',
    ),
    ('<iframe src="https://example.org"></iframe><h1>Big</h1>', "Big"),
    ("Fish & chips <3", "Fish &amp; chips &lt;3"),
    ("", ""),
]


@pytest.mark.parametrize(("dirty", "clean"), SANITISED)
def test_rich_text_keeps_only_the_allowed_markup(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_sanitised_rich_text_is_marked_safe_so_templates_need_no_safe_filter():
    assert isinstance(sanitise_html("<p>Hi</p>"), SafeString)


# --------------------------------------------------------------------------------------------
# Templates: nothing inline for the CSP to block, nothing user-written marked safe
# --------------------------------------------------------------------------------------------
TEMPLATES = sorted(
    path
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    if ".venv" not in folder.parts
    for path in folder.rglob("*.html")
)
# A <script> without src, an onclick="..." style handler, or a javascript: URL in an attribute.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|=\s*[\"']?\s*javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
MARKED_SAFE = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style_and_mark_nothing_safe(template):
    text = template.read_text(encoding="utf-8")

    assert not INLINE_SCRIPT.search(text), "inline script: the CSP blocks it; use a static file"
    assert not INLINE_STYLE.search(text), "inline style: the CSP blocks it; use a CSS class"
    assert not MARKED_SAFE.search(text), "|safe or autoescape off: use core.text.sanitise_html"
