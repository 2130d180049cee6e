"""What every solve pipeline does with its report: open it, record progress, close it."""

from __future__ import annotations

import contextlib
import resource
from pathlib import Path

from models import ProgressPoint, SolveParameters, SolveReport, SolveStatus
from solver.engine import Clock, ProgressListener


def open_report(problem_name: str, kind: str, parameters: SolveParameters) -> SolveReport:
    return SolveReport(
        problem_name=problem_name, problem_kind=kind, status=SolveStatus.UNKNOWN, parameters=parameters
    )


def recorder(report: SolveReport, listener: ProgressListener | None) -> ProgressListener:
    """A listener keeping each point in the report and passing it on."""

    def record(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    return record


def close_report(report: SolveReport, clock: Clock) -> SolveReport:
    """Stamp the elapsed time, the gap and the peak memory."""
    report.elapsed = clock.elapsed()
    report.gap = SolveReport.relative_gap(report.objective, report.best_bound)
    report.peak_memory_mb = peak_memory_mb()
    return report


def peak_memory_mb() -> float:
    """This process's peak resident memory since it started or `start_peak_afresh`, in MB.
    Read from Linux's high-water mark, which a new program starts afresh: `ru_maxrss` keeps the peak
    of the process it was forked from, so a spawned run would report its parent's peak when that
    was larger (and it cannot be reset)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_peak_afresh() -> None:
    """The peak memory back to the memory in use now, for a process that runs one solve after
    another (the service's worker, a Dask worker), so each run's report has its own peak: Linux's
    high-water mark is reset through `clear_refs` (since Linux 4.0); elsewhere the peak stays the
    process's. Called where a run begins, not in the pipelines, which may run inside each other."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
