"""bench/imports.py, small (the smoke run of the benchmark: no timing is asserted), and the
import's cost a row not growing with the file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from organisations.models import Organisation

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "bench_imports", Path(__file__).resolve().parent.parent / "bench" / "imports.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture
def world():
    return bench.build(existing=120)


def test_the_benchmark_previews_and_applies_a_small_file(world):
    data = bench.write_csv(60, world)

    preview = bench.measure(data, dry_run=True)
    assert Organisation.objects.count() == 120 + 2  # the preview changed nothing
    applied = bench.measure(data, dry_run=False)

    for figures in (preview, applied):
        assert figures["rows"] == 60
        assert figures["totals"]["new"] + figures["totals"]["update"] == 60
        assert figures["totals"]["update"] >= 3  # one row in twenty is a record we hold
        assert "rows/s" in bench.report("preview", figures)
    assert Organisation.objects.count() == 120 + 2 + applied["totals"]["new"]


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "apply"])
def test_the_queries_a_row_do_not_grow_with_the_file(world, dry_run):
    small = bench.measure(bench.write_csv(100, world), dry_run=dry_run)
    large = bench.measure(bench.write_csv(300, world, start=1000), dry_run=dry_run)

    assert large["queries"] / 300 <= small["queries"] / 100 + 0.5
    # Each row's own: reading a file's places, names and terms is done once per file, not per row.
    assert large["queries"] - small["queries"] <= 200 * 20
