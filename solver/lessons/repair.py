"""Place the meetings a first timetable left out (the ITC 2007 post-enrolment distance to
feasibility): CP-SAT steps over a few left-out meetings and the meetings in their way, where any
free meeting may stay out at the cost of its students, and a step is kept when no more students
lose a class than before."""

from __future__ import annotations

import random
from collections.abc import Callable
from types import ModuleType

from models import LessonProblem, LessonSolution
from solver.engine import Clock, solve_model
from solver.lessons.initial import static_places, students_sharing
from solver.lessons.model import LessonCpModel

STEP_TIME = 3.0  # seconds per CP-SAT step
STEP_SIZE = 40  # meetings re-decided per step


def left_out(solution: LessonSolution) -> list[int]:
    return [m for m, start in enumerate(solution.starts) if start is None or solution.rooms[m] is None]


def out_cost(problem: LessonProblem, meeting: int) -> int:
    """What leaving a meeting out costs: its students, and one so that an empty event counts too."""
    return len(problem.students_of[problem.meetings[meeting].section]) + 1


def repair(
    problem: LessonProblem,
    current: LessonSolution,
    hard_units: list[ModuleType],
    pins: dict[int, tuple[int, int | None]],
    clock: Clock,
    deadline: float,
    seed: int,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> LessonSolution:
    """The timetable with as few students' meetings left out as the time allows (none, at best)."""
    rng = random.Random(seed)
    sharing = students_sharing(problem)
    meetings_of = problem.meetings_of
    movable = [m.index for m in problem.meetings if m.index not in pins]
    places = static_places(problem)
    missing = left_out(current)
    step = 0
    while missing and clock.elapsed() < deadline and clock.remaining():
        step += 1
        target = rng.choice(missing)
        free = {target, *rng.sample(missing, min(3, len(missing)))}
        # the meetings of a few slots the target may take (they hold its students and rooms),
        # then meetings sharing its students
        open_slots = sorted(places[target])
        slots = set(rng.sample(open_slots, min(2, len(open_slots)))) if open_slots else set()
        others = [m for m in movable if current.starts[m] in slots] if rng.random() < 0.5 else []
        rng.shuffle(others)
        nearby = [m for s in sharing[problem.meetings[target].section] for m in meetings_of[s]]
        rng.shuffle(nearby)
        for meeting in others + nearby:
            if len(free) >= STEP_SIZE:
                break
            if meeting not in pins:
                free.add(meeting)
        exact = LessonCpModel(problem, free, current, pins, may_leave_out=True)
        exact.post(hard_units, {})
        exact.model.minimize(sum(out_cost(problem, m) * literal for m, literal in exact.left_out.items()))
        exact.hint(current)
        before = sum(out_cost(problem, m) for m in free if current.starts[m] is None)
        run = solve_model(
            exact.model,
            exact.decision_variables(),
            time_limit=min(STEP_TIME, max(0.1, deadline - clock.elapsed())),
            workers=workers,
            seed=seed + step,
            light_presolve=True,
        )
        if not run.has_solution or run.objective is None or run.objective > before:
            continue
        current = exact.decode(run.values)
        missing = left_out(current)
        if progress is not None and run.objective < before:
            progress(sum(out_cost(problem, m) for m in missing))
    return current
