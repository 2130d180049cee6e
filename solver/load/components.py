"""Independent parts of a load problem: teachers and items linked by who may teach what.

Two items are in the same part when a teacher could take both (or one is the other's lecture);
parts share nothing but the largest deviation, so each is solved on its own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher


@dataclass
class Part:
    """A sub-problem and where its teachers and items sit in the whole."""

    problem: LoadProblem
    teachers: list[int]  # local index -> global teacher
    items: list[int]  # local index -> global item

    @classmethod
    def whole(cls, problem: LoadProblem) -> Part:
        """The whole problem as one part."""
        return cls(problem, list(range(len(problem.teachers))), list(range(len(problem.items))))


def split(problem: LoadProblem) -> list[Part]:
    parent = list(range(len(problem.teachers) + len(problem.items)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(first: int, second: int) -> None:
        parent[find(first)] = find(second)

    offset = len(problem.teachers)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        for candidate in (*candidates, *item.previous):
            join(offset + item.index, candidate)
        if item.lecture is not None:
            join(offset + item.index, offset + item.lecture)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for person in problem.teachers:
        groups.setdefault(find(person.index), ([], []))[0].append(person.index)
    for item in problem.items:
        groups.setdefault(find(offset + item.index), ([], []))[1].append(item.index)
    return [_part(problem, teachers, items) for teachers, items in groups.values()]


def of_departments(problem: LoadProblem, departments: Collection[str]) -> Part:
    """The parts holding the departments' items, as one: their items and teachers, and whoever and
    whatever who may teach what links to them (a teacher of another department qualified for one of
    their items comes with all of their own department's load)."""
    known = sorted({item.department for item in problem.items if item.department})
    unknown = sorted(set(departments) - set(known))
    if unknown:
        raise ValueError(
            f"no load item of {problem.name!r} belongs to department {', '.join(map(repr, unknown))}; its "
            "departments are " + (", ".join(known) or "none")
        )
    parts = [
        part for part in split(problem) if any(problem.items[i].department in departments for i in part.items)
    ]
    teachers = sorted(t for part in parts for t in part.teachers)
    items = sorted(i for part in parts for i in part.items)
    return _part(problem, teachers, items)


def on_part(problem: LoadProblem, part: Part, solution: LoadSolution) -> LoadSolution:
    """The whole problem's distribution restricted to a part (its teachers renumbered); a teacher
    outside the part on one of its items is an error."""
    local = {teacher: position for position, teacher in enumerate(part.teachers)}
    for item in part.items:
        outside = [t for t in solution.teachers[item] if t not in local]
        if outside:
            raise ValueError(
                f"{problem.teachers[outside[0]].name} teaches {problem.items[item].name}, but may teach "
                f"nothing of {problem.items[item].department or 'its'} department's part of the load"
            )
    return LoadSolution(
        problem_name=part.problem.name,
        teachers=tuple(tuple(local[t] for t in solution.teachers[i]) for i in part.items),
    )


def covered(problem: LoadProblem, solution: LoadSolution) -> tuple[Part, LoadSolution]:
    """The part of the year a distribution speaks for, and the distribution on it: the departments of
    the items it gives a teacher, with all their items and teachers, and every teacher of another
    department it names on those items, fixes on them or had on them last year. So a department's
    own distribution is judged by its own rules rather than as a year leaving every other
    department's load untaught. A teacher of another department is judged on the hours given here
    alone (no minimum, and those hours as target: the rest of their year is their department's).
    A distribution that gives no item a teacher speaks for the whole year."""
    departments = {problem.items[i].department for i, team in enumerate(solution.teachers) if team}
    # A practice's lecture comes along with its department (streams are priced whole).
    lectures = (item.lecture for item in problem.items if item.department in departments)
    departments |= {problem.items[lecture].department for lecture in lectures if lecture is not None}
    items = [item.index for item in problem.items if item.department in departments]
    if not items or len(items) == len(problem.items):
        return Part.whole(problem), solution
    named = {
        t for i in items for t in (*solution.teachers[i], *problem.items[i].fixed, *problem.items[i].previous)
    }
    teachers = [p.index for p in problem.teachers if p.department in departments or p.index in named]
    part = _part(problem, teachers, items)
    restricted = on_part(problem, part, solution)
    hours = restricted.loads(part.problem)
    judged = tuple(
        person
        if person.department in departments
        else person.model_copy(
            update={"minimum": 0, "target": min(hours[person.index], part.problem.maximum(person))}
        )
        for person in part.problem.teachers
    )
    judged_problem = LoadProblem(
        name=problem.name, teachers=judged, items=part.problem.items, contact_cap=problem.contact_cap
    )
    return Part(judged_problem, teachers, items), restricted


def _part(problem: LoadProblem, teachers: list[int], items: list[int]) -> Part:
    local_teacher = {teacher: position for position, teacher in enumerate(teachers)}
    local_item = {item: position for position, item in enumerate(items)}
    sub_teachers = tuple(
        LoadTeacher.model_validate(problem.teachers[t].model_dump() | {"index": local_teacher[t]})
        for t in teachers
    )
    sub_items = []
    for item_index in items:
        item = problem.items[item_index]
        sub_items.append(
            LoadItem.model_validate(
                item.model_dump()
                | {
                    "index": local_item[item_index],
                    "fixed": tuple(local_teacher[t] for t in item.fixed),
                    "previous": tuple(local_teacher[t] for t in item.previous),
                    "lecture": None if item.lecture is None else local_item[item.lecture],
                }
            )
        )
    sub = LoadProblem(
        name=problem.name, teachers=sub_teachers, items=tuple(sub_items), contact_cap=problem.contact_cap
    )
    return Part(sub, teachers, items)


def part_size(problem: LoadProblem) -> int:
    """A part's share of the work: its item-teacher pairs (the bounds beside share their time out by it)."""
    return sum(map(len, problem.candidates)) + 1


def join_solutions(problem: LoadProblem, parts: list[Part], solutions: list[LoadSolution]) -> LoadSolution:
    teachers: list[tuple[int, ...]] = [() for _ in problem.items]
    for part, solution in zip(parts, solutions, strict=True):
        for local, given in enumerate(solution.teachers):
            teachers[part.items[local]] = tuple(part.teachers[t] for t in given)
    return LoadSolution(problem_name=problem.name, teachers=tuple(teachers))
