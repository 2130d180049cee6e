"""What the command line shows: live progress while solving, then the report and the breakdown."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from models import (
    AttestationProblem,
    Evaluation,
    ExamProblem,
    LessonProblem,
    LoadProblem,
    ProgressPoint,
    SolveReport,
    Violation,
)
from solver.engine import ProgressListener

console = Console(highlight=False)
if not console.is_terminal and "COLUMNS" not in os.environ:
    # Redirected to a file or a pipe, rich would wrap at 80 columns and split the department names
    # of the load tables over three lines; a log is read in an editor, not a narrow terminal.
    console.width = 120

SHOWN_VIOLATIONS = 20


def _gap(objective: float, bound: float) -> str:
    if objective <= 0:
        return "0.0%"
    return f"{max(0.0, (objective - bound) / objective):.1%}"


@contextmanager
def progress_display(time_limit: float) -> Iterator[ProgressListener]:
    """A live line (objective, bound, gap, elapsed) on a terminal; a line per improvement elsewhere."""
    started = time.monotonic()
    latest: list[ProgressPoint] = []

    if not console.is_terminal:

        def log(point: ProgressPoint) -> None:
            console.print(
                f"{point.elapsed:7.1f} s  objective {point.objective:g}  bound {point.bound:g}  "
                f"gap {_gap(point.objective, point.bound)}  {point.note}"
            )

        yield log
        return

    def render() -> Text:
        elapsed = time.monotonic() - started
        share = min(1.0, elapsed / time_limit)
        bar = "█" * int(share * 30) + "░" * (30 - int(share * 30))
        if not latest:
            return Text(f"{bar} {elapsed:6.1f}/{time_limit:g} s  searching for a first timetable...")
        point = latest[-1]
        return Text(
            f"{bar} {elapsed:6.1f}/{time_limit:g} s  objective {point.objective:g}  "
            f"bound {point.bound:g}  gap {_gap(point.objective, point.bound)}"
        )

    with Live(render(), console=console, refresh_per_second=4, transient=False) as live:
        done = threading.Event()

        def tick() -> None:
            while not done.wait(0.25):
                live.update(render())

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield latest.append
        finally:
            done.set()
            ticker.join()
            live.update(render())


def print_report(report: SolveReport) -> None:
    table = Table(title=f"{report.problem_name}: {report.status.value}", show_header=False)
    rows = [
        ("objective", report.objective),
        ("best bound", report.best_bound),
        ("gap", f"{report.gap:.1%}" if report.gap is not None else None),
        (
            "first feasible after",
            f"{report.time_to_first_feasible:.1f} s" if report.time_to_first_feasible else None,
        ),
        ("best found after", f"{report.time_to_best:.1f} s" if report.time_to_best else None),
        ("elapsed", f"{report.elapsed:.1f} s"),
        ("model size", f"{report.variables} variables, {report.constraints} constraints"),
        ("LNS steps", report.lns_steps or None),
        ("peak memory", f"{report.peak_memory_mb:.0f} MB" if report.peak_memory_mb else None),
    ]
    for label, value in rows:
        if value is not None:
            table.add_row(label, str(value))
    console.print(table)
    for reason in report.explanation:
        console.print(f"[red]why:[/] {reason}", soft_wrap=True)
    for warning in report.warnings:
        console.print(f"[yellow]check:[/] {warning}", soft_wrap=True)


def _shares(by_rule: dict[str, list[Violation]], shown: int) -> dict[str, int]:
    """How many of each rule's violations to print: `shown` in all, taken a turn per rule at a time,
    so a rule broken once is not hidden behind a hundred breaches of another."""
    shares = dict.fromkeys(by_rule, 0)
    while shown > 0 and any(shares[rule] < len(found) for rule, found in by_rule.items()):
        for rule, found in by_rule.items():
            if shown > 0 and shares[rule] < len(found):
                shares[rule] += 1
                shown -= 1
    return shares


def print_evaluation(
    problem: ExamProblem | LessonProblem | LoadProblem | AttestationProblem,
    evaluation: Evaluation,
    show_hard: bool = False,
) -> None:
    hard = evaluation.violations(hard=True)
    if hard:
        what = "distribution" if isinstance(problem, LoadProblem) else "timetable"
        by_rule: dict[str, list[Violation]] = {}
        for violation in hard:
            by_rule.setdefault(violation.constraint, []).append(violation)
        counts = ", ".join(f"{rule} {len(found)}" for rule, found in by_rule.items())
        console.print(f"[red]{len(hard)} hard violations[/] ({counts}) - the {what} is infeasible:")
        shown = _shares(by_rule, SHOWN_VIOLATIONS)
        for rule, found in by_rule.items():
            for violation in found[: shown[rule]]:
                console.print(f"  {rule}: {violation.message}", soft_wrap=True)
        if len(hard) > SHOWN_VIOLATIONS:
            console.print(f"  ... and {len(hard) - SHOWN_VIOLATIONS} more")
    elif show_hard:
        console.print("[green]feasible[/]: no hard rule is broken")
    table = Table(title="soft cost")
    table.add_column("criterion")
    table.add_column("weight", justify="right")
    table.add_column("penalty", justify="right")
    for score in evaluation.scores:
        if not score.hard:
            table.add_row(score.name, str(score.weight), str(score.penalty))
    table.add_row("[bold]total[/]", "", f"[bold]{evaluation.total}[/]")
    console.print(table)
    if evaluation.normalised_total is not None and isinstance(problem, ExamProblem):
        console.print(
            f"average cost per student: {evaluation.normalised_total:.4f} ({len(problem.students)} students)"
        )
