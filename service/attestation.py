"""The State Attestation Commission's data in the service: each of its tables (calendar, rooms,
people, commissions, defences, state exams) uploaded as CSV or XLSX, checked whole with the tables
already stored before it is kept, and the attestation problem of a semester built from them; a
published attestation timetable takes its rooms in room search."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.attestation_tables import SPECS, attestation_from_records
from datasets.errors import DatasetError
from datasets.registrar_csv import _check_header
from datasets.registrar_tables import _csv, _xlsx
from models import SLOT_MINUTES, AttestationProblem, AttestationSolution
from service.storage import schema
from service.storage.records import StorageError

TABLES = {spec.file.removesuffix(".csv"): spec for spec in SPECS}
REQUIRED = tuple(kind for kind, spec in TABLES.items() if not spec.optional_file)
Use = tuple[str, dt.time, dt.time, str]


def stored_tables(session: Session, semester: schema.Semester) -> dict[str, list[dict[str, str]]]:
    return {
        table.kind: table.rows
        for table in session.scalars(
            select(schema.AttestationTable).where(schema.AttestationTable.semester_id == semester.id)
        )
    }


def import_table(
    session: Session, semester: schema.Semester, kind: str, source: str, content: bytes
) -> tuple[int, list[str]]:
    """Keep one table (replacing the one stored) once the set with it reads without a fault, in
    the order of the files (calendar, rooms, people, commissions, defences, state exams: each
    names what the ones before define); returns its rows and the tables still missing.
    DatasetError names the file, line and column."""
    if kind not in TABLES:
        raise StorageError(f"no attestation table {kind!r}: the tables are {', '.join(TABLES)}")
    path = Path(source)
    header, cells = _xlsx(path, content) if path.suffix.lower() == ".xlsx" else _csv(path, content)
    _check_header(path, header, TABLES[kind])
    rows = []
    for line, values in cells:
        if len(values) > len(header):
            raise DatasetError(path, line, f"{len(values)} fields but the header names {len(header)} columns")
        rows.append(dict(zip(header, values, strict=False)))
    tables = stored_tables(session, semester) | {kind: rows}
    earlier = [
        name for name in list(TABLES)[: list(TABLES).index(kind)] if name in REQUIRED and name not in tables
    ]
    if earlier:
        raise DatasetError(
            path,
            None,
            f"import the attestation {', '.join(earlier)} first: this table names what they define",
        )
    # the set as it stands, tables not yet imported empty: every name must be defined already
    attestation_from_records(semester.name, {f"{name}.csv": tables.get(name, []) for name in TABLES})
    missing = [name for name in REQUIRED if name not in tables]
    stored = session.scalar(
        select(schema.AttestationTable).where(
            schema.AttestationTable.semester_id == semester.id, schema.AttestationTable.kind == kind
        )
    )
    if stored is None:
        stored = schema.AttestationTable(semester=semester, kind=kind)
        session.add(stored)
    stored.rows = rows
    session.flush()
    return len(rows), missing


def complete_tables(session: Session, semester: schema.Semester) -> dict[str, list[dict[str, str]]]:
    """The semester's SAC tables, when every one a run needs is stored (StorageError otherwise)."""
    tables = stored_tables(session, semester)
    missing = [name for name in REQUIRED if name not in tables]
    if missing:
        raise StorageError(
            f"semester {semester.name!r} has no state attestation {', '.join(missing)} stored; "
            "import them first"
        )
    return tables


def attestation_problem_of(session: Session, semester: schema.Semester) -> AttestationProblem:
    tables = complete_tables(session, semester)
    try:
        return attestation_from_records(semester.name, {f"{name}.csv": rows for name, rows in tables.items()})
    except DatasetError as error:
        raise StorageError(str(error)) from None


def sittings(problem: AttestationProblem, solution: AttestationSolution) -> dict[object, list[Use]]:
    """Each date's commission sittings, a room taken from its first hearing to its last's end."""
    uses: dict[object, list[Use]] = defaultdict(list)
    for (commission, day), hearings in solution.sittings.items():
        places = [solution.places[h] for h in hearings]
        first = min(place.start for place in places if place is not None)
        last = max(
            place.start + problem.hearings[h].slots
            for h, place in zip(hearings, places, strict=True)
            if place
        )
        rooms = {place.room for place in places if place is not None}
        date = problem.days[day].date
        begins = dt.datetime.combine(date, problem.days[day].start)
        for room in rooms:
            uses[date].append(
                (
                    problem.rooms[room].name,
                    (begins + dt.timedelta(minutes=first * SLOT_MINUTES)).time(),
                    (begins + dt.timedelta(minutes=last * SLOT_MINUTES)).time(),
                    f"attestation commission {problem.commissions[commission].name}",
                )
            )
    return dict(uses)
