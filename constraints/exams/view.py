"""What a constraint sees of an exam CP-SAT model: the decisions of the exams being re-decided.

The solver owns the variables. A model may re-decide every exam (a full solve) or only a part of
them while the others stay where they are (a large-neighbourhood step). A constraint posts only
the terms that involve at least one free exam; terms among fixed exams are constants the solver
does not need.
"""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from models import ExamProblem


class ExamModelView(Protocol):
    model: cp_model.CpModel
    problem: ExamProblem
    decides_rooms: bool  # False: only periods are decided here, rooms are seated afterwards

    def is_free(self, exam: int) -> bool:
        """True when the model decides this exam's period and room."""
        ...

    def free_exams(self) -> list[int]: ...

    def fixed_period(self, exam: int) -> int:
        """The period of an exam that stays where it is."""
        ...

    def fixed_room(self, exam: int) -> int | None: ...

    def period_literals(self, exam: int) -> dict[int, cp_model.IntVar]:
        """For a free exam: one Boolean per period it may take (exactly one is true)."""
        ...

    def period_var(self, exam: int) -> cp_model.IntVar:
        """For a free exam: its period index as an integer variable."""
        ...

    def placement_literals(self, exam: int) -> dict[tuple[int, int], cp_model.IntVar]:
        """For a free exam: one Boolean per (period, room) it may take (exactly one is true)."""
        ...

    def fixed_in(self, period: int, room: int) -> list[int]:
        """The fixed exams placed in this room in this period."""
        ...

    def fixed_in_period(self, period: int) -> list[int]:
        """The fixed exams placed in this period, whatever their room."""
        ...

    def shared(self, exam: int) -> dict[int, int]:
        """The other exams that share students with this one, and how many students."""
        ...

    @property
    def free_placements(self) -> dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]]:
        """Every (period, room) some free exam may take, with those exams and their literals."""
        ...

    def within(self, first: int, second: int, gap: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when they are 1 to `gap` periods apart, else 0."""
        ...

    def in_a_row(self, first: int, second: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when in consecutive periods of the same day, else 0."""
        ...

    def apart_same_day(self, first: int, second: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when on the same day but not consecutive, else 0."""
        ...
