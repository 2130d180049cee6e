"""What a constraint sees of a teaching-load CP-SAT model: one Boolean per item and teacher who may take it.

The solver owns the variables: `assigned(item)` holds a Boolean for each candidate teacher of the
item (qualified, speaking its language, there in its term, or fixed on it); a teacher without a
Boolean cannot take the item. A hard rule named in `relaxed` posts its breaches as penalties in its
own units instead of forbidding them (a draft that names the culprits).
"""

from __future__ import annotations

from typing import Protocol

from ortools.sat.python import cp_model

from models.load import LoadProblem


class LoadModelView(Protocol):
    model: cp_model.CpModel
    problem: LoadProblem
    relaxed: frozenset[str]

    def assigned(self, item: int) -> dict[int, cp_model.IntVar]:
        """Per candidate teacher of the item, true when they teach it."""
        ...

    def load(self, teacher: int, term: int | None = None) -> cp_model.LinearExpr:
        """The hours credited to a teacher over the year or in one term."""
        ...

    def items_of(self, teacher: int) -> list[int]:
        """The items the teacher may take."""
        ...

    def least_load(self, teacher: int) -> int:
        """Hours the teacher has at least in every distribution the model allows."""
        ...
