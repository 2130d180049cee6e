"""A hand-made teaching load of three teachers and five items, CP-SAT pricing of a distribution, and
load folders written from CSV rows for the command line."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ortools.sat.python import cp_model

from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher
from solver.load.model import LoadCpModel

ALIYA, BOLAT, DANA = 0, 1, 2
LECTURE, PRACTICE_RU, PRACTICE_KZ, CO_TAUGHT, THESIS = 0, 1, 2, 3, 4


def tiny_problem(**teacher_changes: dict[str, object]) -> LoadProblem:
    """Aliya (professor, at most 100 h), Bolat (lecturer on a half rate: 60 h, at least 20) and Dana
    (assistant, 80 h, away in term 2) share a stream of MAT101 (a lecture, a Russian and a Kazakh
    practice), a co-taught MAT102 lecture with Bolat fixed on it, and a thesis supervision."""
    teachers = [
        LoadTeacher(
            index=ALIYA,
            name="Aliya",
            department="Mathematics",
            rank="professor",
            norm=100,
            qualifications=frozenset({("MAT101", ""), ("MAT102", "")}),
            languages=frozenset({"Kazakh", "Russian"}),
            wanted=frozenset({"MAT101"}),
            unwanted=frozenset({"MAT102"}),
        ),
        LoadTeacher(
            index=BOLAT,
            name="Bolat",
            department="Mathematics",
            rank="lecturer",
            rate=0.5,
            norm=120,
            minimum=20,
            qualifications=frozenset({("MAT101", "practice"), ("MAT102", "")}),
            languages=frozenset({"Russian"}),
            wanted=frozenset({"MAT101"}),
        ),
        LoadTeacher(
            index=DANA,
            name="Dana",
            department="Mathematics",
            rank="assistant",
            norm=80,
            qualifications=frozenset({("", "thesis supervision"), ("MAT101", "practice")}),
            languages=frozenset({"English", "Kazakh", "Russian"}),
            unavailable_terms=frozenset({2}),
        ),
    ]
    for name, changes in teacher_changes.items():
        position = ["aliya", "bolat", "dana"].index(name)
        teachers[position] = teachers[position].model_copy(update=changes)
    items = (
        LoadItem(index=0, name="MAT101 L1", course="MAT101", component="lecture", language="Russian",
                 hours=30, previous=(ALIYA,), department="Mathematics"),
        LoadItem(index=1, name="MAT101 P1.1", course="MAT101", component="practice", language="Russian",
                 hours=30, lecture=LECTURE, previous=(BOLAT,), department="Mathematics"),
        LoadItem(index=2, name="MAT101 P1.2", course="MAT101", component="practice", language="Kazakh",
                 hours=30, lecture=LECTURE, department="Mathematics"),
        LoadItem(index=3, name="MAT102 L1", course="MAT102", component="lecture", language="Russian",
                 hours=40, term=2, teachers=2, fixed=(BOLAT,), department="Mathematics"),
        LoadItem(index=4, name="Mathematics thesis 1", course="Mathematics thesis",
                 component="thesis supervision", hours=20, department="Mathematics"),
    )  # fmt: skip
    return LoadProblem(name="tiny", teachers=tuple(teachers), items=items)


def distribution(*teams: tuple[int, ...]) -> LoadSolution:
    return LoadSolution(problem_name="tiny", teachers=teams)


# Everyone qualified and within limits: loads 80, 50 and 20 hours.
GOOD = distribution((ALIYA,), (BOLAT,), (ALIYA,), (ALIYA, BOLAT), (DANA,))
# Dana takes both practices: loads 50, 20 and 80 hours.
ALTERNATIVE = distribution((ALIYA,), (DANA,), (DANA,), (ALIYA, BOLAT), (DANA,))
# Aliya takes the whole stream: 110 hours against her 100.
OVERLOADED = distribution((ALIYA,), (ALIYA,), (ALIYA,), (ALIYA, BOLAT), (DANA,))
# Bolat lectures MAT101 and gives the Kazakh practice; MAT102 lacks Bolat; Aliya supervises a thesis.
UNQUALIFIED = distribution((BOLAT,), (ALIYA,), (BOLAT,), (ALIYA,), (ALIYA,))


def fixed_objective(
    problem: LoadProblem,
    units: list[ModuleType] | tuple[ModuleType, ...],
    weights: dict[str, int],
    solution: LoadSolution,
    relaxed: frozenset[str] = frozenset(),
) -> float | None:
    """The CP-SAT objective of the units with the decisions fixed to `solution`; None when refused."""
    exact = LoadCpModel(problem, relaxed)
    exact.post(units, weights)
    if not exact.fix(solution):
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(exact.model)
    if status != cp_model.OPTIMAL:
        return None
    return solver.objective_value


def load_folder(
    tmp_path: Path,
    teachers: list[str],
    items: list[str],
    teacher_columns: str = "name,department,rank,norm,qualifications,languages",
) -> Path:
    """A load folder with these teachers (`teacher_columns`) and items (name, course, component,
    department, language, hours)."""
    data = tmp_path / "load"
    data.mkdir()
    (data / "teachers.csv").write_text("\n".join([teacher_columns, *teachers]) + "\n")
    header = "name,course,component,department,language,hours"
    (data / "items.csv").write_text("\n".join([header, *items]) + "\n")
    return data
