"""The master-class CP-SAT model: one Boolean per event, start and hall that fits."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

from constraints.masterclasses.placement import problem_with
from models import MasterClassProblem, MasterClassSolution
from solver.engine import post_units


class MasterClassCpModel:
    """Implements MasterClassModelView; only the options the placement rule allows exist."""

    def __init__(self, problem: MasterClassProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self._options: list[dict[tuple[int, int], cp_model.IntVar]] = []
        for event in problem.classes:
            self._options.append(
                {
                    (start, hall): self.model.new_bool_var(f"held[{event.index},{start},{hall}]")
                    for start in sorted(event.starts)
                    for hall in problem.allowed_halls(event.index)
                    if problem_with(problem, event.index, start, hall) is None
                }
            )

    def options(self, event: int) -> dict[tuple[int, int], cp_model.IntVar]:
        return self._options[event]

    def post(self, units: tuple[ModuleType, ...] | list[ModuleType], weights: dict[str, int]) -> None:
        post_units(self, units, weights)

    def decision_variables(self) -> list[cp_model.IntVar]:
        return [held for options in self._options for held in options.values()]

    def fix(self, solution: MasterClassSolution) -> bool:
        for event, options in enumerate(self._options):
            chosen = (solution.starts[event], solution.halls[event])
            if chosen[0] is not None and chosen not in options:
                return False
            for key, held in options.items():
                self.model.add(held == int(key == chosen))
        return True

    def decode(self, values: dict[int, int]) -> MasterClassSolution:
        chosen = [
            next((key for key, held in options.items() if values[held.index]), None)
            for options in self._options
        ]
        return MasterClassSolution(
            problem_name=self.problem.name,
            starts=tuple(None if key is None else key[0] for key in chosen),
            halls=tuple(None if key is None else key[1] for key in chosen),
        )
