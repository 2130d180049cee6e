"""What a constraint sees of a master-class CP-SAT model: a Boolean per event, start and hall."""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from models import MasterClassProblem


class MasterClassModelView(Protocol):
    model: cp_model.CpModel
    problem: MasterClassProblem

    def options(self, event: int) -> dict[tuple[int, int], cp_model.IntVar]:
        """(start, hall) -> true when the event is held there then; only fitting options exist."""
        ...
