"""The CP-SAT model of a teaching load: one Boolean per item and teacher who may take it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import ModuleType

from ortools.sat.python import cp_model

from models.load import LoadProblem, LoadSolution


class LoadCpModel:
    """The decisions `teaches[item, teacher]`, each teacher's load as a linear sum, and the rules."""

    def __init__(
        self,
        problem: LoadProblem,
        relaxed: frozenset[str] = frozenset(),
        cap: int | None = None,
        model: cp_model.CpModel | None = None,
    ) -> None:
        """`cap`: every teacher within this many hours of target (the largest deviation already settled);
        `model`: a CP-SAT model to add to (the lesson timetable's, when both are solved together)."""
        self.problem = problem
        self.relaxed = relaxed
        self.cap = cap
        self.model = model if model is not None else cp_model.CpModel()
        self.teaches: dict[tuple[int, int], cp_model.IntVar] = {}
        self._by_item: list[dict[int, cp_model.IntVar]] = []
        self._by_teacher: dict[int, list[int]] = defaultdict(list)
        for item, candidates in zip(problem.items, problem.candidates, strict=True):
            literals = {}
            for teacher in candidates:
                literal = self.model.new_bool_var(f"teaches[{item.index},{teacher}]")
                literals[teacher] = literal
                self.teaches[item.index, teacher] = literal
                self._by_teacher[teacher].append(item.index)
            self._by_item.append(literals)
        self._loads: dict[tuple[int, int | None], cp_model.LinearExpr] = {}

    def assigned(self, item: int) -> dict[int, cp_model.IntVar]:
        return self._by_item[item]

    def items_of(self, teacher: int) -> list[int]:
        return self._by_teacher.get(teacher, [])

    def load(self, teacher: int, term: int | None = None) -> cp_model.LinearExpr:
        key = (teacher, term)
        if key not in self._loads:
            items = self.problem.items
            self._loads[key] = cp_model.LinearExpr.weighted_sum(
                [self._by_item[i][teacher] for i in self.items_of(teacher) if term in (None, items[i].term)],
                [items[i].share for i in self.items_of(teacher) if term in (None, items[i].term)],
            )
        return self._loads[key]

    def post(self, units: list[ModuleType] | tuple[ModuleType, ...], weights: dict[str, int]) -> None:
        """Post every hard rule and the weighted soft ones (and relaxed hard ones) into the objective."""
        self.model.minimize(self.penalties(units, weights))

    def penalties(
        self, units: list[ModuleType] | tuple[ModuleType, ...], weights: dict[str, int]
    ) -> cp_model.LinearExprT:
        """Post every hard rule; the weighted sum of the soft ones (and relaxed hard ones)."""
        terms: list[cp_model.LinearExprT] = []
        if self.cap is not None:
            for teacher in self.problem.teachers:
                target = self.problem.target(teacher)
                self.model.add_linear_constraint(
                    self.load(teacher.index), target - self.cap, target + self.cap
                )
        for unit in units:
            weight = weights.get(unit.NAME, 0)
            if not unit.HARD and not weight:
                continue  # a criterion switched off adds nothing to the model
            penalty = unit.post(self)
            if weight and (not unit.HARD or unit.NAME in self.relaxed):
                terms.append(weight * penalty)
        return sum(terms)

    def least_load(self, teacher: int) -> int:
        """What the cap on the deviation leaves a teacher at least (it is posted whatever the units)."""
        if self.cap is None:
            return 0
        return max(0, self.problem.target(self.problem.teachers[teacher]) - self.cap)

    def decision_variables(self) -> list[cp_model.IntVar]:
        return list(self.teaches.values())

    def hint(self, solution: LoadSolution, pairs: Iterable[tuple[int, int]] | None = None) -> None:
        """Hints from `solution` for every decision, or for those of `pairs` alone (a neighbourhood's
        free ones: hinting the fixed rest costs time)."""
        for item, teacher in self.teaches if pairs is None else pairs:
            self.model.add_hint(self.teaches[item, teacher], teacher in solution.teachers[item])

    def fix(self, solution: LoadSolution) -> bool:
        """Fix the decisions to a solution; False when it uses a teacher the model has no Boolean for."""
        for item, given in enumerate(solution.teachers):
            if any(teacher not in self._by_item[item] for teacher in given):
                return False
        for (item, teacher), literal in self.teaches.items():
            self.model.add(literal == int(teacher in solution.teachers[item]))
        return True

    def free_only(self, solution: LoadSolution, teachers: set[int]) -> list[tuple[int, int]]:
        """Every decision fixed to `solution` but those of the items `teachers` hold, which may go to
        any of `teachers` that may take them: a neighbourhood for CP-SAT to re-solve. The bounds are
        rewritten in place, so one model serves neighbourhood after neighbourhood; what comes back
        is the (item, teacher) pairs left free."""
        variables = self.model.proto.variables
        free = []
        for (item, teacher), literal in self.teaches.items():
            held = solution.teachers[item]
            domain = variables[literal.index].domain
            if teacher in teachers and not teachers.isdisjoint(held):
                domain[0], domain[1] = 0, 1
                free.append((item, teacher))
            else:
                domain[0] = domain[1] = int(teacher in held)
        return free

    def decode_only(
        self, solution: LoadSolution, pairs: list[tuple[int, int]], values: dict[int, int]
    ) -> LoadSolution:
        """`solution` with the decisions of `pairs` read from `values` (a neighbourhood's solve)."""
        teams = list(solution.teachers)
        changed: dict[int, set[int]] = {}
        for item, teacher in pairs:
            team = changed.setdefault(item, set(teams[item]))
            if values[self.teaches[item, teacher].index]:
                team.add(teacher)
            else:
                team.discard(teacher)
        for item, team in changed.items():  # in the order `decode` gives
            teams[item] = tuple(teacher for teacher in self._by_item[item] if teacher in team)
        return LoadSolution(problem_name=self.problem.name, teachers=tuple(teams))

    def decode(self, values: dict[int, int]) -> LoadSolution:
        return LoadSolution(
            problem_name=self.problem.name,
            teachers=tuple(
                tuple(teacher for teacher, literal in literals.items() if values[literal.index])
                for literals in self._by_item
            ),
        )
