"""How violation messages name the students and exams involved, short enough to read."""

from __future__ import annotations

from collections.abc import Sequence

_SHOWN = 5  # a message lists at most this many student numbers


def students_sit(students: Sequence[int]) -> str:
    """'Student 12 sits' or '3 students (12, 40, 41) sit', the subject of a sentence."""
    if len(students) == 1:
        return f"Student {students[0]} sits"
    shown = ", ".join(str(student) for student in students[:_SHOWN])
    more = ", ..." if len(students) > _SHOWN else ""
    return f"{len(students)} students ({shown}{more}) sit"


def counted(count: int, noun: str) -> str:
    """'1 student' or '3 students'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def listing(numbers: Sequence[int]) -> str:
    """'3', '3 and 5' or '3, 5 and 8'."""
    words = [str(number) for number in numbers]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def exams_listing(exams: Sequence[int]) -> str:
    """'exam 3' or 'exams 3, 5 and 8'."""
    return ("exam " if len(exams) == 1 else "exams ") + listing(exams)
