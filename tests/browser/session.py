"""Signing a browser in without the sign-in form, for tests about what comes after it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page


def sign_in(page_or_context: Page | BrowserContext, live_server, user) -> None:
    """Give the browser a session for ``user`` made by Django's test client (the sign-in
    form and its lockout have tests of their own)."""
    client = Client()
    client.force_login(user)
    context = page_or_context.context if isinstance(page_or_context, Page) else page_or_context
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
