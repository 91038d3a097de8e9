"""Fixtures and hooks shared by the whole suite."""

import pytest
from django.db import connection


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests marked ``postgres`` when the suite runs on SQLite (no DATABASE_URL)."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL or run `make test-postgres`")
