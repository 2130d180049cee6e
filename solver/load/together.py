"""The teaching load and the lesson timetable as one CP-SAT model, for small cases.

Solved one after the other, the load may give one teacher two sections that the timetable can only
hold at the same time (cohorts, rooms and the teacher's days leave no other way), and the lessons
then have no timetable at all. Here who teaches each section named by a load item is decided with
when and where its meetings are: a teacher is busy in a slot when a meeting of a section they teach
holds it, and is busy once at most; a teacher away in a slot does not teach a meeting there.

Given the published timetable, only the meetings of the sections the load decides move: every other
meeting stays where that timetable puts it (a department re-staffed and re-timed within a semester
whose other timetables are out). Those meetings are fixed, out of the model, as in the lessons'
large-neighbourhood steps; what they cost among themselves is the offset between a start's model
price and its checkers' total. Without a start keeping every hard rule to take the offset from, they
are pinned instead, one placement each, in a model of the whole timetable.

The objective is the load's weighted criteria plus the timetable's. The lesson rules judge the
teachers the timetable already names; the load's teachers are judged by `teaching_days`, whichever
sections they end up with (their clashes, times away, time wishes, idle periods and building
changes). Both solutions are checked by the two checkers, the timetable with the load's teachers in
its sections, and the two totals must add up to what CP-SAT's model prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from ortools.sat.python import cp_model

import constraints.lessons as lesson_rules
import constraints.load as load_rules
from models import (
    Evaluation,
    LessonProblem,
    LessonSolution,
    Pin,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from models.load import LoadProblem, LoadSolution
from solver.engine import (
    PRICING_SECONDS,
    Clock,
    CpSatRun,
    ProgressListener,
    complete_hint,
    model_size,
    solve_model,
)
from solver.lessons.explain import Pins, static_findings
from solver.lessons.initial import place_pairs, static_places
from solver.lessons.model import LessonCpModel
from solver.lessons.solve import solve_lessons
from solver.load.apply import TimetableTeachers, apply_to_lessons
from solver.load.explain import explain_infeasibility
from solver.load.model import LoadCpModel
from solver.load.solve import solve_load
from solver.load.teaching_days import post_teaching_days, stripped
from solver.reports import close_report, open_report

LOAD_SHARE = 0.4  # of the time, for the engine's distribution of the load alone (the joint model's start)
LESSONS_SHARE = 0.6  # of what is left, for the engine's timetable with that distribution
CHECK_SHARE = 0.05  # of what is left, kept for pricing the solution and the checks, at least
CHECK_MARGIN = 1.5  # times what pricing the pair made in turn took (pricing the end takes as long)
LARGEST_CASE = 200_000  # choices the joint model may hold (see _refuse_large); past it, solve in turn
SECONDS_PER_CHOICE = 2e-4  # building the joint model and pricing its start (0.08-0.18 ms measured, findings)
JOINT_SHARE = 0.5  # of the time left, at most, for building and pricing; past it the pair in turn is kept


class NotTogether(ValueError):
    """The load and the timetable, as given, cannot be decided together (before anything is built)."""


class TooLarge(NotTogether):
    """The case is too large for the joint model."""


@dataclass
class TogetherOutcome:
    load: LoadSolution | None
    lessons: LessonSolution | None
    timetable: LessonProblem  # the lesson problem with the load's teachers in its sections
    load_evaluation: Evaluation | None
    lesson_evaluation: Evaluation | None
    report: SolveReport


def solve_together(
    load: LoadProblem,
    lessons: LessonProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
    term: int | None = None,
    published: LessonSolution | None = None,
    plan: LoadSolution | None = None,
) -> TogetherOutcome:
    """Teachers for the load items and a timetable for the lessons, decided together (`scenario`
    weighs the load). With `term`, the timetable is that term's: items of the other term keep their
    sections for its own timetable. With `published`, the meetings of sections no load item decides
    stay where it places them. Raises NotTogether (before building anything) for an item naming a
    section the timetable lacks, a published timetable of another shape, TooLarge when the case is
    not small (after solving in turn, when no start keeps every hard rule and the meetings kept in
    place must be pinned in a model of the whole timetable). With `plan` too (the load's distribution
    the published timetable was made with), that pair is a start when it keeps every hard rule, so
    nothing worse than it comes back."""
    clock = Clock(parameters.time_limit)
    report = open_report(f"{load.name} and {lessons.name}", "load and lessons", parameters)

    def record(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    decided = _decided_sections(load, lessons, term)
    pins = _kept_in_place(lessons, decided, published)
    choices = _refuse_large(load, lessons, decided, pins, partial=published is not None)
    reasons = explain_infeasibility(load)
    if reasons:
        report.status, report.explanation = SolveStatus.INFEASIBLE, reasons
        return _finish(report, clock, lessons, None, None, None, None)
    open_lessons, teacher_of = _open_timetable(load, lessons, decided)
    findings = static_findings(open_lessons, pins)
    if findings:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = ["The timetable cannot be made, whoever teaches:", *findings]
        return _finish(report, clock, lessons, None, None, None, None)
    starts = []
    checking = 0.0  # seconds the checkers take on a pair
    if plan is not None and published is not None:
        began = clock.elapsed()
        starts.append(_start(load, lessons, decided, scenario, plan, published, "published", clock))
        checking = clock.elapsed() - began
    # A model CP-SAT would have no time left to search in is not built when a start will do: given the
    # published pair, the pair made in turn gets that time instead (on a real semester it gains more
    # than the model, findings); otherwise it keeps its share, leaving the model time if it fails.
    building = SECONDS_PER_CHOICE * choices
    joint_pays = building <= JOINT_SHARE * clock.remaining()
    in_turn_alone = not joint_pays and any(starts)
    unbuilt = f"the joint model would take about {building:.0f} s of the {clock.remaining():.0f} s left"
    # Within a published timetable, given a pair that keeps every rule to price the rest by, only the
    # decided sections' meetings are in the model, the others fixed (as in the lessons' LNS steps).
    # Given the published pair, the model is built first: its time comes out of the pair made in turn's.
    joint, building_seconds = None, 0.0
    if any(starts) and joint_pays:
        began = clock.elapsed()
        joint = _model_for(load, lessons, open_lessons, decided, teacher_of, pins, published, scenario)
        building_seconds = clock.elapsed() - began
    # Pricing the start takes about as long as building the model (findings): that is kept for it.
    # Without the model, only the checks are kept: one of the pair made in turn, one of the answer.
    reserved = 2 * CHECK_MARGIN * checking if in_turn_alone else building_seconds
    ahead = Clock(max(0.0, clock.remaining() - reserved))
    lessons_share = 1.0 if in_turn_alone else LESSONS_SHARE
    made = _in_turn(load, lessons, decided, pins, parameters, ahead, scenario, published, lessons_share)
    if made is not None and made.lessons is not None:
        starts.append(_start(load, lessons, decided, scenario, made.load, made.lessons, "in turn", clock))
    # Any pair's load costs at least what the load alone was proven to, and its lessons nothing less
    # than 0: a bound whether or not CP-SAT's (the partial model's weak at these limits) is better.
    load_bound = made.load_bound if made is not None else None
    if not joint_pays and any(starts):
        return _keep_the_best(
            report, record, clock, load, lessons, decided, scenario, starts, unbuilt, load_bound
        )
    if joint is None:
        kept = published if any(starts) else None
        joint = _model_for(load, lessons, open_lessons, decided, teacher_of, pins, kept, scenario)
    timetable, distribution, fixed = joint
    best = _hint_the_best(timetable, distribution, starts, made.load if made else None, record)
    offset = 0.0
    if best is not None:
        # Its hint completed (CP-SAT's first solution), its model price proven if there is time; a
        # partial model must have it for the offset.
        began = clock.elapsed()
        seconds = PRICING_SECONDS if fixed is not None else min(clock.remaining(), PRICING_SECONDS)
        best.modelled = _price(timetable, distribution, best.load, best.lessons, seconds)
        best.pricing = clock.elapsed() - began
        if fixed is not None:
            if best.modelled is None:
                raise AssertionError(f"CP-SAT cannot price the pair {best.note} in {PRICING_SECONDS:g} s")
            offset = best.price - best.modelled
    run = _search(timetable, distribution, best, parameters, clock, _shifted(record, offset, load_bound))
    if run.has_solution:
        report.time_to_first_feasible = run.first_solution_at
        found_load, found_lessons = distribution.decode(run.values), timetable.decode(run.values)
        priced = _priced(timetable, distribution, found_load, found_lessons, best)
        if priced is None and best is not None:  # not priced in time: the start is the answer
            found_load, found_lessons = best.load, best.lessons
            priced = _priced(timetable, distribution, found_load, found_lessons, best)
    elif best is not None and not run.proven_infeasible:
        # On a large case CP-SAT may run out of time before it has taken up its start: keep the start.
        report.time_to_first_feasible = best.at
        found_load, found_lessons = best.load, best.lessons
        priced = _priced(timetable, distribution, found_load, found_lessons, best)
    else:
        if run.proven_infeasible:
            report.status = SolveStatus.INFEASIBLE
            report.explanation = [_why_none(open_lessons, pins, parameters, clock)]
        return _finish(report, clock, lessons, None, None, None, None)
    final, load_evaluation, lesson_evaluation = _judged(
        load, lessons, decided, scenario, found_load, found_lessons
    )
    total = load_evaluation.total + lesson_evaluation.total
    broken = [
        violation.message
        for evaluation in (load_evaluation, lesson_evaluation)
        for violation in evaluation.violations(hard=True)
    ]
    if broken:
        raise AssertionError(f"the checkers find hard rules broken in CP-SAT's solution: {broken[:3]}")
    if priced is None or round(priced + offset) != total:
        raise AssertionError(
            f"CP-SAT prices the load and timetable at {priced} (and {offset:g} for the meetings kept in "
            f"place) but the checkers say {total}"
        )
    report.objective = total
    bound = math.ceil(run.bound + offset - 1e-6) if run.bound is not None else None
    bounds = [b for b in (bound, load_bound) if b is not None]
    report.best_bound = min(total, max(bounds)) if bounds else None
    proven = (run.proven_optimal and run.has_solution) or report.best_bound == total
    report.status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    report.variables, report.constraints = model_size(timetable.model)
    report.time_to_best = clock.elapsed()
    return _finish(report, clock, final, found_load, found_lessons, load_evaluation, lesson_evaluation)


def _keep_the_best(
    report: SolveReport,
    record: ProgressListener,
    clock: Clock,
    load: LoadProblem,
    lessons: LessonProblem,
    decided: dict[int, list[int]],
    scenario: Scenario | None,
    starts: list[_Start | None],
    why: str,
    load_bound: int | None,
) -> TogetherOutcome:
    """The cheaper of the published pair and the pair made in turn, checked again, without the joint
    model (`why` not); its bound is the load's alone."""
    candidates = [start for start in starts if start is not None]
    for start in candidates:
        record(ProgressPoint(elapsed=start.at, objective=start.price, bound=0, note=start.note))
    best = min(candidates, key=lambda start: start.price)
    note = f"the pair {best.note} kept: {why}"
    record(ProgressPoint(elapsed=clock.elapsed(), objective=best.price, bound=0, note=note))
    final, load_evaluation, lesson_evaluation = _judged(
        load, lessons, decided, scenario, best.load, best.lessons
    )
    total = load_evaluation.total + lesson_evaluation.total
    if total != best.price or not (load_evaluation.feasible and lesson_evaluation.feasible):
        raise AssertionError(f"the pair {best.note} was checked at {best.price}, now at {total}")
    report.objective = total
    report.best_bound = min(total, load_bound) if load_bound is not None else None
    report.status = SolveStatus.OPTIMAL if report.best_bound == total else SolveStatus.FEASIBLE
    report.time_to_first_feasible = min(start.at for start in candidates)
    report.time_to_best = best.at
    return _finish(report, clock, final, best.load, best.lessons, load_evaluation, lesson_evaluation)


def _hint_the_best(
    timetable: LessonCpModel,
    distribution: LoadCpModel,
    starts: list[_Start | None],
    alone: LoadSolution | None,
    record: ProgressListener,
) -> _Start | None:
    """The cheapest start (each shown as a progress point) as the joint model's hint; with none, the
    engine's distribution `alone` (when the engine made no timetable with it)."""
    candidates = [start for start in starts if start is not None]
    for start in candidates:
        record(ProgressPoint(elapsed=start.at, objective=start.price, bound=0, note=start.note))
    best = min(candidates, key=lambda start: start.price, default=None)
    timetable.model.clear_hints()
    if best is not None:
        distribution.hint(best.load)
        timetable.hint(best.lessons)
    elif alone is not None:
        distribution.hint(alone)
    return best


def _priced(
    timetable: LessonCpModel,
    distribution: LoadCpModel,
    load: LoadSolution,
    lessons: LessonSolution,
    best: _Start | None,
) -> float | None:
    """The answer's price in the joint model (the start's, when it is the start, is known)."""
    if best is not None and best.modelled is not None and (load, lessons) == (best.load, best.lessons):
        return best.modelled
    return _price(timetable, distribution, load, lessons, PRICING_SECONDS)


def _shifted(record: ProgressListener, offset: float, floor: int | None) -> ProgressListener:
    """Progress of a partial model's search as the whole timetable's (its fixed part's price added),
    its bound never below `floor` (the load alone's, which the report takes too)."""
    least = -math.inf if floor is None else floor
    return lambda point: record(
        point.model_copy(
            update={"objective": point.objective + offset, "bound": max(point.bound + offset, least)}
        )
    )


def _search(
    timetable: LessonCpModel,
    distribution: LoadCpModel,
    start: _Start | None,
    parameters: SolveParameters,
    clock: Clock,
    record: ProgressListener,
) -> CpSatRun:
    """CP-SAT on the joint model from its hint, keeping time for pricing the end and the checks; not
    asked when less is left than taking up the start took (it could only overrun the limit)."""
    kept = max(CHECK_SHARE * clock.remaining(), CHECK_MARGIN * start.pricing if start else 0.0)
    searching = clock.remaining() - kept
    if start is not None and searching < start.pricing:
        return CpSatRun(int(cp_model.UNKNOWN), None, None, {}, 0.0, None)
    return solve_model(
        timetable.model,
        [*distribution.decision_variables(), *timetable.decision_variables()],
        time_limit=searching,
        workers=parameters.workers,
        seed=parameters.seed,
        clock=clock,
        listener=record,
        # a large joint model's full presolve took 18 s of a minute before CP-SAT's first solution
        light_presolve=True,
    )


def _decided_sections(load: LoadProblem, lessons: LessonProblem, term: int | None) -> dict[int, list[int]]:
    """Per lesson section named by load items (of `term`, if given), those items; an item naming a
    section the timetable does not have is an error in the input."""
    by_name = {section.name: section.index for section in lessons.sections}
    decided: dict[int, list[int]] = {}
    for item in load.items:
        if not item.section or term not in (None, item.term):
            continue
        if item.section not in by_name:
            raise NotTogether(
                f"load item {item.name!r} names section {item.section!r}, which the timetable "
                f"{lessons.name!r} does not have"
            )
        decided.setdefault(by_name[item.section], []).append(item.index)
    return decided


def _why_none(
    open_lessons: LessonProblem,
    pins: Pins,
    parameters: SolveParameters,
    clock: Clock,
) -> str:
    """In words, after CP-SAT proved no pair exists: whether the timetable alone (teachers left open)
    can be made."""
    alone = LessonCpModel(open_lessons, range(len(open_lessons.meetings)), pins=pins)
    alone.post([unit for unit in lesson_rules.units_for(open_lessons) if unit.HARD], {})
    run = solve_model(
        alone.model,
        [],
        time_limit=max(1.0, clock.remaining()),
        workers=parameters.workers,
        seed=parameters.seed,
    )
    kept = " around the published meetings kept in place" if pins else ""
    if run.proven_infeasible:
        return (
            f"The timetable cannot be made{kept} whoever teaches (proved by CP-SAT): solve the lessons "
            "alone to see why"
        )
    if run.has_solution:
        return (
            f"The load can be distributed and the timetable made{kept}, but not together (proved by CP-SAT): "
            "every distribution gives some teacher sections the timetable can only hold at once, or at "
            "a time they are away; solve the load and then the lessons to see which, or qualify more "
            "teachers for those sections"
        )
    return "No pair of a distribution and a timetable exists (proved by CP-SAT)"


@dataclass
class _Start:
    """A pair of a distribution and a timetable keeping every hard rule: the engine's, solved in turn,
    or the published one."""

    load: LoadSolution
    lessons: LessonSolution
    price: float  # the checkers' total
    at: float  # seconds into the solve
    note: str  # "in turn" or "published"
    pricing: float = 0.0  # seconds completing its hint took (the start CP-SAT takes up)
    modelled: float | None = None  # its price in the joint model, when proven in the time there was


def _price(
    timetable: LessonCpModel,
    distribution: LoadCpModel,
    load: LoadSolution,
    lessons: LessonSolution,
    seconds: float,
) -> float | None:
    """The pair's price in the joint model, proven least (penalties are bounded from below only: with
    every decision fixed, the least objective is the price); the pair stays the model's hint."""
    timetable.model.clear_hints()
    distribution.hint(load)
    timetable.hint(lessons)
    return complete_hint(timetable.model, seconds, exact_penalties=False)


def _start(
    load_problem: LoadProblem,
    lessons_problem: LessonProblem,
    decided: dict[int, list[int]],
    scenario: Scenario | None,
    load: LoadSolution,
    lessons: LessonSolution,
    note: str,
    clock: Clock,
) -> _Start | None:
    """The pair as a start if it keeps every hard rule, judged by the checkers' total (proving its
    model price inside the clock lost every start on a busy machine, findings; only the best start's
    is worked out, and its hint completed)."""
    _, load_evaluation, lesson_evaluation = _judged(
        load_problem, lessons_problem, decided, scenario, load, lessons
    )
    if not (load_evaluation.feasible and lesson_evaluation.feasible):
        return None
    total = load_evaluation.total + lesson_evaluation.total
    return _Start(load, lessons, total, clock.elapsed(), note)


class _InTurn(NamedTuple):
    load: LoadSolution
    lessons: LessonSolution | None  # None when the timetable cannot follow the distribution
    load_bound: int | None  # the load alone's proven bound


def _judged(
    load_problem: LoadProblem,
    lessons_problem: LessonProblem,
    decided: dict[int, list[int]],
    scenario: Scenario | None,
    load: LoadSolution,
    lessons: LessonSolution,
) -> tuple[LessonProblem, Evaluation, Evaluation]:
    """The pair by the two checkers: the timetable with the load's teachers in its sections, and the
    load's and the timetable's evaluations."""
    final = apply_to_lessons(lessons_problem, _naming(load_problem, decided), load)
    return final, load_rules.evaluate(load_problem, load, scenario), lesson_rules.evaluate(final, lessons)


def _in_turn(
    load: LoadProblem,
    lessons: LessonProblem,
    decided: dict[int, list[int]],
    pins: Pins,
    parameters: SolveParameters,
    clock: Clock,
    scenario: Scenario | None,
    published: LessonSolution | None,
    lessons_share: float = LESSONS_SHARE,
) -> _InTurn | None:
    """The load and then the lessons (`lessons_share` of what the load leaves) solved in turn by the
    engine: CP-SAT alone distributes a department's load far worse (findings), and a complete hint is
    CP-SAT's first solution whenever the timetable can follow the engine's distribution. The timetable
    is None when it cannot. The lessons start from the published places where the new teachers allow."""
    seconds = LOAD_SHARE * clock.remaining()
    alone = solve_load(load, parameters.model_copy(update={"time_limit": seconds}), scenario)
    if alone.solution is None:
        return None
    load_bound = alone.report.best_bound
    applied = apply_to_lessons(lessons, _naming(load, decided), alone.solution)
    seconds = lessons_share * clock.remaining()
    in_turn = solve_lessons(
        applied, parameters.model_copy(update={"time_limit": seconds}), _pinned(pins), start=published
    )
    if in_turn.evaluation is None or not in_turn.evaluation.feasible or in_turn.solution is None:
        return _InTurn(alone.solution, None, load_bound)  # the timetable cannot follow it
    return _InTurn(alone.solution, in_turn.solution, load_bound)


def _naming(load: LoadProblem, decided: dict[int, list[int]]) -> LoadProblem:
    """The load with only the items decided here naming their sections (another term's keep theirs
    for their own timetable)."""
    here = {item for items in decided.values() for item in items}
    return load.model_copy(
        update={
            "items": tuple(i if i.index in here else i.model_copy(update={"section": ""}) for i in load.items)
        }
    )


def kept_in_place(
    load: LoadProblem, lessons: LessonProblem, published: LessonSolution, term: int | None = None
) -> Scenario:
    """The lessons' scenario keeping every meeting the load (of `term`) does not decide where the
    published timetable places it: what solving the lessons in turn within that timetable takes."""
    return _pinned(_kept_in_place(lessons, _decided_sections(load, lessons, term), published))


def _pinned(pins: Pins) -> Scenario:
    return Scenario(pins={meeting: Pin(period=start, room=room) for meeting, (start, room) in pins.items()})


def _kept_in_place(
    lessons: LessonProblem, decided: dict[int, list[int]], published: LessonSolution | None
) -> Pins:
    """The published place of every meeting of a section the load does not decide (a meeting it left
    unplaced is placed here)."""
    if published is None:
        return {}
    if len(published.starts) != len(lessons.meetings):
        raise NotTogether(
            f"the published timetable places {len(published.starts):,} meetings, but {lessons.name!r} has "
            f"{len(lessons.meetings):,}: it is another semester's"
        )
    return {
        meeting.index: (start, published.rooms[meeting.index])
        for meeting in lessons.meetings
        if meeting.section not in decided and (start := published.starts[meeting.index]) is not None
    }


def _refuse_large(
    load: LoadProblem, lessons: LessonProblem, decided: dict[int, list[int]], pins: Pins, partial: bool
) -> int:
    """The joint model's choices (`_choices`), refused past LARGEST_CASE."""
    choices = _choices(load, lessons, decided, pins, partial)
    free = sum(meeting.index not in pins for meeting in lessons.meetings)
    if choices > LARGEST_CASE:
        raise TooLarge(
            f"{free:,} meetings to place and {len(decided):,} sections to staff make {choices:,} "
            "choices (teacher, section and slot; meeting, start and room), too many to decide together "
            f"(at most {LARGEST_CASE:,}): solve the load, then the lessons with its teachers"
        )
    return choices


def _choices(
    load: LoadProblem, lessons: LessonProblem, decided: dict[int, list[int]], pins: Pins, partial: bool
) -> int:
    """The joint model's size, at most: who teaches each decided section when, and where and when
    each meeting not kept in place may be (its places as the first timetable's search sees them: a
    start its section and teachers allow in a suitable room open then; in a `partial` model, not held
    by a meeting kept in place); in a model of the whole timetable a meeting kept in place is one
    choice more."""
    grid = lessons.grid
    choices = sum(len(load.candidates[i]) * grid.slot_count for items in decided.values() for i in items)
    held = {
        (room, slot)
        for meeting, (start, room) in pins.items()
        for slot in range(start, start + lessons.meetings[meeting].length)
    }
    free = [meeting for meeting in lessons.meetings if meeting.index not in pins]
    places = static_places(lessons)
    for meeting in free:
        choices += sum(
            not (partial and any((room, slot) in held for slot in range(start, start + meeting.length)))
            for start, room in place_pairs(places[meeting.index])
        )
    return choices + (0 if partial else len(pins))


def _model_for(
    load: LoadProblem,
    lessons: LessonProblem,
    open_lessons: LessonProblem,
    decided: dict[int, list[int]],
    teacher_of: list[int],
    pins: Pins,
    published: LessonSolution | None,
    scenario: Scenario | None,
) -> tuple[LessonCpModel, LoadCpModel, LessonSolution | None]:
    """The joint model with the meetings kept in place fixed where `published` has them, or, when
    those break a load teacher's hard rules or nothing is published, pinned in a model of the whole
    timetable (refused if that is too large); and the timetable fixed, if any."""
    if published is not None:
        joint = _joint_model(load, open_lessons, decided, teacher_of, pins, published, scenario)
        if joint is not None:
            return (*joint, published)
    if pins:
        _refuse_large(load, lessons, decided, pins, partial=False)
    joint = _joint_model(load, open_lessons, decided, teacher_of, pins, None, scenario)
    assert joint is not None  # with every meeting in the model nothing is fixed to break a rule
    return (*joint, None)


def _joint_model(
    load: LoadProblem,
    open_lessons: LessonProblem,
    decided: dict[int, list[int]],
    teacher_of: list[int],
    pins: Pins,
    fixed: LessonSolution | None,
    scenario: Scenario | None,
) -> tuple[LessonCpModel, LoadCpModel] | None:
    """The joint model: every meeting in it, those kept in place pinned; or with `fixed` (the
    published timetable) only the meetings not kept, the others fixed where `fixed` has them and
    priced by the caller's offset. None when fixed meetings break a load teacher's hard rules."""
    units = lesson_rules.units_for(open_lessons)
    lesson_weights = {unit.NAME: unit.weight(open_lessons) for unit in units}
    judged = stripped(open_lessons, set(teacher_of))  # the decided sections are open already
    if fixed is None:
        timetable = LessonCpModel(judged, range(len(judged.meetings)), pins=pins)
    else:
        free = [meeting.index for meeting in judged.meetings if meeting.index not in pins]
        timetable = LessonCpModel(judged, free, fixed)
    timetable.post(units, lesson_weights)
    distribution = LoadCpModel(load, model=timetable.model)
    load_penalties = distribution.penalties(
        load_rules.units_for(load), load_rules.weights_for(load, scenario or Scenario())
    )
    days = post_teaching_days(timetable, distribution, open_lessons, decided, teacher_of, lesson_weights)
    if days is None:
        return None
    lesson_penalties = [weight * penalty for weight, penalty in timetable.objective_terms]
    timetable.model.minimize(sum([load_penalties, *lesson_penalties, days]))
    return timetable, distribution


def _open_timetable(
    load: LoadProblem, lessons: LessonProblem, decided: dict[int, list[int]]
) -> tuple[LessonProblem, list[int]]:
    """The lesson problem with the decided sections' teachers left open and every load teacher known
    to it (matched by name); and each load teacher's index there."""
    known = TimetableTeachers(lessons)
    teacher_of = [known.index_of(person) for person in load.teachers]
    sections = tuple(
        section.model_copy(update={"teachers": ()}) if section.index in decided else section
        for section in lessons.sections
    )
    return lessons.replaced(teachers=tuple(known.teachers), sections=sections), teacher_of


def _finish(
    report: SolveReport,
    clock: Clock,
    timetable: LessonProblem,
    load: LoadSolution | None,
    lessons: LessonSolution | None,
    load_evaluation: Evaluation | None,
    lesson_evaluation: Evaluation | None,
) -> TogetherOutcome:
    close_report(report, clock)
    return TogetherOutcome(load, lessons, timetable, load_evaluation, lesson_evaluation, report)
