"""Fixtures and hooks shared by the whole suite.

``make test`` runs the suite on every CPU core with pytest-xdist (``-n auto``): each worker is
a pytest process with a test database of its own (``test_anchornet_gw0``, ``_gw1``, ...; on
SQLite each worker's database is in its memory). The hooks below decide which worker runs what,
and gather what the workers measured for the report at the end of the run.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q

# Tests that share module-scoped fixtures, so each group runs on one worker, in one go (the
# first group whose prefix matches a test is its group). The browser tests share a Chromium and
# the demo data (``demo_server``) on each worker: the page gate (test_page_quality.py visits each
# page type once for all of its checks) is one group and the other browser modules another, so
# that two workers drive a browser at once. test_demo_data.py loads the demo data once.
BROWSER_TESTS = "tests/browser/"
TESTS_TOGETHER = ("tests/browser/test_page_quality.py", BROWSER_TESTS, "tests/portal/test_demo_data.py")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests marked ``postgres`` when the suite runs on SQLite (no DATABASE_URL)."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL or run `make test-postgres`")


# ------------------------------------------------------------------------------------------
# The test database: as the migrations left it before every test, whatever ran before
# ------------------------------------------------------------------------------------------
class MigratedRows:
    """The rows the migrations leave in a new test database (the Officer and Councillor groups,
    permissions, content types), and a way to put the database back to just those rows."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        with blocker.unblock():
            self.rows = connection.creation.serialize_db_to_string()

    def restore(self) -> None:
        """Empty the database and put back the migrations' rows with their ids, as a
        ``serialized_rollback`` test does, but a table at a time (one INSERT for each, where
        Django's ``deserialize_db_from_string`` saves a row at a time: seconds on PostgreSQL)."""
        with self.blocker.unblock():
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            restored = defaultdict(list)
            many_to_many = []
            with transaction.atomic(), connection.constraint_checks_disabled():
                for found in serializers.deserialize("json", self.rows):
                    restored[type(found.object)].append(found.object)
                    if found.m2m_data:
                        many_to_many.append(found)
                for model, objects in restored.items():
                    model._base_manager.bulk_create(objects)
                for found in many_to_many:
                    for name, values in found.m2m_data.items():
                        getattr(found.object, name).set(values)
                connection.check_constraints(table_names=[model._meta.db_table for model in restored])
            # The flush restarted the sequences; move them past the restored ids, or the next
            # insert (e.g. a Group) collides with one.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(restored)):
                    cursor.execute(statement)


MIGRATED_ROWS = pytest.StashKey[MigratedRows]()


def _rows_made_by_migrations() -> dict[str, Q]:
    """The rows the project's data migrations make, by model label: the skills and assets
    taxonomy (engagement/migrations/0003)."""
    from engagement.models import SKILLS_TAXONOMY

    return {
        "organisations.Taxonomy": Q(name=SKILLS_TAXONOMY),
        "organisations.TaxonomyTerm": Q(taxonomy__name=SKILLS_TAXONOMY),
    }


def _rows_left_behind() -> list[str]:
    """The models of the project's own apps (and users) with rows other than the data
    migrations' (``_rows_made_by_migrations``): a new test database has none, so a reused one
    that has some kept them from a run that was killed before it cleaned up."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    models = [user_model] + [
        model
        for app in apps.get_app_configs()
        if (Path(settings.BASE_DIR) / app.name.partition(".")[0]).is_dir()
        for model in app.get_models()
    ]
    migrated = _rows_made_by_migrations()
    return [
        model._meta.label
        for model in models
        if model._meta.managed and model._base_manager.exclude(migrated.get(model._meta.label, Q(pk__in=[]))).exists()
    ]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb, request):
    """pytest-django's test database, checked and remembered.

    With ``--reuse-db`` (``make test``) a database a killed run left rows in is built again, so
    no test sees them. Then the rows the migrations made are kept (``MIGRATED_ROWS``) and put
    back after every test that commits (``pytest_runtest_teardown``).
    """
    if django_db_keepdb and not django_db_createdb:
        with django_db_blocker.unblock():
            left = _rows_left_behind()
            if left:
                request.node.warn(
                    pytest.PytestWarning(f"rebuilt the reused test database: an earlier run left rows in {left}")
                )
                # Django names the test database after the one in the settings, which is by now
                # the test database itself: keep its name.
                connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"]
                connection.close()
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    request.config.stash[MIGRATED_ROWS] = MigratedRows(django_db_blocker)


@pytest.fixture(autouse=True)
def _uncached_search_lexicon():
    """The directory search keeps its lexicon in the cache (``organisations.search.load_lexicon``)
    and forgets it when its rows change; a test's rows vanish in a rollback, which sends no
    signal, so each test starts without one. No database access: a test may not have any."""
    from django.core.cache import cache

    from organisations.search import LEXICON_CACHE_KEY

    keys = [LEXICON_CACHE_KEY.format(vendor=vendor) for vendor in ("postgresql", "sqlite")]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup, request: pytest.FixtureRequest) -> MigratedRows:
    """The rows the migrations made, to put back (``MigratedRows.restore``)."""
    return request.config.stash[MIGRATED_ROWS]


def _commits(item: pytest.Item) -> bool:
    """Whether pytest-django runs ``item`` as a ``TransactionTestCase``: its data is committed,
    and the database flushed after it, which removes the migrations' rows too."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    from pytest_django.fixtures import validate_django_db

    committed, reset_sequences, *_ = validate_django_db(marker)
    return bool(committed or reset_sequences)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test that committed, put the migrations' rows back, so the tests that follow find
    the database as a new one, whatever order they run in: pytest-django runs such tests last,
    but ``-n`` deals tests out to workers and ``--ff`` runs the failed ones first."""
    try:
        return (yield)
    finally:
        migrated = item.config.stash.get(MIGRATED_ROWS, None)
        # After the last test the test database is gone already, unless --reuse-db keeps it.
        kept = nextitem is not None or item.config.getvalue("reuse_db")
        if migrated is not None and kept and _commits(item):
            migrated.restore()


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Under ``-n`` (whose default ``--dist load`` deals the tests out one at a time), keep each
    group of ``TESTS_TOGETHER`` on one worker, and deal every other test out one at a time.

    A group is one unit of work: for the browser tests, one Chromium and one ``load_demo_data``
    per group, and one visit per page type (test_page_quality.py's module-scoped ``site``) in
    the whole run. pytest-xdist sends out the units with the most tests first (its
    ``--loadscope-reorder``, on by default), so the two browser groups start at once, one on
    each of two workers, and the single tests even the workers up around them. An explicit
    ``--dist`` other than ``load`` is left to pytest-xdist.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((group for group in TESTS_TOGETHER if nodeid.startswith(group)), nodeid)

    return BrowserTestsTogether(config, log)


# ------------------------------------------------------------------------------------------
# Page weight (tests/browser/test_page_quality.py's ``test_page_weight``): the table at the end
# of the run. A worker hands what it measured to the controller, which prints the table.
# ------------------------------------------------------------------------------------------
WORKER_WEIGHTS = "page_weights"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is None:
        return
    from tests.browser.quality import WEIGHTS

    weights = session.config.stash.get(WEIGHTS, [])
    workeroutput[WORKER_WEIGHTS] = [dataclasses.asdict(weight) for weight in weights]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    measured = getattr(node, "workeroutput", {}).get(WORKER_WEIGHTS)
    if not measured:
        return
    from tests.browser.quality import WEIGHTS, PageWeight, Transfer

    weights = node.config.stash.setdefault(WEIGHTS, [])
    for weight in measured:
        transfers = [Transfer(**transfer) for transfer in weight["transfers"]]
        weights.append(PageWeight(weight["page"], transfers))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the page-weight table after the run, with or without ``-s`` and ``-n``, so a change
    in what each page costs shows in every ``make test``."""
    from tests.browser.quality import WEIGHTS, weight_table

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
