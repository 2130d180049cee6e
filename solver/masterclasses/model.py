"""The master-class CP-SAT model: `place[event, day, start, hall]` for every start inside the
event's windows and every hall, exactly one per event; the rules post the rest."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

from constraints.masterclasses.view import Choice
from models import MasterClassProblem, MasterClassSolution, Placement
from solver.engine import post_units


class MasterClassModel:
    def __init__(
        self, problem: MasterClassProblem, units: tuple[ModuleType, ...], weights: dict[str, int]
    ) -> None:
        self.model = cp_model.CpModel()
        self.problem = problem
        self._choices: list[dict[Choice, cp_model.IntVar]] = []
        self._starts: list[dict[tuple[int, int], cp_model.IntVar]] = []
        for event in problem.events:
            choices: dict[Choice, cp_model.IntVar] = {}
            starts: dict[tuple[int, int], cp_model.IntVar] = {}
            for day, start in problem.starts(event):
                at = self.model.new_bool_var(f"start[{event.index},{day},{start}]")
                starts[day, start] = at
                here = []
                for hall in problem.halls:
                    literal = self.model.new_bool_var(f"place[{event.index},{day},{start},{hall.index}]")
                    choices[day, start, hall.index] = literal
                    here.append(literal)
                self.model.add(sum(here) == at)
            self.model.add_exactly_one(starts.values())
            self._choices.append(choices)
            self._starts.append(starts)
        self.terms = post_units(self, units, weights)

    def choices(self, event: int) -> dict[Choice, cp_model.IntVar]:
        return self._choices[event]

    def start_literal(self, event: int, day: int, start: int) -> cp_model.IntVar | int:
        return self._starts[event].get((day, start), 0)

    def decisions(self) -> list[cp_model.IntVar]:
        return [literal for choices in self._choices for literal in choices.values()]

    def fix(self, solution: MasterClassSolution) -> bool:
        """Hold the model to a placement; False when the model cannot even express it."""
        for event, place in enumerate(solution.places):
            if place is None or (place.day, place.start, place.hall) not in self._choices[event]:
                return False
            self.model.add(self._choices[event][place.day, place.start, place.hall] == 1)
        return True

    def hint(self, solution: MasterClassSolution) -> None:
        for event, place in enumerate(solution.places):
            for key, literal in self._choices[event].items():
                chosen = place is not None and key == (place.day, place.start, place.hall)
                self.model.add_hint(literal, int(chosen))
            for (day, start), literal in self._starts[event].items():
                self.model.add_hint(
                    literal, int(place is not None and (place.day, place.start) == (day, start))
                )

    def solution(self, values: dict[int, int]) -> MasterClassSolution:
        places: list[Placement | None] = []
        for choices in self._choices:
            taken = [key for key, literal in choices.items() if values.get(literal.index)]
            places.append(Placement(day=taken[0][0], start=taken[0][1], hall=taken[0][2]) if taken else None)
        return MasterClassSolution(problem_name=self.problem.name, places=tuple(places))
