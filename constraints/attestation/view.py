"""What a constraint sees of an attestation CP-SAT model: the solver's decisions, by domain key.

A hearing is heard by one commission of its programme on one day; a commission that hears
anything on a day sits that day, in one room, with a panel of its present members. The order
and start of the hearings inside a sitting are not decided by CP-SAT: the solver packs them one
after another from the start of the sitting.
"""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from models import AttestationProblem

Sitting = tuple[int, int]  # (commission, day)


class AttestationModelView(Protocol):
    model: cp_model.CpModel
    problem: AttestationProblem

    def heard(self, hearing: int) -> dict[Sitting, cp_model.IntVar]:
        """One Boolean per sitting that may hear this hearing (at most one is true)."""
        ...

    def hearings_at(self, sitting: Sitting) -> list[tuple[int, cp_model.IntVar]]:
        """The hearings a sitting may hear, each with its Boolean."""
        ...

    def sits(self) -> dict[Sitting, cp_model.IntVar]:
        """One Boolean per possible sitting: true when the commission hears anything that day."""
        ...

    def present(self, sitting: Sitting) -> dict[int, cp_model.IntVar]:
        """For each member available that day, true when they sit on the panel."""
        ...

    def rooms(self, sitting: Sitting) -> dict[int, cp_model.IntVar]:
        """For each room free that day, true when the sitting is held there."""
        ...
