"""Every event gets a timeslot and a room."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from constraints.lessons import timetable
from constraints.lessons.timetable import placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "distance to feasibility"
HARD = True

_SHOWN = 5  # a message lists at most this many student numbers

Place = tuple[int, int]  # (timeslot, room)
Week = tuple[frozenset[int], tuple[int, ...]]  # a student's free meetings, their fixed events' starts


def weight(problem: LessonProblem) -> int:
    return 1


def event_places(problem: LessonProblem, solution: LessonSolution) -> list[Place | None]:
    """The timeslot and room of each event's meeting, or None unless it has a real one of each."""
    places: list[Place | None] = [None] * len(problem.sections)
    for item in placed_meetings(problem, solution):
        places[item.section] = (item.start, item.room)
    return places


def student_days(
    problem: LessonProblem, places: Sequence[Place | None]
) -> dict[int, dict[int, dict[int, list[int]]]]:
    """Per student, per day, per period of the day: their placed events there, in event order."""
    grid = problem.grid
    days: dict[int, dict[int, dict[int, list[int]]]] = {}
    for student, registered in problem.registrations.items():
        mine: dict[int, dict[int, list[int]]] = {}
        for event in sorted(set(registered)):
            place = places[event]
            if place is not None:
                day = mine.setdefault(grid.day_of(place[0]), {})
                day.setdefault(grid.period_of(place[0]), []).append(event)
        days[student] = mine
    return days


def free_meeting_of(view: LessonModelView) -> dict[int, int]:
    """Per event re-decided by the model: its one meeting."""
    return {view.problem.meetings[meeting].section: meeting for meeting in view.free_meetings()}


def weeks_with_free_events(view: LessonModelView) -> Counter[Week]:
    """The students with a free event, grouped by what the model sees of their week: how many
    have each (students alike in it get the same terms, posted once)."""
    free = free_meeting_of(view)
    fixed = {item.section: item.start for item in view.fixed_meetings()}
    weeks: Counter[Week] = Counter()
    for registered in view.problem.registrations.values():
        events = set(registered)
        mine = frozenset(free[event] for event in events if event in free)
        if mine:
            weeks[mine, tuple(sorted(fixed[event] for event in events if event in fixed))] += 1
    return weeks


def slot_name(problem: LessonProblem, slot: int) -> str:
    """'timeslot 12 (Tue period 3)': the competition's number first, as solution files give it."""
    return f"timeslot {slot} ({timetable.slot_name(problem, slot)})"


def students_named(students: Sequence[int]) -> str:
    """'student 12' or '3 students (12, 40, 41)', at most a few numbers shown."""
    if len(students) == 1:
        return f"student {students[0]}"
    shown = ", ".join(str(student) for student in students[:_SHOWN])
    more = ", ..." if len(students) > _SHOWN else ""
    return f"{len(students)} students ({shown}{more})"


def _missing(problem: LessonProblem, solution: LessonSolution, meeting: int) -> str:
    """What the timetable lacks for a meeting: 'no timeslot and no room', 'room 12, which ...'."""
    if meeting >= len(solution.starts):
        return "no entry in the timetable"
    slot, room = solution.starts[meeting], solution.rooms[meeting]
    slots, rooms = problem.grid.slot_count, len(problem.rooms)
    faults = []
    if slot is None:
        faults.append("no timeslot")
    elif not 0 <= slot < slots:
        faults.append(f"timeslot {slot}, which does not exist (0 to {slots - 1})")
    if room is None:
        faults.append("no room")
    elif not 0 <= room < rooms:
        faults.append(f"room {room}, which does not exist (0 to {rooms - 1})")
    return " and ".join(faults)


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per event without a real timeslot and room; cost: the students attending it."""
    violations = []
    for event, place in enumerate(event_places(problem, solution)):
        if place is not None:
            continue
        students = problem.students_of[event]
        missing = _missing(problem, solution, problem.meetings_of[event][0])
        missed = f", so its {students_named(students)} miss it" if students else ""
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(students),
                sections=(event,),
                students=students,
                message=f"Event {event} is left out of the timetable (it has {missing}){missed}",
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    # the model places every free event (one with no place left makes it infeasible), so it never
    # leaves an event out: it only completes timetables, and events left out stay fixed constants
    return 0
