"""Backups: the documented procedure (scripts/backup-database.sh, scripts/restore-database.sh,
docs/deployment.md) gives back every record and its audit history.

The demo data is loaded into a PostgreSQL cluster of the test's own, dumped by the backup script,
restored by the restore script into a new database, and the two compared table by table (row
count and a digest of every row) and sequence by sequence. Needs PostgreSQL's server binaries,
as ``make test-postgres`` and CI have; takes about a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THROWAWAY = ROOT / "scripts" / "postgres-throwaway.sh"
PG_PORT = "54392"

pytestmark = pytest.mark.skipif(
    not any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")) and shutil.which("pg_ctl") is None,
    reason="needs PostgreSQL's server binaries (Debian package postgresql)",
)

# Every table of the public schema: its rows, and a digest of them all in a fixed order.
TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
DIGEST = (
    "SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
)
SEQUENCES = "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"


@pytest.fixture
def cluster():
    directory = Path(tempfile.mkdtemp(prefix="anchornet-backup-pg-"))
    env = {**os.environ, "PGPORT_THROWAWAY": PG_PORT}
    url = subprocess.run(
        ["bash", str(THROWAWAY), "start", str(directory)], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(THROWAWAY), "stop", str(directory)], env=env, capture_output=True, check=False)
        shutil.rmtree(directory, ignore_errors=True)


def psql(url: str, sql: str) -> list[list[str]]:
    out = subprocess.run(["psql", url, "-tA", "-F", "\t", "-c", sql], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def snapshot(url: str) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """``({table: (rows, digest)}, {sequence: last value})`` of the database at ``url``."""
    tables = [row[0] for row in psql(url, TABLES)]
    digests = psql(url, " UNION ALL ".join(DIGEST.format(table=table) for table in tables))
    return {table: (rows, digest) for table, rows, digest in digests}, dict(psql(url, SEQUENCES))


def test_a_restored_backup_holds_every_record_and_its_history(cluster, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "anchornet.settings.dev", "DATABASE_URL": cluster, "DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*manage, "load_demo_data"], cwd=ROOT, env=env, check=True, capture_output=True)
    backups = tmp_path / "backups"
    backups.mkdir()
    # A dump from long ago, past the 30 days kept, and a recent one: only the old one goes.
    old, recent = backups / "anchornet-2020-01-01T000000Z.dump", backups / "anchornet-recent.dump"
    old.write_bytes(b"old")
    recent.write_bytes(b"recent")
    long_ago = time.time() - 40 * 24 * 3600
    os.utime(old, (long_ago, long_ago))

    dump = Path(
        subprocess.run(
            ["bash", "scripts/backup-database.sh"],
            cwd=ROOT,
            env={**env, "BACKUP_DIR": str(backups)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    subprocess.run(["psql", cluster, "-c", "CREATE DATABASE anchornet_restored"], check=True, capture_output=True)
    restored = cluster.rsplit("/", 1)[0] + "/anchornet_restored"
    restore = ["bash", "scripts/restore-database.sh", str(dump)]
    subprocess.run(restore, cwd=ROOT, env={**env, "DATABASE_URL": restored}, check=True, capture_output=True)

    assert dump.is_file()
    assert sorted(path.name for path in backups.iterdir()) == sorted([dump.name, recent.name])
    tables, sequences = snapshot(cluster)
    restored_tables, restored_sequences = snapshot(restored)
    assert restored_tables == tables
    assert restored_sequences == sequences
    # Not a comparison of two empty databases: the demo's records and their history are there.
    assert int(tables["organisations_organisation"][0]) > 50
    assert int(tables["organisations_historicalorganisation"][0]) >= int(tables["organisations_organisation"][0])
    assert int(tables["plans_localityplan"][0]) > 0
    # The restored database is current: nothing left for migrate to do.
    check = subprocess.run(
        [*manage, "migrate", "--check"], cwd=ROOT, env={**env, "DATABASE_URL": restored}, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    # Restoring over a database that holds tables is refused, and changes nothing.
    again = subprocess.run(restore, cwd=ROOT, env={**env, "DATABASE_URL": restored}, capture_output=True, text=True)
    assert again.returncode == 1
    assert "restore into a new, empty one" in again.stderr
    assert snapshot(restored)[0] == tables
