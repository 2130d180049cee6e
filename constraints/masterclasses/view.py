"""What a constraint sees of a master-class CP-SAT model: one Boolean per (event, day, start,
hall) the event may take, exactly one of each event's being true (the solver posts that)."""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from models import MasterClassProblem

Choice = tuple[int, int, int]  # (day, start minute, hall)


class MasterClassView(Protocol):
    model: cp_model.CpModel
    problem: MasterClassProblem

    def choices(self, event: int) -> dict[Choice, cp_model.IntVar]: ...

    def start_literal(self, event: int, day: int, start: int) -> cp_model.IntVar | int:
        """True when the event starts then, whatever its hall (0 when it never can)."""
        ...
