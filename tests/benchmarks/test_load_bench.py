"""The load benchmark runner: one generated size solved in its own process, rows kept and tabled."""

from __future__ import annotations

from pathlib import Path

import benchmarks.load as bench


def test_a_run_is_measured_in_its_own_process_and_tabled(tmp_path: Path) -> None:
    bench.main(["--instances", "load-300", "--time-limits", "2", "--results", str(tmp_path)])
    table = (tmp_path / "load.md").read_text()
    assert "# Teaching-load benchmarks" in table and "Machine:" in table
    row = next(line for line in table.splitlines() if line.startswith("| load-300"))
    assert "| 2 |" in row and ("feasible" in row or "optimal" in row), row
    assert "load-300" in (tmp_path / "load.csv").read_text()
