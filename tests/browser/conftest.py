"""Browser tests: Playwright drives Debian's Chromium against pytest-django's ``live_server``.

Chromium comes from the Debian package (``scripts/ensure-browser.sh``, run by ``make test``);
never run ``playwright install``, which downloads a browser of its own.
"""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

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


class DemoData:
    """The demo data in this process's test database (each pytest-xdist worker has its own).

    ``load_demo_data`` is the slowest step of the browser tests, so the data is loaded once and
    kept for as long as the tests that run next use ``demo_server``: consecutive demo modules
    share one load (under ``-n``, ``tests/conftest.py`` keeps each group of browser tests on one
    worker).
    Before any other test runs, and at the end of the session, it is removed as a
    ``serialized_rollback`` test does: the database is flushed and the rows the migrations made
    (such as the Officer and Councillor groups) are put back, so the tests that follow find the
    database as they expect. The demo modules only read the data: their tests run in
    transactions that are rolled back, and a module fixture that commits a change must undo it
    or call ``changed()``, so that the data is loaded afresh for the next module.
    """

    def __init__(self) -> None:
        self.loaded = False
        self.is_changed = False

    def changed(self) -> None:
        """A module committed changes to the demo data: remove it when that module ends."""
        self.is_changed = True

    def load(self) -> None:
        if not self.loaded:
            self.loaded = True  # set first, so that a load that fails part-way is cleaned up
            call_command("load_demo_data", verbosity=0)

    def unload(self, migrated_rows) -> None:
        if self.loaded:
            migrated_rows.restore()
            self.loaded = False
            self.is_changed = False


DEMO_DATA = DemoData()
# The test that runs after the one being torn down (None at the end of the run), so that
# ``demo_server`` knows whether to keep the demo data for it.
_NEXT_ITEM: dict[str, pytest.Item | None] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    _NEXT_ITEM["next"] = nextitem
    try:
        return (yield)
    finally:
        _NEXT_ITEM.clear()


@pytest.fixture(scope="module")
def demo_data_changed(demo_server) -> None:
    """For a module whose fixtures commit changes to the demo data: the data is removed when
    the module ends, so the next module loads it afresh (``DemoData.changed``)."""
    DEMO_DATA.changed()


@pytest.fixture(scope="module")
def demo_server(migrated_rows, django_db_blocker) -> Iterator[LiveServer]:
    """A live server of its own for one test module, over the demo data (``load_demo_data``:
    the real Leeds and Kirklees places and organisations and ~70 demo groups), loaded once and
    shared with the demo modules that run right after it (see ``DemoData``).

    Why not ``live_server``: pytest-django gives every test that uses it ``transactional_db``,
    which empties the database after each test, so the demo data would be loaded again for
    every test. Here it is loaded and committed, with the database unblocked for the whole
    module (the server thread reads it between tests too).

    This works the same on both databases. On PostgreSQL the server thread has its own
    connection and sees the committed rows. On SQLite the test database lives in memory and
    pytest-django's ``LiveServer`` hands the server thread the test's own connection. Mark
    the tests ``django_db`` (not ``transaction=True``, whose flush after each test would
    remove the demo data): the mark makes pytest-django create the test database even when
    only this module runs, and a test wrapped in a transaction that is rolled back leaves the
    committed data alone (the pages only read it).
    """
    with django_db_blocker.unblock():
        try:
            DEMO_DATA.load()
        except BaseException:
            DEMO_DATA.unload(migrated_rows)
            raise
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
            following = _NEXT_ITEM.get("next")
            if DEMO_DATA.is_changed or following is None or "demo_server" not in getattr(following, "fixturenames", ()):
                DEMO_DATA.unload(migrated_rows)
