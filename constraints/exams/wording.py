"""How violation messages and explanations name the students, exams and periods involved, short
enough to read: exams by the registrar's name when they have one, periods by date and time."""

from __future__ import annotations

from collections.abc import Sequence

from models.exams import ExamProblem

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


def listing(items: Sequence[int | str], shown: int | None = None) -> str:
    """'3', '3 and 5' or '3, 5 and 8'; past `shown` items, '3, 5, 8 and 4 more'."""
    words = [str(item) for item in items]
    if shown is not None and len(words) > shown:
        return ", ".join(words[:shown]) + f" and {len(words) - shown} more"
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def exams_listing(exams: Sequence[int], shown: int | None = None) -> str:
    """'exam 3' or 'exams 3, 5 and 8'."""
    return ("exam " if len(exams) == 1 else "exams ") + listing(exams, shown)


def exam_label(problem: ExamProblem, exam: int) -> str:
    """The exam's registrar name ('CSE2001 Algorithms'), or its number ('14') when it has none."""
    return problem.exams[exam].name or str(exam)


def the_exams(problem: ExamProblem, exams: Sequence[int], shown: int | None = None) -> str:
    """'exam 3' or 'exams 3 and 5'; named exams 'the exam of CSE2001 Algorithms' or 'the exams of
    CSE2001 Algorithms and MAT1001 Calculus'."""
    if not any(problem.exams[exam].name for exam in exams):
        return exams_listing(exams, shown)
    words = [exam_label(problem, exam) for exam in exams]
    return ("the exam of " if len(exams) == 1 else "the exams of ") + listing(words, shown)


def period_when(problem: ExamProblem, period: int) -> str | None:
    """'Tue 2026-12-22 at 14:00' (or only the day) when the period has a date, else None."""
    found = problem.periods[period]
    if found.date is None:
        return None
    at = f" at {found.start:%H:%M}" if found.start is not None else ""
    return f"{found.date:%a %Y-%m-%d}{at}"


def the_period(problem: ExamProblem, period: int) -> str:
    """'the period on Tue 2026-12-22 at 14:00' when the period has a date, else 'period 3'."""
    when = period_when(problem, period)
    return f"the period on {when}" if when else f"period {period}"


def capital(text: str) -> str:
    """The text with its first letter capitalised, to open a sentence."""
    return text[:1].upper() + text[1:]
