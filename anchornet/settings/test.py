"""Test settings: fast and isolated. PostgreSQL when DATABASE_URL is set (as in CI), else SQLite."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, LOGGING_FILTERS, database_from_env

DEBUG = False
SECRET_KEY = "anchornet-tests-only"  # never used outside the test run
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'test.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client builds the middleware afresh for every client, and WhiteNoise's would read
# every file under STATIC_ROOT each time (once `collectstatic` has filled it: ~0.05 s a
# client, a tenth of the suite). Autorefresh finds a static file when it is asked for instead.
WHITENOISE_AUTOREFRESH = True
# Tasks run as they are enqueued (on commit), so tests read django.core.mail.outbox at once;
# tests/core/test_notifications.py runs the database backend and its worker as production does.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SITE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": LOGGING_FILTERS,
    "loggers": {"django.request": {"filters": ["database_outage"]}},
    "root": {"level": "WARNING"},
}
os.environ.setdefault("ANCHORNET_TESTING", "1")

# django-axes needs the request to authenticate, and the test client's login() passes none, so
# its backend would raise AxesBackendRequestParameterRequired. Lockout is off for the suite and
# tests/core/test_lockout.py turns it on with the ``settings`` fixture; force_login() and
# pytest-django's admin_client never call authenticate(), so they work either way.
AXES_ENABLED = False
