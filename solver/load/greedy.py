"""A first distribution of load: big and hard-to-staff items first, each to the candidates furthest
below target who still have room, keeping streams and last year's teachers together; then moves
that take overloaded teachers back under their norm and bring underloaded ones up to their minimum."""

from __future__ import annotations

from models.load import LECTURE, LoadItem, LoadProblem, LoadSolution

REPAIR_ROUNDS = 3


class _Plan:
    def __init__(self, problem: LoadProblem) -> None:
        self.problem = problem
        self.loads = [0] * len(problem.teachers)
        self.maximum = [problem.maximum(t) for t in problem.teachers]
        self.target = [problem.target(t) for t in problem.teachers]
        self.chosen: list[list[int]] = [[] for _ in problem.items]

    def preference(self, item: LoadItem, teacher: int) -> tuple[bool, int]:
        """Teachers with room first, then the furthest below target, streams and history kept."""
        fits = self.loads[teacher] + item.share <= self.maximum[teacher]
        lecturers = self.chosen[item.lecture] if item.lecture is not None else []
        keep = 40 * (teacher in item.previous) + 60 * (teacher in lecturers)
        unwanted = 200 * (item.course in self.problem.teachers[teacher].unwanted)
        return (not fits, -(self.target[teacher] - self.loads[teacher] + keep - unwanted))

    def place(self, item: LoadItem) -> None:
        fixed = list(dict.fromkeys(item.fixed))
        others = [t for t in self.problem.candidates[item.index] if t not in fixed]
        others.sort(key=lambda teacher: self.preference(item, teacher))
        for teacher in (fixed + others)[: item.teachers]:
            self.loads[teacher] += item.share
            self.chosen[item.index].append(teacher)

    def move(self, item: LoadItem, source: int, receiver: int) -> None:
        self.chosen[item.index][self.chosen[item.index].index(source)] = receiver
        self.loads[source] -= item.share
        self.loads[receiver] += item.share

    def repair(self) -> None:
        """Move items off overloaded teachers and onto underloaded ones while someone can take them."""
        teachers = self.problem.teachers
        for _ in range(REPAIR_ROUNDS):
            moved = False
            for item in sorted(self.problem.items, key=lambda i: i.share):
                for source in list(self.chosen[item.index]):
                    if source in item.fixed:
                        continue
                    over = self.loads[source] > self.maximum[source]
                    for receiver in self.problem.candidates[item.index]:
                        if receiver in self.chosen[item.index]:
                            continue
                        fits = self.loads[receiver] + item.share <= self.maximum[receiver]
                        under = self.loads[receiver] < teachers[receiver].minimum
                        spare = self.loads[source] - item.share >= teachers[source].minimum
                        if fits and (over or (under and spare)):
                            self.move(item, source, receiver)
                            moved = True
                            break
            if not moved:
                return


def greedy_load(problem: LoadProblem) -> LoadSolution:
    """Every item its teachers; where the rules leave no room, the least-bad choice (not always feasible)."""
    plan = _Plan(problem)
    order = sorted(
        problem.items,
        key=lambda i: (i.component != LECTURE, len(problem.candidates[i.index]) / i.teachers, -i.hours),
    )
    for item in order:
        plan.place(item)
    plan.repair()
    return LoadSolution(problem_name=problem.name, teachers=tuple(tuple(team) for team in plan.chosen))
