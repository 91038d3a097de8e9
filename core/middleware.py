"""Security middleware: the headers Django itself does not send, and the client's address."""

import ipaddress
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


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
