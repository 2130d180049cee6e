"""A person's day, period by period: the shared ground of the idle-period, long-day and lunch rules.

The checkers read who is in class when from a timetable. The posts describe each person-day a
free meeting may touch as a *picture*: per period of the day, busy always (a fixed meeting of
theirs is there), never, or exactly when a Boolean is true (one of their free meetings covers it).
People whose pictures agree cost the same, so each picture is posted once and weighed by how
many people have it; busy Booleans are shared by every picture and rule of one model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, remembered
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution

# --- the checkers' side -----------------------------------------------------------------------

DayPeriods = dict[int, set[int]]  # period of the day -> sections holding the person there


def student_sections(problem: LessonProblem) -> dict[int, frozenset[int]]:
    return {student: frozenset(registered) for student, registered in problem.registrations.items()}


def teacher_sections(problem: LessonProblem) -> dict[int, frozenset[int]]:
    taught: dict[int, set[int]] = {}
    for section in problem.sections:
        for teacher in section.teachers:
            taught.setdefault(teacher, set()).add(section.index)
    return {teacher: frozenset(sections) for teacher, sections in taught.items()}


def busy_days(
    problem: LessonProblem, solution: LessonSolution, sections_of: Mapping[int, frozenset[int]]
) -> dict[int, dict[int, DayPeriods]]:
    """Per person, day and period they are in class: the sections holding them (a period held
    twice is still one busy period)."""
    grid = problem.grid
    held_at: dict[int, list[tuple[int, int]]] = {}  # section -> (day, period) of each slot it holds
    for item in placed_meetings(problem, solution):
        held_at.setdefault(item.section, []).extend((grid.day_of(s), grid.period_of(s)) for s in item.slots)
    busy: dict[int, dict[int, DayPeriods]] = {}
    for person, sections in sorted(sections_of.items()):
        days: dict[int, DayPeriods] = {}
        for section in sections:
            for day, period in held_at.get(section, ()):
                days.setdefault(day, {}).setdefault(period, set()).add(section)
        if days:
            busy[person] = days
    return busy


def student_days(problem: LessonProblem, solution: LessonSolution) -> dict[int, dict[int, DayPeriods]]:
    return remembered(
        problem, solution, "students", lambda: busy_days(problem, solution, student_sections(problem))
    )


def teacher_days(problem: LessonProblem, solution: LessonSolution) -> dict[int, dict[int, DayPeriods]]:
    return remembered(
        problem, solution, "teachers", lambda: busy_days(problem, solution, teacher_sections(problem))
    )


def idle_periods(periods: Iterable[int]) -> list[int]:
    """The periods without class between the first and the last class of a day."""
    busy = set(periods)
    if not busy:
        return []
    return [period for period in range(min(busy), max(busy) + 1) if period not in busy]


# --- the posts' side --------------------------------------------------------------------------


@dataclass(frozen=True)
class Busy:
    """Whether a person is in class in a period: always, never, or when `var` is true.

    Two are the same when they stand for the same fact: the OR of the same start literals."""

    always: bool
    literals: frozenset[int] = frozenset()  # indices of the start literals that make it true
    var: cp_model.IntVar | None = field(default=None, compare=False, hash=False)

    @property
    def never(self) -> bool:
        return not self.always and not self.literals

    @property
    def expr(self) -> cp_model.LinearExpr | int:
        return int(self.always) if self.var is None else self.var


ALWAYS = Busy(always=True)
NEVER = Busy(always=False)

Picture = tuple[Busy, ...]  # one per period of the day
DayKey = tuple[int, frozenset[int], frozenset[int]]  # day, fixed busy periods, free meetings that may come


@dataclass
class _Cache:
    """What one model's person-day posts share."""

    ors: dict[frozenset[int], Busy] = field(default_factory=dict)
    ands: dict[frozenset[Busy], cp_model.LinearExprT] = field(default_factory=dict)
    covering: dict[int, dict[int, list[cp_model.IntVar]]] = field(default_factory=dict)
    pictures: dict[str, Counter[Picture]] = field(default_factory=dict)


_caches: WeakKeyDictionary[cp_model.CpModel, _Cache] = WeakKeyDictionary()


def _cache(view: LessonModelView) -> _Cache:
    if view.model not in _caches:
        _caches[view.model] = _Cache()
    return _caches[view.model]


def student_pictures(view: LessonModelView) -> Counter[Picture]:
    """The pictures of the student-days a free meeting may touch, each with its students."""
    cache = _cache(view)
    if "students" not in cache.pictures:
        problem = view.problem
        sections = {problem.meetings[meeting].section for meeting in view.free_meetings()}
        touched = {student for section in sections for student in problem.students_of[section]}
        alike = Counter(frozenset(problem.registrations[student]) for student in touched)
        cache.pictures["students"] = _pictures(view, alike)
    return cache.pictures["students"]


def teacher_pictures(view: LessonModelView) -> Counter[Picture]:
    """The pictures of the teacher-days a free meeting may touch, each with its teachers."""
    cache = _cache(view)
    if "teachers" not in cache.pictures:
        problem = view.problem
        taught = teacher_sections(problem)
        sections = {problem.meetings[meeting].section for meeting in view.free_meetings()}
        touched = {teacher for section in sections for teacher in problem.sections[section].teachers}
        alike = Counter(taught[teacher] for teacher in touched)
        cache.pictures["teachers"] = _pictures(view, alike)
    return cache.pictures["teachers"]


def _pictures(view: LessonModelView, alike: Counter[frozenset[int]]) -> Counter[Picture]:
    """From people grouped by the sections they attend, the pictures of their days a free
    meeting may touch, each with the number of people it describes."""
    problem = view.problem
    grid = problem.grid
    free_of: dict[int, list[int]] = {}  # section -> its free meetings
    for meeting in view.free_meetings():
        free_of.setdefault(problem.meetings[meeting].section, []).append(meeting)
    fixed_slots: dict[int, list[int]] = {}  # section -> slots its fixed meetings hold
    for item in view.fixed_meetings():
        fixed_slots.setdefault(item.section, []).extend(item.slots)
    days: Counter[DayKey] = Counter()
    for sections, people in alike.items():
        coming: dict[int, set[int]] = {}  # day -> free meetings of theirs that may take it
        for section in sections:
            for meeting in free_of.get(section, ()):
                for start in view.start_literals(meeting):
                    coming.setdefault(grid.day_of(start), set()).add(meeting)
        if not coming:
            continue
        fixed: dict[int, set[int]] = {}  # day -> periods a fixed meeting of theirs holds
        for section in sections:
            for slot in fixed_slots.get(section, ()):
                fixed.setdefault(grid.day_of(slot), set()).add(grid.period_of(slot))
        for day, meetings in coming.items():
            days[day, frozenset(fixed.get(day, ())), frozenset(meetings)] += people
    pictures: Counter[Picture] = Counter()
    for key, people in days.items():
        pictures[_picture(view, *key)] += people
    return pictures


def _picture(view: LessonModelView, day: int, fixed: frozenset[int], meetings: frozenset[int]) -> Picture:
    grid = view.problem.grid
    picture = []
    for period in range(grid.periods_per_day):
        if period in fixed:
            picture.append(ALWAYS)  # the model keeps their free meetings away from it
            continue
        slot = grid.slot(day, period)
        literals = [literal for meeting in meetings for literal in covering(view, meeting).get(slot, ())]
        picture.append(any_of(view, literals))
    return tuple(picture)


def covering(view: LessonModelView, meeting: int) -> dict[int, list[cp_model.IntVar]]:
    """Per slot, the start literals of a free meeting that would hold it."""
    cache = _cache(view)
    if meeting not in cache.covering:
        length = view.problem.meetings[meeting].length
        held: dict[int, list[cp_model.IntVar]] = {}
        for start, literal in view.start_literals(meeting).items():
            for slot in range(start, start + length):
                held.setdefault(slot, []).append(literal)
        cache.covering[meeting] = held
    return cache.covering[meeting]


def any_of(view: LessonModelView, literals: list[cp_model.IntVar]) -> Busy:
    """Busy exactly when one of these start literals is true."""
    if not literals:
        return NEVER
    key = frozenset(literal.index for literal in literals)
    if len(key) == 1:
        return Busy(always=False, literals=key, var=literals[0])
    cache = _cache(view)
    if key not in cache.ors:
        flag = view.model.new_bool_var(f"busy[{len(cache.ors)}]")
        view.model.add_bool_or([flag.negated(), *literals])
        for literal in literals:
            view.model.add_implication(literal, flag)
        cache.ors[key] = Busy(always=False, literals=key, var=flag)
    return cache.ors[key]


def either(view: LessonModelView, first: Busy, second: Busy) -> Busy:
    """Busy exactly when one of the two is."""
    if first.always or second.always:
        return ALWAYS
    if second.literals <= first.literals:  # never is the empty set
        return first
    if first.literals <= second.literals:
        return second
    cache = _cache(view)
    key = first.literals | second.literals
    if key not in cache.ors:
        assert first.var is not None and second.var is not None
        flag = view.model.new_bool_var(f"busy[{len(cache.ors)}]")
        view.model.add_bool_or([flag.negated(), first.var, second.var])
        view.model.add_implication(first.var, flag)
        view.model.add_implication(second.var, flag)
        cache.ors[key] = Busy(always=False, literals=key, var=flag)
    return cache.ors[key]


def all_of(view: LessonModelView, periods: Iterable[Busy]) -> cp_model.LinearExprT:
    """1 exactly when every one of these periods is busy."""
    open_ = frozenset(busy for busy in periods if not busy.always)
    if any(busy.never for busy in open_):
        return 0
    if len(open_) <= 1:
        return next(iter(open_)).expr if open_ else 1
    cache = _cache(view)
    if open_ not in cache.ands:
        flags = [busy.var for busy in open_ if busy.var is not None]
        every = view.model.new_bool_var(f"all_busy[{len(cache.ands)}]")
        view.model.add_bool_or([every, *(flag.negated() for flag in flags)])
        for flag in flags:
            view.model.add_implication(every, flag)
        cache.ands[open_] = every
    return cache.ands[open_]


def idle_expression(view: LessonModelView, picture: Picture) -> cp_model.LinearExprT:
    """The idle periods of a day between its first and last class.

    With `before[p]` (a class at p or earlier) and `after[p]` (a class at p or later), the
    periods from the first class to the last are those with both, and the idle ones number
    sum(before) + sum(after) - periods * any - sum(busy), where any (a class that day) makes a
    day without class 0. Every indicator is exact, so the sum is exact too."""
    before = _running(view, picture)
    after = _running(view, picture[::-1])[::-1]
    terms = [busy.expr for busy in before] + [busy.expr for busy in after]
    return (
        cp_model.LinearExpr.sum(terms)
        - cp_model.LinearExpr.sum([busy.expr for busy in picture])
        - len(picture) * before[-1].expr
    )


def _running(view: LessonModelView, picture: Picture) -> list[Busy]:
    """Per period: busy at it or any period before it."""
    running, so_far = [], NEVER
    for busy in picture:
        so_far = either(view, so_far, busy)
        running.append(so_far)
    return running
