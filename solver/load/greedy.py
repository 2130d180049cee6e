"""A first distribution of load: big and hard-to-staff items first, each to the candidates furthest
below target who still have room, keeping streams and last year's teachers together; then moves
that take overloaded teachers back under their norm and bring underloaded ones up to their minimum,
and moves that narrow the largest gap between a teacher's load and target."""

from __future__ import annotations

from models.load import LECTURE, LoadItem, LoadProblem, LoadSolution

REPAIR_ROUNDS = 3
BALANCE_MOVES = 20  # per teacher at most


class _Plan:
    def __init__(self, problem: LoadProblem) -> None:
        self.problem = problem
        self.loads = [0] * len(problem.teachers)
        self.maximum = [problem.maximum(t) for t in problem.teachers]
        self.target = [problem.target(t) for t in problem.teachers]
        self.chosen: list[list[int]] = [[] for _ in problem.items]
        self.term_loads = {1: [0] * len(problem.teachers), 2: [0] * len(problem.teachers)}

    def preference(self, item: LoadItem, teacher: int) -> tuple[bool, int]:
        """Teachers with room first, then the furthest below target, streams and history kept."""
        fits = self.loads[teacher] + item.share <= self.maximum[teacher]
        lecturers = self.chosen[item.lecture] if item.lecture is not None else []
        keep = 40 * (teacher in item.previous) + 60 * (teacher in lecturers)
        unwanted = 200 * (item.course in self.problem.teachers[teacher].unwanted)
        term_room = self.target[teacher] // 2 - self.term_loads[item.term][teacher]
        return (not fits, -(self.target[teacher] - self.loads[teacher] + term_room + keep - unwanted))

    def place(self, item: LoadItem) -> None:
        fixed = list(dict.fromkeys(item.fixed))
        others = [t for t in self.problem.candidates[item.index] if t not in fixed]
        others.sort(key=lambda teacher: self.preference(item, teacher))
        for teacher in (fixed + others)[: item.teachers]:
            self.loads[teacher] += item.share
            self.term_loads[item.term][teacher] += item.share
            self.chosen[item.index].append(teacher)

    def move(self, item: LoadItem, source: int, receiver: int) -> None:
        self.chosen[item.index][self.chosen[item.index].index(source)] = receiver
        self.loads[source] -= item.share
        self.loads[receiver] += item.share
        self.term_loads[item.term][source] -= item.share
        self.term_loads[item.term][receiver] += item.share

    def balance(self) -> None:
        """Hand items to the teacher furthest from target from teachers who stay closer to theirs,
        while that narrows the largest gap."""
        teachers = self.problem.teachers
        takes: list[list[LoadItem]] = [[] for _ in teachers]
        for item, candidates in zip(self.problem.items, self.problem.candidates, strict=True):
            for teacher in candidates:
                takes[teacher].append(item)

        def gap(teacher: int, change: int = 0) -> int:
            return abs(self.target[teacher] - self.loads[teacher] - change)

        for _ in range(BALANCE_MOVES * len(teachers)):
            furthest = max(range(len(teachers)), key=gap)
            best: tuple[int, LoadItem, int] | None = None
            for item in takes[furthest]:
                team = self.chosen[item.index]
                if furthest in team or self.loads[furthest] + item.share > self.maximum[furthest]:
                    continue
                for source in team:
                    if source in item.fixed or self.loads[source] - item.share < teachers[source].minimum:
                        continue
                    worse = max(gap(furthest, item.share), gap(source, -item.share))
                    if worse < gap(furthest) and (best is None or worse < best[0]):
                        best = (worse, item, source)
            if best is None:
                return
            self.move(best[1], best[2], furthest)

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
    plan.balance()
    return LoadSolution(problem_name=problem.name, teachers=tuple(tuple(team) for team in plan.chosen))
