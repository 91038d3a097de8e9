"""The browser harness works end to end: Chromium loads a page from the live server."""

from django.urls import reverse
from playwright.sync_api import Page, expect


def test_admin_login_page_shows_the_username_field(live_server, page: Page) -> None:
    page.goto(live_server.url + reverse("admin:login"))

    expect(page.get_by_label("Username")).to_be_visible()
