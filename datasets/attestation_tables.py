"""The attestation as the registrar keeps it: a folder of CSV files (names, dates and clock times,
not indices), read into the attestation model and written back; also the timetable files.

`docs/attestation.md` describes every file column by column. A wrong name, date or time stops
with the file, line and column at fault. `attestation_from_records` builds the same problem from
rows already in memory (the service's database), with the table names standing for the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import DatasetError, PathLike, validation_reason
from datasets.registrar_csv import _Row as Row
from datasets.registrar_csv import _rows as csv_rows
from datasets.registrar_csv import _Spec as Spec
from models import (
    SLOT_MINUTES,
    AttestationDay,
    AttestationProblem,
    AttestationRoom,
    AttestationSolution,
    Commission,
    Hearing,
    HearingKind,
    HearingPlace,
    Panel,
    Person,
)

CALENDAR = Spec("calendar.csv", ("date", "start", "end"))
ROOMS = Spec("rooms.csv", ("room", "capacity"), ("unavailable",))
PEOPLE = Spec("people.csv", ("person",), ("degree", "unavailable", "preferred"))
COMMISSIONS = Spec(
    "commissions.csv",
    ("commission", "programme", "chair", "members"),
    ("deputy", "secretary", "max_defences_per_day"),
)
DEFENCES = Spec(
    "defences.csv",
    ("defence", "programme", "minutes"),
    ("graduate", "title", "supervisor", "reviewer", "language", "commission"),
)
STATE_EXAMS = Spec(
    "state_exams.csv",
    ("exam", "programme", "minutes", "students"),
    ("discipline", "form", "language", "commission"),
    optional_file=True,
)
SPECS = (CALENDAR, ROOMS, PEOPLE, COMMISSIONS, DEFENCES, STATE_EXAMS)
TIMETABLE = Spec("sac_timetable.csv", ("hearing", "commission", "date", "start", "room"), ("end",))
PANELS = Spec("sac_panels.csv", ("commission", "date", "members"))
FORMS = ("oral", "written")
_HOURS = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def read_attestation(folder: PathLike) -> AttestationProblem:
    """Read an attestation folder; every error names the file, line and column."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetError(root, None, "not a folder of attestation CSV files")
    tables = {spec.file: list(csv_rows(root, spec)) for spec in SPECS}
    return _problem(root.name, tables)


def attestation_from_records(
    name: str, records: Mapping[str, Sequence[Mapping[str, str]]]
) -> AttestationProblem:
    """Build the problem from in-memory rows, keyed by file name ("defences.csv") or table name."""
    tables: dict[str, list[Row]] = {}
    for spec in SPECS:
        rows = records.get(spec.file, records.get(spec.file.removesuffix(".csv"), ()))
        # line numbers as the CSV file would have them, the header being line 1
        tables[spec.file] = [Row(Path(spec.file), number, dict(row)) for number, row in enumerate(rows, 2)]
    return _problem(name, tables)


def _problem(name: str, tables: dict[str, list[Row]]) -> AttestationProblem:
    days = _days(tables[CALENDAR.file])
    dates = {day.date: day.index for day in days}
    people = _people(tables[PEOPLE.file], days)
    named = {person.name: person.index for person in people}
    rooms = tuple(
        AttestationRoom(
            index=index,
            name=row.text("room", required=True),
            capacity=row.whole("capacity"),
            unavailable_days=_days_of(row, "unavailable", dates),
        )
        for index, row in enumerate(_unique(tables[ROOMS.file], "room"))
    )
    commissions = tuple(
        _commission(index, row, named)
        for index, row in enumerate(_unique(tables[COMMISSIONS.file], "commission"))
    )
    programmes = {commission.name: commission.programme for commission in commissions}
    hearings = [
        _defence(index, row, named, programmes)
        for index, row in enumerate(_unique(tables[DEFENCES.file], "defence"))
    ]
    defence_lines = {row.text("defence"): row.line for row in tables[DEFENCES.file]}
    for row in _unique(tables[STATE_EXAMS.file], "exam"):
        code = row.text("exam")
        if code in defence_lines:  # a timetable names each hearing by its code alone
            line = defence_lines[code]
            reason = f"{code!r} is also a defence ({DEFENCES.file} line {line}): give it a code of its own"
            raise row.error("exam", reason)
        hearings.append(_state_exam(len(hearings), row, programmes))
    boards = {commission.name: commission.index for commission in commissions}
    hearings = [
        hearing.model_copy(update={"commission": boards[name]})
        if (name := row.text("commission"))
        else hearing
        for hearing, row in zip(hearings, [*tables[DEFENCES.file], *tables[STATE_EXAMS.file]], strict=True)
    ]
    try:
        return AttestationProblem(
            name=name,
            days=days,
            rooms=rooms,
            people=people,
            commissions=commissions,
            hearings=tuple(hearings),
        )
    except ValidationError as err:
        raise DatasetError(name, None, validation_reason(err)) from None


def _unique(rows: list[Row], key: str) -> list[Row]:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.text(key, required=True)
        if value in seen:
            raise row.error(key, f"{value!r} is already defined on line {seen[value]}")
        seen[value] = row.line
    return rows


def _days(rows: list[Row]) -> tuple[AttestationDay, ...]:
    if not rows:
        raise DatasetError(CALENDAR.file, None, "no attestation days")
    days: list[AttestationDay] = []
    for index, row in enumerate(sorted(rows, key=lambda r: r.text("date"))):
        date = _date(row, "date", row.text("date", required=True))
        start, end = _clock(row, "start"), _clock(row, "end")
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes < SLOT_MINUTES:
            raise row.error("end", f"the sitting must last at least {SLOT_MINUTES} minutes")
        if days and days[-1].date == date:
            raise row.error("date", f"{date} is listed twice")
        days.append(AttestationDay(index=index, date=date, start=start, slots=minutes // SLOT_MINUTES))
    return tuple(days)


def _date(row: Row, column: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise row.error(column, f"{text!r} is not a date like 2027-05-24") from None


def _clock(row: Row, column: str) -> dt.time:
    text = row.text(column, required=True)
    try:
        return dt.time.fromisoformat(text if len(text) > 4 else text.zfill(5))
    except ValueError:
        raise row.error(column, f"{text!r} is not a time like 09:00") from None


def _days_of(row: Row, column: str, dates: Mapping[dt.date, int]) -> frozenset[int]:
    days = set()
    for text in row.items(column):
        date = _date(row, column, text)
        if date not in dates:
            raise row.error(column, f"{text} is not an attestation day in {CALENDAR.file}")
        days.add(dates[date])
    return frozenset(days)


def _people(rows: list[Row], days: Sequence[AttestationDay]) -> tuple[Person, ...]:
    dates = {day.date: day.index for day in days}
    people = []
    for index, row in enumerate(_unique(rows, "person")):
        away, leaves = _away(row, days)
        people.append(
            Person(
                index=index,
                name=row.text("person", required=True),
                degree=row.text("degree"),
                unavailable_days=away,
                leaves=leaves,
                preferred_days=_days_of(row, "preferred", dates),
            )
        )
    return tuple(people)


def _away(row: Row, days: Sequence[AttestationDay]) -> tuple[frozenset[int], tuple[tuple[int, int], ...]]:
    """Whole days away (`2027-05-25`) and part days (`2027-05-25 13:00-18:00`): away when the
    sitting starts means the whole day, as a member sits from the start; later, away from then."""
    by_date = {day.date: day for day in days}
    whole: set[int] = set()
    leaves: dict[int, int] = {}
    for text in row.items("unavailable"):
        date_text, _, hours = text.partition(" ")
        date = _date(row, "unavailable", date_text)
        if date not in by_date:
            raise row.error("unavailable", f"{date_text} is not an attestation day in {CALENDAR.file}")
        day = by_date[date]
        if not hours.strip():
            whole.add(day.index)
            continue
        found = _HOURS.fullmatch(hours.strip())
        if found is None:
            raise row.error(
                "unavailable", f"{text!r} is not a date, or a date and hours like 2027-05-25 13:00-18:00"
            )
        begins = int(found[1]) * 60 + int(found[2])
        ends = int(found[3]) * 60 + int(found[4])
        sitting = day.start.hour * 60 + day.start.minute
        if ends <= begins:
            raise row.error("unavailable", f"{text!r} must end after it begins")
        if ends <= sitting or begins >= sitting + day.slots * SLOT_MINUTES:
            continue  # outside the sitting
        if begins <= sitting:
            whole.add(day.index)
        else:
            slot = (begins - sitting) // SLOT_MINUTES
            leaves[day.index] = min(slot, leaves.get(day.index, slot))
    return frozenset(whole), tuple(sorted((day, slot) for day, slot in leaves.items() if day not in whole))


def _person(row: Row, column: str, named: Mapping[str, int], required: bool = False) -> int | None:
    text = row.text(column, required=required)
    if not text:
        return None
    if text not in named:
        raise row.error(column, f"{text!r} is not in {PEOPLE.file}")
    return named[text]


def _commission(index: int, row: Row, named: Mapping[str, int]) -> Commission:
    chair = _person(row, "chair", named, required=True)
    assert chair is not None  # required
    deputy = _person(row, "deputy", named)
    members = []
    for text in row.distinct("members"):
        if text not in named:
            raise row.error("members", f"{text!r} is not in {PEOPLE.file}")
        members.append(named[text])
    for president in (chair, deputy):
        if president is not None and president not in members:
            members.insert(0, president)  # the chair and deputy vote whether listed or not
    limit = row.text("max_defences_per_day")
    if limit and row.whole("max_defences_per_day") == 0:
        raise row.error("max_defences_per_day", "at least 1, found 0")
    try:
        return Commission(
            index=index,
            name=row.text("commission"),
            programme=row.text("programme", required=True),
            chair=chair,
            deputy=deputy,
            members=tuple(dict.fromkeys(members)),
            secretary=_person(row, "secretary", named),
            max_defences_per_day=row.whole("max_defences_per_day") if limit else 8,
        )
    except ValidationError as err:
        raise row.error("members", validation_reason(err)) from None


def _slots(row: Row) -> int:
    minutes = row.whole("minutes")
    if minutes == 0:
        raise row.error("minutes", "must be positive")
    return -(-minutes // SLOT_MINUTES)


def _programme(row: Row, programmes: Mapping[str, str]) -> str:
    """The row's programme, checked against the commissions (and its named commission, if any)."""
    programme = row.text("programme", required=True)
    if programme not in programmes.values():
        raise row.error("programme", f"no commission in {COMMISSIONS.file} examines {programme!r}")
    commission = row.text("commission")
    if commission and commission not in programmes:
        raise row.error("commission", f"{commission!r} is not in {COMMISSIONS.file}")
    if commission and programmes[commission] != programme:
        raise row.error("commission", f"{commission} examines {programmes[commission]}, not {programme}")
    return programme


def _defence(index: int, row: Row, named: Mapping[str, int], programmes: Mapping[str, str]) -> Hearing:
    supervisor, reviewer = _person(row, "supervisor", named), _person(row, "reviewer", named)
    if reviewer is not None and reviewer == supervisor:
        raise row.error(
            "reviewer", f"{row.text('reviewer')} supervised the thesis: its reviewer is someone else"
        )
    return Hearing(
        index=index,
        name=f"defence {row.text('defence')}",
        programme=_programme(row, programmes),
        slots=_slots(row),
        graduate=row.text("graduate"),
        title=row.text("title"),
        language=row.text("language"),
        supervisor=supervisor,
        reviewer=reviewer,
    )


def _state_exam(index: int, row: Row, programmes: Mapping[str, str]) -> Hearing:
    form = row.text("form") or "oral"
    if form not in FORMS:
        raise row.error("form", f"must be oral or written, found {form!r}")
    students = row.whole("students")
    if students == 0:
        raise row.error("students", "must be positive")
    return Hearing(
        index=index,
        name=f"state exam {row.text('exam')}",
        kind=HearingKind.STATE_EXAM,
        programme=_programme(row, programmes),
        slots=_slots(row),
        title=row.text("discipline"),
        language=row.text("language"),
        students=students,
        written=form == "written",
    )


def _code(hearing: Hearing) -> str:
    return hearing.name.removeprefix("defence ").removeprefix("state exam ")


def write_attestation(problem: AttestationProblem, folder: PathLike) -> None:
    """Write the problem as an attestation folder that `read_attestation` reads back the same."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    dates = [day.date.isoformat() for day in problem.days]
    people = problem.people

    def on(days: Iterable[int]) -> str:
        return "; ".join(dates[day] for day in sorted(days))

    _write(
        root / CALENDAR.file,
        CALENDAR,
        ([dates[d.index], _hhmm(d.start), _hhmm(_end(d))] for d in problem.days),
    )
    _write(root / ROOMS.file, ROOMS, ([r.name, r.capacity, on(r.unavailable_days)] for r in problem.rooms))
    _write(
        root / PEOPLE.file,
        PEOPLE,
        ([p.name, p.degree, _unavailable(problem, p), on(p.preferred_days)] for p in people),
    )
    _write(
        root / COMMISSIONS.file,
        COMMISSIONS,
        (
            [
                c.name,
                c.programme,
                people[c.chair].name,
                "; ".join(people[m].name for m in c.members),
                "" if c.deputy is None else people[c.deputy].name,
                "" if c.secretary is None else people[c.secretary].name,
                c.max_defences_per_day,
            ]
            for c in problem.commissions
        ),
    )
    defences = [h for h in problem.hearings if h.kind is HearingKind.DEFENCE]
    exams = [h for h in problem.hearings if h.kind is HearingKind.STATE_EXAM]
    if [h.index for h in defences + exams] != list(range(len(problem.hearings))):
        raise ValueError("the files list defences before state exams: renumber the hearings that way")
    _write(
        root / DEFENCES.file,
        DEFENCES,
        (
            [
                _code(h),
                h.programme,
                h.slots * SLOT_MINUTES,
                h.graduate,
                h.title,
                "" if h.supervisor is None else people[h.supervisor].name,
                "" if h.reviewer is None else people[h.reviewer].name,
                h.language,
                _commission_name(problem, h),
            ]
            for h in defences
        ),
    )
    _write(
        root / STATE_EXAMS.file,
        STATE_EXAMS,
        (
            [
                _code(h),
                h.programme,
                h.slots * SLOT_MINUTES,
                h.students,
                h.title,
                FORMS[h.written],
                h.language,
                _commission_name(problem, h),
            ]
            for h in exams
        ),
    )


def _commission_name(problem: AttestationProblem, hearing: Hearing) -> str:
    return "" if hearing.commission is None else problem.commissions[hearing.commission].name


def _unavailable(problem: AttestationProblem, person: Person) -> str:
    whole = [problem.days[day].date.isoformat() for day in sorted(person.unavailable_days)]
    part = []
    for day, slot in person.leaves:
        sitting = problem.days[day]
        part.append(f"{sitting.date.isoformat()} {_at(sitting, slot)}-{_hhmm(_end(sitting))}")
    return "; ".join(whole + part)


def _end(day: AttestationDay) -> dt.time:
    minutes = day.start.hour * 60 + day.start.minute + day.slots * SLOT_MINUTES
    return dt.time(minutes // 60 % 24, minutes % 60)


def _hhmm(time: dt.time) -> str:
    return time.strftime("%H:%M")


def _at(day: AttestationDay, slot: int) -> str:
    minutes = day.start.hour * 60 + day.start.minute + slot * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _write(path: Path, spec: Spec, rows: Iterable[Sequence[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.columns)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_attestation_solution(
    solution: AttestationSolution, problem: AttestationProblem, folder: PathLike
) -> None:
    """Write the timetable (one row per hearing) and the panels (one row per sitting) into `folder`."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for hearing, place in zip(problem.hearings, solution.places, strict=True):
        if place is None:
            continue
        day = problem.days[place.day]
        rows.append(
            [
                _code(hearing),
                problem.commissions[place.commission].name,
                day.date.isoformat(),
                _at(day, place.start),
                problem.rooms[place.room].name,
                _at(day, place.start + hearing.slots),
            ]
        )
    _write(root / TIMETABLE.file, TIMETABLE, rows)
    _write(
        root / PANELS.file,
        PANELS,
        (
            [
                problem.commissions[p.commission].name,
                problem.days[p.day].date.isoformat(),
                "; ".join(problem.people[m].name for m in p.members),
            ]
            for p in solution.panels
        ),
    )


def read_attestation_solution(folder: PathLike, problem: AttestationProblem) -> AttestationSolution:
    """Read a timetable folder (or its sac_timetable.csv) written for `problem`."""
    root = Path(folder)
    if root.is_file():
        root = root.parent
    hearings = {_code(h): h.index for h in problem.hearings}
    commissions = {c.name: c.index for c in problem.commissions}
    rooms = {r.name: r.index for r in problem.rooms}
    people = {p.name: p.index for p in problem.people}
    dates = {d.date: d for d in problem.days}
    places: list[HearingPlace | None] = [None] * len(problem.hearings)
    for row in csv_rows(root, TIMETABLE):
        hearing = _known(row, "hearing", hearings)
        if places[hearing] is not None:
            raise row.error("hearing", f"{row.text('hearing')!r} is placed twice")
        day = _day(row, dates)
        start = _clock(row, "start")
        offset = (start.hour * 60 + start.minute) - (day.start.hour * 60 + day.start.minute)
        if offset < 0:
            reason = f"{_hhmm(start)} is before the sitting starts, at {_hhmm(day.start)} on {day.date}"
            raise row.error("start", reason)
        if offset % SLOT_MINUTES:
            raise row.error("start", f"must be on the {SLOT_MINUTES}-minute grid from {_hhmm(day.start)}")
        places[hearing] = HearingPlace(
            commission=_known(row, "commission", commissions),
            day=day.index,
            start=offset // SLOT_MINUTES,
            room=_known(row, "room", rooms),
        )
    panels = []
    sittings: dict[tuple[int, int], int] = {}  # (commission, day): the line of its panel
    for row in csv_rows(root, PANELS):
        members = []
        for name in row.distinct("members"):
            if name not in people:
                raise row.error("members", f"{name!r} is not in {PEOPLE.file}")
            members.append(people[name])
        commission, day = _known(row, "commission", commissions), _day(row, dates)
        if (commission, day.index) in sittings:  # which of the two panels sat cannot be guessed
            reason = (
                f"{row.text('commission')} sits once a day: its panel on {day.date} is also on line "
                f"{sittings[commission, day.index]}"
            )
            raise row.error("date", reason)
        sittings[commission, day.index] = row.line
        panels.append(Panel(commission=commission, day=day.index, members=tuple(members)))
    return AttestationSolution(problem_name=problem.name, places=tuple(places), panels=tuple(panels))


def _known(row: Row, column: str, names: Mapping[str, int]) -> int:
    text = row.text(column, required=True)
    if text not in names:
        raise row.error(column, f"unknown {column} {text!r}")
    return names[text]


def _day(row: Row, dates: Mapping[dt.date, AttestationDay]) -> AttestationDay:
    date = _date(row, "date", row.text("date", required=True))
    if date not in dates:
        raise row.error("date", f"{date} is not an attestation day")
    return dates[date]
