"""What every solve pipeline does with its report: open it, record progress, close it."""

from __future__ import annotations

import contextlib
import resource
import threading
from collections.abc import Iterator
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
    """Stamp the elapsed time, the gap and the peak memory (and say when the peak is not the run's
    alone: `run_in_process`)."""
    report.elapsed = clock.elapsed()
    report.gap = SolveReport.relative_gap(report.objective, report.best_bound)
    report.peak_memory_mb = peak_memory_mb()
    if peak_shared() and SHARED_PEAK not in report.warnings:
        report.warnings.append(SHARED_PEAK)
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
    process's. Called by `run_in_process` for a run alone in its process, not in the pipelines,
    which may run inside each other."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


SHARED_PEAK = (
    "peak memory: another run shared this worker process while this one ran, so the peak given is "
    "the process's, not this run's alone (a Dask worker with one thread, --nthreads 1, runs one at a time)"
)
_runs_lock = threading.Lock()
_under_way = 0  # runs in progress in this process
_joined = 0  # runs begun while another was in progress, since the process started
_this_run = threading.local()  # per thread: (began beside another, _joined when it began)


@contextlib.contextmanager
def run_in_process() -> Iterator[None]:
    """Where a run begins in a process that runs one after another or several at once (the
    service's worker, a Dask worker): a run alone starts its peak afresh; a run beginning beside
    another does not, since the reset would lose the other's peak, and both reports then say that
    their peak is the process's (`close_report`)."""
    global _under_way, _joined
    with _runs_lock:
        beside = _under_way > 0
        if beside:
            _joined += 1
        else:
            start_peak_afresh()
        _under_way += 1
        _this_run.state = (beside, _joined)
    try:
        yield
    finally:
        with _runs_lock:
            _under_way -= 1
            del _this_run.state


def peak_shared() -> bool:
    """Whether this thread's run (`run_in_process`) began beside another or another began beside it."""
    state = getattr(_this_run, "state", None)
    return state is not None and (state[0] or state[1] != _joined)
