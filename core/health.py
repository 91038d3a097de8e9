"""Health checks for the load balancer and the process supervisor.

- ``/healthz``: the process is up and answering (liveness). Touches nothing else, so a
  database outage never gets healthy workers restarted.
- ``/readyz``: the process can serve pages (readiness): the database answers, every migration
  the code knows is applied, and the cache answers. ``200`` when all hold, else ``503`` with
  ``Retry-After``; the body names each check ``ok`` or ``failing``, never the error itself (the
  log has it, with the request's id).

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``: a probe comes from the
load balancer by the machine's address, over plain HTTP, so it must not meet the host check
(``ALLOWED_HOSTS``) or the HTTPS redirect. Neither answer is ever cached.

django-health-check (4.x) was the library to hand; it has no migrations check, answers a
failure with 500 (which reads as a bug, not "not ready yet") and runs its checks through
asyncio, which a sync gunicorn worker would start for every probe. Three checks of a few lines
each are kept here instead.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
# Seconds a load balancer should wait before asking a process that is not ready again.
RETRY_AFTER_SECONDS = 10

# Once every migration is applied it stays so for the life of this process's code (a deploy
# restarts the workers), and reading the migration graph costs about 75 ms: checked until true.
_migrations_applied = False


def check_database() -> None:
    """Raises ``DatabaseError`` when the database does not answer a ``SELECT 1``."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    """Raises ``RuntimeError`` naming the first unapplied migration, if any (the site would fail
    on a missing table or column); ``DatabaseError`` when the database cannot say."""
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        migration, _backwards = plan[0]
        raise RuntimeError(f"{len(plan)} migration(s) not applied, first {migration.app_label}.{migration.name}")
    _migrations_applied = True


def check_cache() -> None:
    """Raises ``RuntimeError`` (or the backend's own error) when the default cache does not
    give back a value just stored (in production, the database cache shared by every worker:
    the public forms' rate limits count in it)."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back the value stored")
    finally:
        cache.delete(key)


def _passes(name: str, check: Callable[[], None]) -> bool:
    try:
        check()
    except Exception as error:  # whatever a backend raises, the answer is "not ready"
        logger.warning("Readiness check %s failing: %s: %s", name, type(error).__name__, str(error)[:200])
        return False
    return True


def readiness() -> dict[str, bool]:
    """``{"database": passed, "migrations": passed, "cache": passed}``. The migrations are
    not asked of a database that does not answer (they count as failing)."""
    database = _passes("database", check_database)
    return {
        "database": database,
        "migrations": database and _passes("migrations", check_migrations),
        "cache": _passes("cache", check_cache),
    }


def _json(body: dict, status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type="application/json", status=status)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers ``GET``/``HEAD`` on ``LIVENESS_PATH`` and ``READINESS_PATH`` before anything
    else runs (see the module's docstring); every other request passes through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info in (LIVENESS_PATH, READINESS_PATH) and request.method in ("GET", "HEAD"):
            if request.path_info == LIVENESS_PATH:
                return _json({"status": "up"}, 200)
            results = readiness()
            ready = all(results.values())
            response = _json(
                {
                    "status": "ready" if ready else "not ready",
                    "checks": {name: "ok" if passed else "failing" for name, passed in results.items()},
                },
                200 if ready else 503,
            )
            if not ready:
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return self.get_response(request)
