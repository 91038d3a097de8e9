"""Production settings: every secret and address from the environment, no defaults.

A missing ``SECRET_KEY``, ``DATABASE_URL`` or ``ALLOWED_HOSTS`` stops the app at start.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_env, env_bool, env_int, env_list, env_required

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
