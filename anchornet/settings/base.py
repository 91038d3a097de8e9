"""Settings shared by every environment.

Every value that differs between machines comes from the environment (12-factor):

- ``SECRET_KEY``: required; only the dev and test settings supply a throwaway one.
- ``DEBUG``: ``1``/``true``/``yes`` to turn on; off by default.
- ``DATABASE_URL``: a dj-database-url URL, e.g. ``postgres://user@host:5432/anchornet``;
  the dev and test settings fall back to a SQLite file.
- ``ALLOWED_HOSTS``: comma-separated host names.
- ``ADMIN_URL``: path of the officers' admin, default ``admin/``.
- ``SESSION_COOKIE_AGE``, ``AXES_*``: sign-in sessions and lockout (see "Authentication").
- ``SITE_URL``, ``DEFAULT_FROM_EMAIL``, ``EMAIL_*``: email and the links in it (see "Email and
  background tasks"); production requires them.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    """Read an environment variable; unset and empty (``NAME=``) both mean ``default``."""
    return os.environ.get(name, "").strip() or default


def env_int(name: str, default: int) -> int:
    """Read a whole number; unset or empty means ``default``.

    Raises:
        ImproperlyConfigured: the value is not a whole number.
    """
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (``1``, ``true``, ``yes``, ``on`` mean yes); unset or
    empty means ``default``."""
    value = env_str(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty, stripped items;
    unset or empty means ``default``."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    """Read an environment variable that has no safe default.

    Raises:
        ImproperlyConfigured: the variable is unset or empty, so the app stops at start
        rather than running with a guessable secret or the wrong database.
    """
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
ROOT_URLCONF = "anchornet.urls"
WSGI_APPLICATION = "anchornet.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must be a path such as office-admin/, not the site root.")

# ------------------------------------------------------------------------------
# Apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # /sitemap.xml (portal.seo): the view and its template.
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    # Officers' CSV and XLSX exports from the admin (see core.admin.ExportableAdminMixin).
    "import_export",
    # Locks out repeated failed sign-ins (see "Authentication").
    "axes",
    # Content-Security-Policy header (see "Security"); the app adds django-csp's system checks.
    "csp",
    # Background tasks (emails), queued in the database and run by `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    "core",
    "localities",
    "organisations",
    "plans",
    "meetings",
    "engagement",
    "voices",
    "portal",
    "api",
]

MIDDLEWARE = [
    # First: the load balancer's probes (/healthz, /readyz) come by the machine's address over
    # plain HTTP, so they are answered before the host check and the HTTPS redirect (core.health).
    "core.health.HealthCheckMiddleware",
    # Then every response, error pages included, carries the request's id.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's middleware, relaxed for the admin only (see "Security").
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the audit history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
# Subclasses set DATABASE_URL_DEFAULT where an embedded SQLite file is acceptable.
DATABASE_URL_DEFAULT: str | None = None


def database_from_env(default: str | None) -> dict:
    """Build ``DATABASES['default']`` from ``DATABASE_URL``, or ``default`` where one is allowed."""
    url = env_str("DATABASE_URL") or default
    if not url:
        raise ImproperlyConfigured("Set the DATABASE_URL environment variable.")
    # Health checks: a kept connection is tested before reuse, so the first request after the
    # database restarts gets a fresh one instead of a server error (core.outage).
    database = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles any query its planner costs above jit_above_cost, which
        # the dashboard's per-group subqueries always are: 3.3 s of compiling to save
        # milliseconds of running (measured with bench/dashboard.py). Our queries are many and
        # short, the workload JIT does not pay for; PGOPTIONS can still override it.
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    return database


# ------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "portal:home"
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username from one IP
# address, that pair is refused, even with the right password, until AXES_COOLOFF_MINUTES pass
# without another attempt. Locking the pair rather than the username alone stops a stranger
# locking an officer out everywhere; rather than the address alone, a shared office address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address. TRUSTED_PROXY_COUNT is
# the number of proxies in front of the app that each append to X-Forwarded-For (usually 1);
# the client's address is then read that many entries from the right of the header, where a
# client cannot forge it. 0 (the default) uses REMOTE_ADDR and ignores the header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip_address"

# Sessions: a signed-in officer is signed out after SESSION_COOKIE_AGE seconds (default a
# working day) or when the browser closes, whichever comes first.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# ------------------------------------------------------------------------------
# Internationalisation: UK English, London time
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static files
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Forms
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# ------------------------------------------------------------------------------
# Security defaults that hold everywhere
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script or
# style anywhere on the public site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Pages under ADMIN_URL only: these directives replace the ones of the same name above (see
# core.middleware.ContentSecurityPolicyMiddleware). django-simple-history's history page writes
# a style attribute (style="border-top: 0"), so the admin allows inline style *attributes*;
# <style> elements and every inline script stay blocked there too.
CONTENT_SECURITY_POLICY_ADMIN = {"style-src-attr": [UNSAFE_INLINE]}
# Browser features no page of ours uses, switched off for every page (Permissions-Policy header).
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"

# ------------------------------------------------------------------------------
# Logging: everything to stderr, where gunicorn and systemd collect it
# ------------------------------------------------------------------------------
# A database outage is one line per failed request, not a traceback (core.outage).
LOGGING_FILTERS = {"database_outage": {"()": "core.outage.DatabaseOutageFilter"}}
# Every line names its request (core.logging); LOG_FORMAT=json writes JSON lines (prod's default).
LOGGING = logging_config(env_str("LOG_FORMAT", "text"), level=env_str("LOG_LEVEL", "INFO"), filters=LOGGING_FILTERS)

# ------------------------------------------------------------------------------
# Email and background tasks
# ------------------------------------------------------------------------------
# Emails are sent from background tasks (django-tasks), queued in the database and run by a
# second process, `manage.py db_worker` (`make run` starts one beside the web server). The
# test settings run each task at once instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Development prints emails to the console; prod.py sends them by SMTP.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AnchorNet <noreply@anchornet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as people reach it, without a trailing slash: emails link back to it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# ------------------------------------------------------------------------------
# AnchorNet
# ------------------------------------------------------------------------------
SITE_NAME = env_str("SITE_NAME", "AnchorNet")
# Where residents report accessibility problems (shown in the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL")
# Where people ask about their personal data (privacy notice): the council's data protection
# officer or information governance team.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL")
DIRECTORY_PAGE_SIZE = 20
# The network's activity (engagement.selectors): an engagement older than this no longer counts
# towards a group's outreach status, and a group nothing in the log has involved for this long
# is quiet.
ENGAGEMENT_LAPSE_DAYS = env_int("ENGAGEMENT_LAPSE_DAYS", 365)
QUIET_AFTER_DAYS = env_int("QUIET_AFTER_DAYS", 180)
# Requests for support (engagement.models.SupportRequest): working days an anchor has to
# acknowledge one (weekends and England's bank holidays excluded), and how many one internet
# address may send in an hour before the form refuses more.
SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS = env_int("SUPPORT_REQUEST_ACKNOWLEDGE_WORKING_DAYS", 10)
SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR = env_int("SUPPORT_REQUEST_RATE_LIMIT_PER_HOUR", 5)
# Days a closed request keeps its requester's contact details before the daily job erases them
# (engagement.privacy); the privacy notice states it. Set it from the council's retention schedule.
SUPPORT_REQUEST_RETENTION_DAYS = env_int("SUPPORT_REQUEST_RETENTION_DAYS", 365)
# Days a decided "Add your group" submission keeps its sender's contact details before the same
# daily job erases them (organisations.privacy); the privacy notice states it.
GROUP_SUBMISSION_RETENTION_DAYS = env_int("GROUP_SUBMISSION_RETENTION_DAYS", 365)
# Residents' voices (voices.models.Voice): days after a voice is heard before the same daily job
# erases the contact details the resident gave (voices.privacy); its text, place, themes and
# status stay, so the counts do not change. The privacy notice states it.
VOICE_RETENTION_DAYS = env_int("VOICE_RETENTION_DAYS", 365)
# Voices one internet address may send through "Tell us what matters here" in an hour.
VOICE_RATE_LIMIT_PER_HOUR = env_int("VOICE_RATE_LIMIT_PER_HOUR", 5)
