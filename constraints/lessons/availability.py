"""A meeting is held only when its section, its teachers and its room are available, and only in
a room suitable for it."""

from __future__ import annotations

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "availability"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting and slot it may not use, and per meeting in an unsuitable room."""
    violations = []
    for item in placed_meetings(problem, solution):
        section = problem.sections[item.section]
        room = problem.rooms[item.room]
        reasons: list[tuple[int | None, str]] = []
        if item.room in section.unsuitable_rooms:
            reasons.append((None, f"{section.name} may not use room {room.name}"))
        if section.room_kind and room.kind != section.room_kind:
            kind = room.kind or "plain room"
            reasons.append(
                (
                    None,
                    f"{section.name} needs a {section.room_kind}, room {room.name} is a {kind}",
                )
            )
        if section.campus and room.campus != section.campus:
            reasons.append(
                (None, f"{section.name} is taught on campus {section.campus}, room {room.name} is not")
            )
        missing = sorted(section.features - room.features)
        if missing:
            reasons.append((None, f"room {room.name} lacks {', '.join(missing)} needed by {section.name}"))
        for slot in item.slots:
            when = slot_name(problem, slot)
            if slot in section.forbidden_slots:
                reasons.append((slot, f"{section.name} may not meet at {when}"))
            if slot in room.unavailable:
                reasons.append((slot, f"room {room.name} is not available at {when}"))
            for teacher in section.teachers:
                if slot in problem.teachers[teacher].unavailable:
                    reasons.append((slot, f"{problem.teachers[teacher].name} is not available at {when}"))
        for when_broken, message in reasons:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(section.index,),
                    rooms=(item.room,),
                    periods=() if when_broken is None else (when_broken,),
                    message=message[0].upper() + message[1:],
                )
            )
    return violations


def post(view: LessonModelView) -> int:
    return 0  # the model offers a free meeting only available times and suitable rooms
