"""The teaching-load tables (CSV or XLSX): teachers and load items in, assignments and actual hours
too; every bad cell named by file, line and column. `docs/load.md` describes each column.

A load folder holds `teachers.csv` and `items.csv` (or `.xlsx`); `build_load_problem` makes the
model from in-memory records, so another source (the registrar's database) needs no files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook
from pydantic import ValidationError

from datasets.errors import DatasetError, validation_reason
from datasets.registrar_csv import _check_header, _Row, _Spec
from datasets.registrar_records import RegistrarData, TeacherRecord
from datasets.registrar_tables import _csv, _xlsx
from models.load import (
    ANY,
    CLASS_COMPONENTS,
    CONTACT_CAP,
    RANKS,
    LoadItem,
    LoadProblem,
    LoadSolution,
    LoadTeacher,
)
from models.names import did_you_mean

TEACHERS = _Spec(
    "teachers",
    ("name", "department", "rank"),
    (
        "rate",
        "norm",
        "minimum",
        "target",
        "languages",
        "qualifications",
        "wanted",
        "unwanted",
        "unavailable_terms",
    ),
)
ITEMS = _Spec(
    "items",
    ("name", "course", "component"),
    (
        "department",
        "language",
        "hours",
        "periods",
        "weeks",
        "term",
        "teachers",
        "fixed",
        "last_year",
        "lecture",
        "section",
    ),
)
ASSIGNMENT = _Spec("assignment", ("item", "teachers"))
ACTUAL = _Spec("actual", ("teacher", "hours"), ("item",))
SPECS = {spec.file: spec for spec in (TEACHERS, ITEMS, ASSIGNMENT, ACTUAL)}
# Annual hours of a full rate when a teacher's row gives no norm (a university sets its own).
DEFAULT_NORMS = {
    "professor": 500,
    "associate professor": 550,
    "senior lecturer": 600,
    "lecturer": 650,
    "assistant": 680,
}
WEEKS = 15
_RATE = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class TeacherRow:
    """A teacher as a record, before names are resolved; `source` and `line` locate it for errors."""

    name: str
    department: str
    rank: str
    rate: float = 1.0
    norm: int | None = None
    minimum: int = 0
    target: int | None = None
    languages: tuple[str, ...] = ()
    qualifications: tuple[tuple[str, str], ...] = ()
    wanted: tuple[str, ...] = ()
    unwanted: tuple[str, ...] = ()
    unavailable_terms: tuple[int, ...] = ()
    source: str = "teachers"
    line: int | None = None


@dataclass(frozen=True)
class ItemRow:
    """A load item as a record: teachers and its lecture by name."""

    name: str
    course: str
    component: str
    hours: int
    department: str = ""
    language: str = ""
    term: int = 1
    teachers: int = 1
    fixed: tuple[str, ...] = ()
    last_year: tuple[str, ...] = ()
    lecture: str = ""
    section: str = ""
    source: str = "items"
    line: int | None = None


@dataclass
class ActualRow:
    teacher: str
    hours: int
    item: str = ""
    line: int | None = None


@dataclass
class LoadTables:
    problem: LoadProblem
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)


def build_load_problem(
    name: str, teachers: Sequence[TeacherRow], items: Sequence[ItemRow], contact_cap: int = CONTACT_CAP
) -> LoadProblem:
    """The load model of records; names of teachers and lectures are resolved, each error located."""
    index: dict[str, int] = {}
    for row in teachers:
        if row.name in index:
            raise DatasetError(row.source, row.line, f"name: teacher {row.name!r} appears twice")
        index[row.name] = len(index)
    item_index: dict[str, int] = {}
    for entry in items:
        if entry.name in item_index:
            raise DatasetError(entry.source, entry.line, f"name: item {entry.name!r} appears twice")
        item_index[entry.name] = len(item_index)

    def people(row: ItemRow, column: str, names: tuple[str, ...]) -> tuple[int, ...]:
        unknown = [person for person in names if person not in index]
        if unknown:
            raise DatasetError(row.source, row.line, f"{column}: unknown teacher {unknown[0]!r}")
        return tuple(index[person] for person in names)

    built_teachers = []
    for position, row in enumerate(teachers):
        if row.rank not in RANKS:
            raise DatasetError(row.source, row.line, f"rank: {row.rank!r} is not one of {', '.join(RANKS)}")
        built_teachers.append(
            _validated(
                row.source,
                row.line,
                lambda row=row, position=position: LoadTeacher(
                    index=position,
                    name=row.name,
                    department=row.department,
                    rank=row.rank,
                    rate=row.rate,
                    norm=DEFAULT_NORMS[row.rank] if row.norm is None else row.norm,
                    minimum=row.minimum,
                    target=row.target,
                    qualifications=frozenset(row.qualifications),
                    languages=frozenset(row.languages),
                    wanted=frozenset(row.wanted),
                    unwanted=frozenset(row.unwanted),
                    unavailable_terms=frozenset(row.unavailable_terms),
                ),
            )
        )
    built_items = []
    for position, entry in enumerate(items):
        if entry.hours % entry.teachers:
            reason = f"hours: {entry.hours} do not split evenly among {entry.teachers} teachers"
            raise DatasetError(entry.source, entry.line, reason)
        if entry.lecture and entry.lecture not in item_index:
            raise DatasetError(entry.source, entry.line, f"lecture: unknown item {entry.lecture!r}")
        fixed, previous = people(entry, "fixed", entry.fixed), people(entry, "last_year", entry.last_year)
        built_items.append(
            _validated(
                entry.source,
                entry.line,
                lambda entry=entry, position=position, fixed=fixed, previous=previous: LoadItem(
                    index=position,
                    name=entry.name,
                    course=entry.course,
                    department=entry.department,
                    component=entry.component,
                    language=entry.language,
                    hours=entry.hours,
                    term=entry.term,
                    teachers=entry.teachers,
                    fixed=fixed,
                    previous=previous,
                    lecture=item_index[entry.lecture] if entry.lecture else None,
                    section=entry.section,
                ),
            )
        )
    problem = _validated(
        name,
        None,
        lambda: LoadProblem(
            name=name, teachers=tuple(built_teachers), items=tuple(built_items), contact_cap=contact_cap
        ),
    )
    for row, teacher in zip(teachers, problem.teachers, strict=True):
        most = problem.maximum(teacher)
        if teacher.target is not None and teacher.target > most:
            reason = (
                f"target: {teacher.target} h is above the most the teacher may have, {most} h (a norm of "
                f"{min(teacher.norm, contact_cap)} h at a rate of {teacher.rate:g}): no load could reach it"
            )
            raise DatasetError(row.source, row.line, reason)
    return problem


def _validated(source: str, line: int | None, build):  # type: ignore[no-untyped-def]
    try:
        return build()
    except ValidationError as error:
        raise DatasetError(source, line, validation_reason(error)) from None
    except ValueError as error:
        raise DatasetError(source, line, str(error)) from None


def read_load_problem(folder: Path) -> LoadProblem:
    """The load problem of a folder holding teachers and items tables (CSV or XLSX)."""
    if not folder.is_dir():
        raise DatasetError(folder, None, "expected a folder holding teachers.csv and items.csv (or .xlsx)")
    teachers = [_teacher_row(row) for row in table_rows(_table(folder, "teachers"), TEACHERS)]
    items = [_item_row(row) for row in table_rows(_table(folder, "items"), ITEMS)]
    _check_courses(teachers, items)
    return build_load_problem(folder.name, teachers, items)


def _check_courses(teachers: Sequence[TeacherRow], items: Sequence[ItemRow]) -> None:
    """Every course whose classes a teacher is qualified for or wishes for is some item's: a misspelt
    code would leave the teacher unqualified, or the wish unheard, without a word. Non-class work
    may be named freely (a teacher may supervise a kind of work none of the year's items is)."""
    courses = {item.course for item in items}
    for row in teachers:
        named = [
            ("qualifications", course)
            for course, component in row.qualifications
            if course != ANY and component in (ANY, *CLASS_COMPONENTS)
        ]
        named += [("wanted", course) for course in row.wanted]
        named += [("unwanted", course) for course in row.unwanted]
        for column, course in named:
            if course not in courses:
                reason = f"{column}: no item is of course {course!r}{did_you_mean(course, sorted(courses))}"
                raise DatasetError(row.source, row.line, reason)


def _table(folder: Path, stem: str) -> Path:
    for suffix in (".csv", ".xlsx"):
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    raise DatasetError(folder / f"{stem}.csv", None, f"file not found (nor {stem}.xlsx)")


def table_rows(path: Path, spec: _Spec) -> Iterator[_Row]:
    """The data rows of a CSV or XLSX table whose header fits `spec`."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise DatasetError(path, None, f"cannot read file: {error.strerror or error}") from None
    header, rows = (_xlsx if path.suffix.lower() == ".xlsx" else _csv)(path, content)
    _check_header(path, header, spec)
    for line, cells in rows:
        if len(cells) > len(header):
            raise DatasetError(path, line, f"{len(cells)} fields but the header names {len(header)} columns")
        yield _Row(path, line, dict(zip(header, cells, strict=False)))


def _optional_whole(row: _Row, column: str) -> int | None:
    return row.whole(column) if row.text(column) else None


def _counted(row: _Row, column: str, default: int) -> int:
    """A count of at least one; an empty cell is `default` (a 0 is a mistake, named)."""
    count = _optional_whole(row, column)
    if count is None:
        return default
    if count < 1:
        raise row.error(column, f"at least 1, found {count}")
    return count


def _teacher_row(row: _Row) -> TeacherRow:
    rate_text = row.text("rate") or "1"
    if not _RATE.fullmatch(rate_text) or not 0 < float(rate_text) <= 2:
        raise row.error("rate", f"must be a share of a full rate such as 1 or 0.5, found {rate_text!r}")
    terms = []
    for term in row.items("unavailable_terms"):
        if term not in ("1", "2"):
            raise row.error("unavailable_terms", f"a term is 1 or 2, found {term!r}")
        terms.append(int(term))
    return TeacherRow(
        name=row.text("name", required=True),
        department=row.text("department"),
        rank=row.text("rank", required=True).lower(),
        rate=float(rate_text),
        norm=_optional_whole(row, "norm"),
        minimum=_optional_whole(row, "minimum") or 0,
        target=_optional_whole(row, "target"),
        languages=row.items("languages"),
        qualifications=tuple(_qualification(row, entry) for entry in row.items("qualifications")),
        wanted=row.items("wanted"),
        unwanted=row.items("unwanted"),
        unavailable_terms=tuple(terms),
        source=str(row.path),
        line=row.line,
    )


def _qualification(row: _Row, entry: str) -> tuple[str, str]:
    """`COURSE:component`, `COURSE` (any component) or `*:component` (any course)."""
    course, _, component = entry.partition(":")
    course = course.strip()
    named = row.component("qualifications", component) if component.strip() else ANY
    return (ANY if course == "*" else course, named)


def _item_row(row: _Row) -> ItemRow:
    if row.text("hours"):
        hours = row.whole("hours")
    elif row.text("periods"):
        hours = row.whole("periods") * _counted(row, "weeks", WEEKS)
    else:
        raise row.error("hours", "is empty (give hours, or weekly periods and weeks)")
    term = _optional_whole(row, "term")
    if term is None:
        term = 1
    if term not in (1, 2):
        raise row.error("term", f"is 1 or 2, found {term}")
    return ItemRow(
        name=row.text("name", required=True),
        course=row.text("course", required=True),
        component=row.component("component"),
        hours=hours,
        department=row.text("department"),
        language=row.text("language"),
        term=term,
        teachers=_counted(row, "teachers", 1),
        fixed=row.items("fixed"),
        last_year=row.items("last_year"),
        lecture=row.text("lecture"),
        section=row.text("section"),
        source=str(row.path),
        line=row.line,
    )


def read_assignment(path: Path, problem: LoadProblem) -> LoadSolution:
    """A distribution: per item row, its teachers by name; items not listed have no teacher."""
    items = {item.name: item.index for item in problem.items}
    people = problem.teacher_index()
    teachers: list[tuple[int, ...]] = [() for _ in problem.items]
    listed: dict[str, int] = {}  # item: the line it is on
    for row in table_rows(path, ASSIGNMENT):
        name = row.text("item", required=True)
        if name not in items:
            raise row.error("item", f"unknown item {name!r}")
        if name in listed:  # which of two rows is meant cannot be guessed
            raise row.error("item", f"{name!r} is also on line {listed[name]}")
        listed[name] = row.line
        given = row.distinct("teachers")
        unknown = [person for person in given if person not in people]
        if unknown:
            raise row.error("teachers", f"unknown teacher {unknown[0]!r}")
        teachers[items[name]] = tuple(people[person] for person in given)
    return LoadSolution(problem_name=problem.name, teachers=tuple(teachers))


def read_actual(path: Path, problem: LoadProblem) -> list[ActualRow]:
    """Hours actually taught: per row a teacher, the hours, and optionally the item."""
    people, items = problem.teacher_index(), {item.name for item in problem.items}
    rows = []
    for row in table_rows(path, ACTUAL):
        teacher = row.text("teacher", required=True)
        if teacher not in people:
            raise row.error("teacher", f"unknown teacher {teacher!r}")
        item = row.text("item")
        if item and item not in items:
            raise row.error("item", f"unknown item {item!r}")
        rows.append(ActualRow(teacher, row.whole("hours"), item, row.line))
    return rows


def write_assignment(problem: LoadProblem, solution: LoadSolution, path: Path) -> None:
    rows = [
        [item.name, ";".join(problem.teachers[t].name for t in teachers)]
        for item, teachers in zip(problem.items, solution.teachers, strict=True)
    ]
    _write(path, list(ASSIGNMENT.columns), rows)


def write_load_tables(problem: LoadProblem, folder: Path) -> None:
    """The problem as teachers.csv and items.csv, which `read_load_problem` reads back."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [teacher.name for teacher in problem.teachers]
    teachers = [
        [
            t.name,
            t.department,
            t.rank,
            f"{t.rate:g}",
            t.norm,
            t.minimum,
            "" if t.target is None else t.target,
            ";".join(sorted(t.languages)),
            ";".join(
                sorted(f"{course or '*'}:{component}".rstrip(":") for course, component in t.qualifications)
            ),
            ";".join(sorted(t.wanted)),
            ";".join(sorted(t.unwanted)),
            ";".join(str(term) for term in sorted(t.unavailable_terms)),
        ]
        for t in problem.teachers
    ]
    _write(folder / "teachers.csv", list(TEACHERS.columns), teachers)
    items = [
        [
            i.name,
            i.course,
            i.component,
            i.department,
            i.language,
            i.hours,
            "",
            "",
            i.term,
            i.teachers,
            ";".join(names[t] for t in i.fixed),
            ";".join(names[t] for t in i.previous),
            "" if i.lecture is None else problem.items[i.lecture].name,
            i.section,
        ]
        for i in problem.items
    ]
    _write(folder / "items.csv", list(ITEMS.columns), items)


def _write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(stream.getvalue(), encoding="utf-8")


def template(kind: str, file_format: str) -> bytes:
    """An empty load table of one kind (teachers, items, assignment, actual): its header row."""
    columns = list(SPECS[kind].columns)
    if file_format == "csv":
        return (",".join(columns) + "\n").encode()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    sheet.append(columns)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def apply_to_records(data: RegistrarData, problem: LoadProblem, solution: LoadSolution) -> RegistrarData:
    """The registrar's records with each section's teachers replaced by the load's (matched by the
    items' `section`, course code and section name); teachers new to the records are added."""
    chosen: dict[str, list[str]] = {}
    for item, teachers in zip(problem.items, solution.teachers, strict=True):
        if item.section:
            names = chosen.setdefault(item.section, [])
            names += [problem.teachers[t].name for t in teachers if problem.teachers[t].name not in names]
    known = {teacher.name for teacher in data.teachers}
    added = tuple(
        TeacherRecord(name=t.name, department=t.department, languages=tuple(sorted(t.languages)))
        for t in problem.teachers
        if t.name not in known and any(t.name in names for names in chosen.values())
    )
    sections = tuple(
        replace(section, teachers=tuple(chosen[section.ref])) if section.ref in chosen else section
        for section in data.sections
    )
    return replace(data, teachers=data.teachers + added, sections=sections)
