"""What every solve pipeline does with its report: open it, record progress, close it."""

from __future__ import annotations

import resource

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
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
