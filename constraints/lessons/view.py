"""What a constraint sees of a lesson CP-SAT model: the decisions of the meetings re-decided.

As for exams, the model may decide every meeting or only a few while the others stay put; a
constraint posts only the terms that involve a free meeting. Places a free meeting cannot take
(unavailable times, unsuitable rooms, times and rooms the fixed meetings already hold, times a
fixed meeting of one of its registered students takes) have no
variable at all, so hard rules only need to post what free meetings could break among
themselves.
"""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from constraints.lessons.timetable import Placed
from models import LessonProblem


class LessonModelView(Protocol):
    model: cp_model.CpModel
    problem: LessonProblem

    def free_meetings(self) -> list[int]: ...

    def is_free(self, meeting: int) -> bool: ...

    def fixed_meetings(self) -> list[Placed]:
        """The meetings that stay where they are (placed ones only)."""
        ...

    def placement_literals(self, meeting: int) -> dict[tuple[int, int], cp_model.IntVar]:
        """For a free meeting: one Boolean per (start, room) it may take; exactly one is true."""
        ...

    def start_literals(self, meeting: int) -> dict[int, cp_model.IntVar]:
        """For a free meeting: one Boolean per start it may take; exactly one is true."""
        ...

    def cohorts_of(self, section: int) -> list[int]:
        """The cohorts that take this section."""
        ...
