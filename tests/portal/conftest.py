"""The dashboard's hand-counted Kirklees (``world``), shared with the quarterly returns' tests."""

from tests.portal.test_dashboard import world  # noqa: F401 - a fixture, found by name
