"""Development settings: debug on, a throwaway secret, and a SQLite file unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env, env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", default=True)
# Only for a developer's machine: prod.py has no default and refuses to start without one.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-anchornet-development-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

# runserver serves files from the finders; no collectstatic needed while developing.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
