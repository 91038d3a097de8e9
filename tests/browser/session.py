"""Signing a browser in without the sign-in form, for tests about what comes after it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page


def session_cookie(base_url: str, user) -> dict[str, str]:
    """A signed-in session for ``user``, made by Django's test client, as a cookie for the
    browser at ``base_url`` (the sign-in form and its lockout have tests of their own)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def sign_in(page_or_context: Page | BrowserContext, live_server, user) -> None:
    """Give the browser a session for ``user`` (see ``session_cookie``)."""
    context = page_or_context.context if isinstance(page_or_context, Page) else page_or_context
    context.add_cookies([session_cookie(live_server.url, user)])
