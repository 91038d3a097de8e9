"""Browser tests: Playwright drives Debian's Chromium against pytest-django's ``live_server``.

Chromium comes from the Debian package (``scripts/ensure-browser.sh``, run by ``make test``);
never run ``playwright install``, which downloads a browser of its own.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls while one runs (SynchronousOnlyOperation). Set at import, so it holds for the session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# Root needs --no-sandbox; the network flags stop Chromium calling Google's services, which this
# closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser ``browser``, so ``-m "not browser"`` leaves them out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run. Missing Chromium fails in CI, skips elsewhere."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: run scripts/ensure-browser.sh (Debian package chromium)"
        if _in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no cookies shared between tests), 1280x900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # A missing element fails in 10 s rather than Playwright's default 30 s.
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
