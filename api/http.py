"""The HTTP side of the API: JSON answers (errors too), CORS open for reading, and conditional
GET (ETag and Last-Modified, answered with 304) so that harvesters poll cheaply."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .params import BadParameter

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Harvesters revalidate every time (ETag), so a change shows on the next poll.
CACHE_CONTROL = "public, no-cache"


class NotFound(Exception):
    """No public record has the id asked for; ``str()`` says which."""


@dataclass
class Answer:
    """What an API view returns: the JSON body and, where known, when what it shows last changed."""

    data: Any
    changed: Iterable[datetime.datetime | None] = ()


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _json(data: Any, status: int = HTTPStatus.OK) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(body.encode(), status=status, content_type="application/json")


def error(status: HTTPStatus, message: str, **extra: str) -> HttpResponse:
    """A JSON error: ``{"status": 400, "error": "Bad Request", "message": ..., **extra}``."""
    response = _json({"status": status.value, "error": status.phrase, "message": message, **extra}, status)
    return _cors(response)


def api_view(view: Callable[..., Answer]) -> Callable[..., HttpResponse]:
    """Wrap a view that returns an ``Answer``: only GET and HEAD (and the CORS preflight,
    OPTIONS) are allowed; ``BadParameter`` becomes a 400 and ``NotFound`` a 404, both JSON; a
    successful answer gets a strong ETag (a hash of the body) and, when the view says when its
    records changed, Last-Modified, and a matching If-None-Match (or, without one,
    If-Modified-Since) gets 304 Not Modified."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in READ_METHODS:
            response = error(HTTPStatus.METHOD_NOT_ALLOWED, "This API is read-only: use GET.")
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        if request.method == "OPTIONS":
            response = _cors(HttpResponse(status=HTTPStatus.NO_CONTENT))
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return response
        try:
            answer = view(request, *args, **kwargs)
        except BadParameter as problem:
            return error(HTTPStatus.BAD_REQUEST, str(problem), parameter=problem.parameter)
        except NotFound as problem:
            return error(HTTPStatus.NOT_FOUND, str(problem))
        response = _json(answer.data)
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        moments = [moment for moment in answer.changed if moment is not None]
        last_modified = int(max(moments).timestamp()) if moments else None
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = CACHE_CONTROL
        return _cors(get_conditional_response(request, etag=etag, last_modified=last_modified, response=response))

    return wrapper
