"""The CI's throwaway PostgreSQL server (`.ci/postgres.sh`) stops when asked and removes its data
folder, so a second `.ci/run` on the same machine finds its port free and /tmp as it was. Skipped
where no server binaries are installed (the script would install them; a test does not)."""

from __future__ import annotations

import glob
import os
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres.sh"
PORT = "55439"  # not the suite's own server's port


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin"), reason="no PostgreSQL server installed")
def test_the_ci_server_serves_and_then_stops_and_cleans_up_when_asked() -> None:
    # The script removes only folders named as its own (the test's once were not: 39 MB left a run).
    data = tempfile.mkdtemp(prefix="registrar-pg.", dir="/tmp")
    env = os.environ | {"PGPORT_TEST": PORT, "PGDATA_TEST": data}
    url = subprocess.run(
        ["bash", str(SCRIPT)], env=env, check=True, capture_output=True, text=True, cwd="/"
    ).stdout.strip()
    assert url.endswith(f"@127.0.0.1:{PORT}/postgres")
    conninfo = f"host=127.0.0.1 port={PORT} user=postgres dbname=postgres connect_timeout=5"
    try:
        with psycopg.connect(conninfo) as connection:
            assert connection.execute("select 1").fetchone() == (1,)
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", data], env=env, check=True, capture_output=True, cwd="/")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(conninfo)
    assert not os.path.exists(data)
