"""The load statement: planned hours per teacher and department by component against the norm,
and actual hours against planned."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.load import CLASS_COMPONENTS, LoadProblem, LoadSolution

OTHER = "other"  # non-class work: supervision and the like


@dataclass
class LoadLine:
    """One teacher's or department's planned hours and limits."""

    name: str
    department: str
    by_component: dict[str, int] = field(default_factory=dict)
    minimum: int = 0
    norm: int = 0  # the most allowed: the rank's norm at the rate, within the cap
    target: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_component.values())

    @property
    def over(self) -> int:
        return max(0, self.total - self.norm)

    @property
    def under(self) -> int:
        return max(0, self.minimum - self.total)


@dataclass
class ActualLine:
    name: str
    department: str
    planned: int
    actual: int

    @property
    def deviation(self) -> int:
        return self.actual - self.planned


def teacher_lines(problem: LoadProblem, solution: LoadSolution) -> list[LoadLine]:
    lines = [
        LoadLine(
            t.name,
            t.department,
            {component: 0 for component in (*CLASS_COMPONENTS, OTHER)},
            t.minimum,
            problem.maximum(t),
            problem.target(t),
        )
        for t in problem.teachers
    ]
    for item, teachers in zip(problem.items, solution.teachers, strict=True):
        component = item.component if item.is_class else OTHER
        for teacher in set(teachers):
            lines[teacher].by_component[component] += item.share
    return lines


def department_lines(problem: LoadProblem, solution: LoadSolution) -> list[LoadLine]:
    departments: dict[str, LoadLine] = {}
    for line in teacher_lines(problem, solution):
        total = departments.setdefault(line.department, LoadLine(line.department, line.department))
        for component, hours in line.by_component.items():
            total.by_component[component] = total.by_component.get(component, 0) + hours
        total.minimum += line.minimum
        total.norm += line.norm
        total.target += line.target
    return [departments[name] for name in sorted(departments)]


def actual_lines(
    problem: LoadProblem, plan: LoadSolution, actual: dict[str, int], term: int | None = None
) -> tuple[list[ActualLine], list[ActualLine]]:
    """Per teacher and per department, planned against actual hours (`actual`: teacher name -> hours),
    over the year or in one term. Only the departments whose teachers report hours are compared, so
    a department's own records are not read as every other department teaching nothing (no records
    at all: every department)."""
    planned = plan.loads(problem, term)
    reporting = {t.department for t in problem.teachers if t.name in actual}
    teachers = [
        ActualLine(t.name, t.department, planned[t.index], actual.get(t.name, 0))
        for t in problem.teachers
        if not reporting or t.department in reporting
    ]
    by_department: dict[str, ActualLine] = defaultdict(lambda: ActualLine("", "", 0, 0))
    for line in teachers:
        total = by_department[line.department]
        total.name = total.department = line.department
        total.planned += line.planned
        total.actual += line.actual
    return teachers, [by_department[name] for name in sorted(by_department)]


@dataclass
class Substitution:
    """An item recorded as taught by a teacher the plan did not put on it."""

    item: str
    planned: list[str]
    taught_by: str
    hours: int


def substitutions(
    problem: LoadProblem, plan: LoadSolution, taught: list[tuple[str, str, int]]
) -> list[Substitution]:
    """`taught`: (teacher, item, hours) records that name their item."""
    index = {item.name: item.index for item in problem.items}
    names = [t.name for t in problem.teachers]
    found = []
    for teacher, item, hours in taught:
        planned = [names[t] for t in plan.teachers[index[item]]]
        if teacher not in planned:
            found.append(Substitution(item, planned, teacher, hours))
    return found
