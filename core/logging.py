"""Log lines an operator can follow: each names the request it was written for, and production
writes them as JSON objects, one a line, for a log collector to parse.

``RequestIdMiddleware`` binds the request's id (``X-Request-ID``) for as long as the request
is handled; ``RequestIdFilter``, on the console handler, writes it into every record as
``request_id`` ("-" outside a request: the task worker, management commands).
"""

from __future__ import annotations

import contextvars
import logging

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# The fields of a JSON line, and the names they are written under.
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def bind_request_id(request_id: str) -> contextvars.Token:
    """Name ``request_id`` in every record logged from here on in this thread (or task), until
    ``unbind_request_id`` is given the token returned."""
    return _request_id.set(request_id)


def unbind_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to each record that has none: the id of the request being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def logging_config(log_format: str, *, level: str, filters: dict) -> dict:
    """Django's ``LOGGING`` for ``log_format``: ``"json"`` (a JSON object a line with ``time``,
    ``level``, ``logger``, ``message``, ``request_id`` and, for a failure, ``exc_info``) or
    ``"text"``; everything to stderr at ``level`` and above; ``filters`` added to the ones here.

    Raises:
        ValueError: ``log_format`` is neither ``"json"`` nor ``"text"``.
    """
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": JSON_NAMES,
        },
        "text": {"format": TEXT_FORMAT},
    }
    if log_format not in formatters:
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {**filters, "request_id": {"()": "core.logging.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": log_format}},
        "loggers": {"django.request": {"filters": ["database_outage"]}},
        "root": {"handlers": ["console"], "level": level},
    }
