"""What every solve pipeline does with its report: each run's peak memory is its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models import SolveParameters
from solver.engine import Clock
from solver.reports import close_report, open_report, peak_memory_mb

BALLAST_MB = 1500


def _in_use_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def test_a_process_running_one_run_after_another_reports_each_runs_own_peak() -> None:
    """The service's worker and a Dask worker run one solve after another in one process: a small
    run after a large one reported the large one's peak."""
    ballast = np.ones(BALLAST_MB * 2**20 // 8)  # written, so resident: the large run before
    del ballast
    assert peak_memory_mb() >= _in_use_mb() + 0.9 * BALLAST_MB  # the process's peak saw it
    report = close_report(open_report("after", "load", SolveParameters(time_limit=1, workers=1)), Clock(1))
    assert report.peak_memory_mb is not None
    assert 0 < report.peak_memory_mb < _in_use_mb() + BALLAST_MB / 3
