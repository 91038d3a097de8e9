"""Production settings: every secret and address from the environment, no defaults.

A missing ``SECRET_KEY``, ``DATABASE_URL``, ``ALLOWED_HOSTS``, ``SITE_URL``, ``EMAIL_HOST`` or
``DEFAULT_FROM_EMAIL`` stops the app at start.
"""

from django.core.exceptions import ImproperlyConfigured

from core.logging import logging_config

from .base import *  # noqa: F403
from .base import LOGGING_FILTERS, database_from_env, env_bool, env_int, env_list, env_required, env_str

SECRET_KEY = env_required("SECRET_KEY")
DATABASES = {"default": database_from_env(None)}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the portal's host names, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only makes the site eligible; nothing is preloaded until someone
# submits the domain to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes browsers refuse these cookies unless they are Secure, for Path=/ and
# without a Domain, so a sibling subdomain cannot set or overwrite them. It holds only while
# SESSION_COOKIE_DOMAIN / CSRF_COOKIE_DOMAIN stay unset and the paths stay "/" (the defaults).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# One cache for every worker process and machine, in the database they already share: the
# public forms' rate limits count an address's sends across all of them (a memory cache per
# process would multiply each limit by the number of workers). core/migrations/0003 makes the
# table, so `migrate` is the only deployment step.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "anchornet_cache"}}

# Email by SMTP (Django's backend): the relay and who the emails come from have no default.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_required("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_required("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails must reach the live site, never the development default.
SITE_URL = env_required("SITE_URL").rstrip("/")

# One JSON object a line, each naming its request, for the log collector (LOG_FORMAT=text for
# plain lines).
LOGGING = logging_config(env_str("LOG_FORMAT", "json"), level=env_str("LOG_LEVEL", "INFO"), filters=LOGGING_FILTERS)
