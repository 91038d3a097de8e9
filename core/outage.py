"""When the database goes away: answer 503 with a page that says nothing was saved, and log one
line per failed request instead of a traceback.

A request that fails because the database cannot be reached (PostgreSQL restarting, a network
cut, a connection the server dropped) raises ``django.db.OperationalError`` or
``InterfaceError``, wherever in the request it happens. Django turns any uncaught exception
into its 500 handler and logs it, with the full traceback, on ``django.request``. Here:

- ``server_error`` (``handler500``) answers those with ``503.html``, status 503 and
  ``Retry-After`` (RFC 9110 15.6.4), and every other error with ``500.html`` as before;
- ``DatabaseOutageFilter``, on the ``django.request`` logger, shortens the record of such a
  failure to one line with the request's id (``RequestIdMiddleware``): under load an outage
  would otherwise write a traceback per request.

Persistent connections are checked before reuse (``CONN_HEALTH_CHECKS``), so the first request
after the database comes back gets a fresh connection rather than a dead one.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

# Seconds a client should wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER_SECONDS = 30


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether ``exc`` means the database could not be reached or dropped the connection."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: 503 with ``Retry-After`` while the database is unreachable, else
    Django's own 500 view (``500.html``). Neither page touches the database."""
    if is_database_outage(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


class DatabaseOutageFilter(logging.Filter):
    """Shortens a ``django.request`` record of a database outage to one line: method, path,
    request id and the driver's first line of explanation, without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if is_database_outage(exc):
            request = getattr(record, "request", None)
            record.msg = "Database unavailable, answered 503: %s %s (request %s): %s"
            record.args = (
                getattr(request, "method", "-"),
                getattr(request, "path", "-"),
                getattr(request, "id", "-"),
                (str(exc).strip().splitlines() or [type(exc).__name__])[0],
            )
            record.exc_info = None
            record.exc_text = None
        return True
