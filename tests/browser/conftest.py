"""Browser tests: Playwright drives Debian's Chromium against pytest-django's ``live_server``.

Chromium comes from the Debian package (``scripts/ensure-browser.sh``, run by ``make test``);
never run ``playwright install``, which downloads a browser of its own.
"""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser.quality import WEIGHTS, weight_table
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
)

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
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
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


@pytest.fixture
def editor(db):
    """A lead-anchor editor, ``alice``, in a small Kirklees: Kirklees › Batley and Spen ›
    Batley East; the area's lead anchor, Batley Community Trust, with alice as its editor; a
    published food pantry serving the ward."""
    from localities.models import LocalityKind
    from organisations.models import AnchorRoleKind, MembershipRole, NetworkStructure

    kirklees = DistrictFactory(name="Kirklees", slug="kirklees")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=kirklees)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area)
    network = NetworkFactory(
        name="Kirklees Community Anchor Network", district=kirklees, structure=NetworkStructure.TIERED
    )
    lead = AnchorRoleFactory(
        organisation__name="Batley Community Trust", network=network, role=AnchorRoleKind.LEAD_ANCHOR, locality=area
    )
    OrganisationFactory(name="Batley Pantry", slug="batley-pantry", localities=[ward])
    return MembershipFactory(user__username="alice", organisation=lead.organisation, role=MembershipRole.EDITOR).user


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """A live server of its own for one test module, over the demo data (``load_demo_data``:
    the real Leeds and Kirklees places and organisations and ~70 demo groups), loaded once.

    Why not ``live_server``: pytest-django gives every test that uses it ``transactional_db``,
    which empties the database after each test, so the demo data would be loaded again for
    every test. Here it is loaded and committed once per module, with the database unblocked
    for the whole module (the server thread reads it between tests too). The module ends as
    a ``serialized_rollback`` test does: it flushes the database and puts back what was there
    before (the rows the migrations made, such as the Officer and Councillor groups), so the
    tests that follow find the database as they expect.

    This works the same on both databases. On PostgreSQL the server thread has its own
    connection and sees the committed rows. On SQLite the test database lives in memory and
    pytest-django's ``LiveServer`` hands the server thread the test's own connection. Mark
    the tests ``django_db`` (not ``transaction=True``, whose flush after each test would
    remove the demo data): the mark makes pytest-django create the test database even when
    only this module runs, and a test wrapped in a transaction that is rolled back leaves the
    committed data alone (the pages only read it).
    """
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        call_command("load_demo_data", verbosity=0)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.thread.terminate()
            # Let the server's request threads finish closing their keep-alive connections
            # before SQLite's shared connection stops being shareable (server.stop()).
            for thread in threading.enumerate():
                if thread.name.endswith("(process_request_thread)"):
                    thread.join(timeout=5)
            server.stop()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            # The rows come back with their old ids; move PostgreSQL's sequences past them, or
            # the next insert (e.g. a Group) collides with a restored id.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(statement)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the page-weight table (test_page_quality.py's ``test_page_weight``) after the run,
    with or without ``-s``, so a change in what each page costs shows in every ``make test``."""
    weights = config.stash.get(WEIGHTS, [])
    if not weights:
        return
    terminalreporter.write_sep("=", "page weight: bytes a first-time visitor downloads")
    for line in weight_table(weights):
        terminalreporter.write_line(line)
    terminalreporter.write_line(
        "raw: as the test server sends them; gzip-9: every body gzipped at level 9; served: as "
        "production sends them (static files gzip-9 by WhiteNoise, HTML uncompressed)."
    )
