"""Request middleware: an id for every request, refusing input no database can store, the
security headers Django itself does not send, and the client's address."""

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponseBase
from django.urls import get_resolver

from .logging import bind_request_id, unbind_request_id

logger = logging.getLogger(__name__)

# A request id a proxy may pass in X-Request-ID: letters, digits, dashes, at most 64.
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


class RequestIdMiddleware:
    """Give every request an id (``request.id``): the proxy's ``X-Request-ID`` when it sends a
    sane one, otherwise a new UUID. It is sent back in ``X-Request-ID`` and named in every log
    line written while the request is handled (``core.logging``), so an officer's report can be
    matched with the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = bind_request_id(request.id)
        try:
            response = self.get_response(request)
        finally:
            unbind_request_id(token)
        response.headers.setdefault("X-Request-ID", request.id)
        return response


class NullCharacterMiddleware:
    """Answer 400 to a query string or form carrying a NUL character (``%00``).

    No browser sends one from a form, and no text column can store one: PostgreSQL refuses it
    with an error, so it would surface as a server error in whichever view (a search box, an
    admin filter) passed it on. Refused once here, every view is spared."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            # Answered here by the site's 400 handler, not raised: Django logs a raised
            # BadRequest with its traceback, a page of log for a request anyone can send.
            logger.warning("Refused a request with a NUL character: %s %r", request.method, request.path_info[:200])
            handler = get_resolver().resolve_error_handler(400)
            return handler(request, BadRequest("A NUL character is not allowed in a request."))
        return self.get_response(request)


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with a looser policy for the officers' admin only.

    Every page gets ``CONTENT_SECURITY_POLICY``. Pages under ``ADMIN_URL`` get the
    ``CONTENT_SECURITY_POLICY_ADMIN`` directives in place of the ones of the same name, as
    django-csp's ``csp_replace`` decorator does for one view: the admin is many views, some of
    them from packages (django-simple-history's history page writes a ``style`` attribute, which
    a strict policy blocks and reports). The public site keeps the strict policy, and no page,
    admin included, may run an inline script.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_directives = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if admin_directives and not report_only and is_admin_path(request):
            # A view's own csp_replace still wins over the admin-wide replacement.
            parts.replace = {**admin_directives, **(parts.replace or {})}
        return parts


def is_admin_path(request: HttpRequest) -> bool:
    """Whether ``request`` is for a page of the admin site (mounted at ``ADMIN_URL``)."""
    return request.path_info.startswith(f"/{settings.ADMIN_URL}")


class PermissionsPolicyMiddleware:
    """Send ``PERMISSIONS_POLICY`` as the ``Permissions-Policy`` header on every response.

    It switches off browser features (camera, location...) that no page of ours uses, so a
    script that got in some other way cannot ask for them either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a request came from, for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    With ``TRUSTED_PROXY_COUNT`` proxies in front of the app, each appending the address it
    received the request from to ``X-Forwarded-For``, the client's address is the
    ``TRUSTED_PROXY_COUNT``-th entry from the right: entries further left come from the client
    and could be anything. Without proxies, or when the header is shorter than that (the request
    did not come through them) or holds no valid address there, it is ``REMOTE_ADDR``.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote_addr
