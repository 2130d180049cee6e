"""The registrar's own data set: a folder of CSV files as the office's staff keep them (names, not
indices; times as `Mon 3-4`), read into records and the lesson model, and written back.

`docs/registrar-format.md` describes every file column by column. Reading checks every name
against the file that defines it, so a typo stops with the file, line and column at fault.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from datasets.errors import (
    LARGEST_WHOLE,
    DatasetError,
    PathLike,
    control_character,
    integer_value,
    read_text,
    shown,
    validation_reason,
)
from datasets.registrar_records import (
    COMPONENTS,
    RANKS,
    Building,
    Calendar,
    CohortRecord,
    Course,
    Department,
    ExamPeriod,
    ExamRecord,
    ExtraLoad,
    Period,
    Programme,
    RegistrarData,
    Registration,
    Relation,
    Room,
    SectionRecord,
    Student,
    TeacherRecord,
    TeachingTerms,
)
from models import lessons
from models.lessons import Preference, SectionRelation
from models.load import CLASS_COMPONENTS, SUPERVISION_COMPONENTS
from models.names import did_you_mean
from models.rooms import FIRST_DATE, LAST_DATE

Record = TypeVar("Record")


@dataclass(frozen=True)
class _Spec:
    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    optional_file: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


CALENDAR = _Spec("calendar.csv", ("kind", "name", "start"), ("lunch_after",))
DEPARTMENTS = _Spec("departments.csv", ("name",), ("faculty",), optional_file=True)
BUILDINGS = _Spec("buildings.csv", ("name",), ("campus",))
ROOMS = _Spec("rooms.csv", ("name", "building", "capacity", "kind"), ("features", "unavailable"))
TEACHERS = _Spec(
    "teachers.csv",
    ("name",),
    (
        "department",
        "languages",
        "unavailable",
        "preferences",
        "rank",
        "rate",
        "minimum_hours",
        "qualifications",
        "wanted",
        "unwanted",
    ),
)
COURSES = _Spec("courses.csv", ("code", "title", "credits"), ("department", "campus"))
SECTIONS = _Spec(
    "sections.csv",
    ("course", "section", "component", "size_limit", "meetings"),
    ("teachers", "language", "room_kind", "features", "allowed_times"),
)
PROGRAMMES = _Spec("programmes.csv", ("name",), ("title", "department"), optional_file=True)
COHORTS = _Spec("cohorts.csv", ("programme", "year"), ("sections",), optional_file=True)
STUDENTS = _Spec("students.csv", ("student",), ("programme", "year"), optional_file=True)
REGISTRATIONS = _Spec("registrations.csv", ("student", "section"), optional_file=True)
RELATIONS = _Spec("section_relations.csv", ("first", "relation", "second"), optional_file=True)
EXAMS = _Spec("exams.csv", ("course", "minutes"), optional_file=True)
EXTRA_LOAD = _Spec(
    "extra_load.csv",
    ("name", "component", "hours"),
    ("department", "course", "language", "teacher"),
    optional_file=True,
)
EXAM_PERIODS = _Spec("exam_periods.csv", ("date", "start", "minutes"), ("penalty",), optional_file=True)

_WHOLE = re.compile(r"[+-]?[0-9]+")
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_DASH = re.compile(r"\s*-\s*")
_YES_NO = {"yes": True, "no": False, "": False}
_WISHES = {wish.value: wish for wish in Preference}
_RELATIONS = {relation.value: relation for relation in SectionRelation}


class _Row:
    """One data row of a CSV file, its cells by column name."""

    __slots__ = ("cells", "line", "path")

    def __init__(self, path: Path, line: int, cells: dict[str, str]) -> None:
        self.path, self.line, self.cells = path, line, cells

    def text(self, column: str, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            raise self.error(column, "is empty")
        control = control_character(value)
        if control is not None:
            raise self.error(column, f"contains the control character U+{ord(control):04X}")
        return value

    def items(self, column: str) -> tuple[str, ...]:
        """A `;`-separated list cell."""
        return tuple(item.strip() for item in self.text(column).split(";") if item.strip())

    def distinct(self, column: str) -> tuple[str, ...]:
        """A `;`-separated list cell of people or places, none named twice (which of the two was
        meant cannot be guessed, and a teacher twice on a section would be due in two places)."""
        listed = self.items(column)
        twice = next((item for k, item in enumerate(listed) if item in listed[:k]), None)
        if twice is not None:
            raise self.error(column, f"{twice!r} is named twice")
        return listed

    def whole(self, column: str, least: int = 0) -> int:
        """A whole number from `least` to LARGEST_WHOLE."""
        text = self.text(column, required=True)
        if not _WHOLE.fullmatch(text):
            raise self.error(column, f"must be a whole number, found {shown(text)!r}")
        value = integer_value(text)
        if value < least:
            wanted = "must not be negative" if least == 0 else f"must be at least {least}"
            raise self.error(column, f"{wanted}, found {shown(text)}")
        if value > LARGEST_WHOLE:  # the database's columns would take more; nothing real comes near
            raise self.error(column, f"must be at most {LARGEST_WHOLE:,}, found {shown(text)}")
        return value

    def error(self, column: str, reason: str) -> DatasetError:
        return DatasetError(self.path, self.line, f"{column}: {reason}")

    def component(self, column: str, text: str | None = None) -> str:
        """A component of load in lower case: any name counts (non-class work has many), but one
        a slip away from a known component (`lectur`, `practise`, `labs`) is refused, since it
        would match no teacher's qualification."""
        name = (self.text(column, required=True) if text is None else text).strip().lower()
        for known in CLASS_COMPONENTS + SUPERVISION_COMPONENTS:
            edits = difflib.SequenceMatcher(None, name, known).get_opcodes()
            slips = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in edits if tag != "equal")
            if 0 < slips <= 2 and len(known) > 2 * slips:
                raise self.error(column, f"{name!r} is no component: did you mean {known!r}?")
        return name


def _rows(folder: Path, spec: _Spec) -> Iterator[_Row]:
    """The non-blank data rows of one file, after checking its header against the spec."""
    path = folder / spec.file
    if spec.optional_file and not path.exists():
        return
    reader = csv.reader(io.StringIO(read_text(path).lstrip("\ufeff")))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise DatasetError(path, 1, f"empty file: expected the header {','.join(spec.columns)}") from None
    except csv.Error as err:
        raise DatasetError(path, 1, f"bad CSV: {err}") from None
    _check_header(path, header, spec)
    for line, cells in csv_records(path, reader):
        if len(cells) > len(header):
            raise DatasetError(path, line, f"{len(cells)} fields but the header names {len(header)} columns")
        yield _Row(path, line, dict(zip(header, cells, strict=False)))


def csv_records(path: Path, reader: Any) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of a `csv.reader` past its header, each with the line it begins on. No
    cell of the registrar's tables holds a line break, so one that does is a quote left open, which
    would otherwise swallow the rows after it and be reported, if at all, at the file's end."""
    end = reader.line_num
    try:
        for cells in reader:
            begins, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if end > begins and any("\n" in cell or "\r" in cell for cell in cells):
                reason = f"a cell runs on to line {end}: is a quote left open? (no cell holds a line break)"
                raise DatasetError(path, begins, reason)
            yield begins, cells
    except csv.Error as error:
        raise DatasetError(path, reader.line_num, f"bad CSV: {error}") from None


def _check_header(path: Path, header: list[str], spec: _Spec) -> None:
    """The header names each required column once and no unknown one."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    unknown = [name for name in header if name not in spec.columns]
    missing = [name for name in spec.required if name not in header]
    if repeated:
        raise DatasetError(path, 1, f"column {', '.join(repeated)} appears twice")
    problems = []
    if missing:
        problems.append(f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column{'s' * (len(unknown) > 1)} {', '.join(unknown)}")
    if problems:
        raise DatasetError(path, 1, f"{'; '.join(problems)} (the columns are {', '.join(spec.columns)})")


class _Clock:
    """Staff times on the calendar: `Mon` (the whole day), `Mon 3` or `Mon 3-5` (periods 3 to 5)."""

    def __init__(self, calendar: Calendar) -> None:
        self.days = {day.lower(): index for index, day in enumerate(calendar.days)}
        self.periods = {period.name: index for index, period in enumerate(calendar.periods)}
        self.per_day = len(calendar.periods)
        self.slot_count = len(self.days) * self.per_day

    def slots(self, time: str) -> range:
        """The slots of one time; ValueError says what is wrong with it."""
        parts = _DASH.sub("-", time).split()
        if not 1 <= len(parts) <= 2:
            raise ValueError(f"bad time {time!r}: write a day and periods, e.g. 'Mon', 'Mon 3' or 'Mon 3-5'")
        if parts[0].lower() not in self.days:
            raise ValueError(f"bad time {time!r}: unknown day {parts[0]!r}")
        day = self.days[parts[0].lower()] * self.per_day
        if len(parts) == 1:
            return range(day, day + self.per_day)
        first_label, dash, last_label = parts[1].partition("-")
        first = self._period(time, first_label)
        last = self._period(time, last_label) if dash else first
        if last < first:
            raise ValueError(f"bad time {time!r}: period {last_label} comes before period {first_label}")
        return range(day + first, day + last + 1)

    def _period(self, time: str, label: str) -> int:
        if label not in self.periods:
            raise ValueError(f"bad time {time!r}: unknown period {label!r}")
        return self.periods[label]

    def all(self, times: tuple[str, ...]) -> frozenset[int]:
        return frozenset(slot for time in times for slot in self.slots(time))

    def wishes(self, preferences: tuple[tuple[str, Preference], ...]) -> dict[int, Preference]:
        wished: dict[int, Preference] = {}
        for time, wish in preferences:
            for slot in self.slots(time):
                if wished.setdefault(slot, wish) is not wish:
                    raise ValueError(f"{time!r} is both {wished[slot]} and {wish}")
        return wished


def read_registrar(folder: PathLike) -> lessons.LessonProblem:
    """Read a registrar CSV folder into the lesson model, scored by the registrar's rules."""
    return lesson_problem(read_records(folder), Path(folder).resolve().name)


def read_records(folder: PathLike, exam_session: tuple[dt.date, dt.date] | None = None) -> RegistrarData:
    """Read and check every file of a registrar CSV folder; given the exam session's first and last
    day, each sitting must be on one of them."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetError(root, None, "not a folder (expected the registrar's CSV files)")
    calendar = _read_calendar(root)
    clock = _Clock(calendar)
    departments = _unique(
        root,
        DEPARTMENTS,
        "name",
        lambda row: Department(row.text("name", required=True), row.text("faculty")),
    )
    buildings = _unique(
        root, BUILDINGS, "name", lambda row: Building(row.text("name", required=True), row.text("campus"))
    )
    rooms = _unique(root, ROOMS, "name", lambda row: _room(row, buildings, clock))
    campuses = {building.campus for building in buildings.values() if building.campus}
    courses = _unique(root, COURSES, "code", lambda row: _course(row, departments, campuses))
    teachers = _unique(root, TEACHERS, "name", lambda row: _teacher(row, departments, clock, courses))
    sections = _read_sections(root, clock, rooms, teachers, courses)
    programmes = _unique(root, PROGRAMMES, "name", lambda row: _programme(row, departments))
    cohorts = _read_cohorts(root, sections, programmes)
    years = {(cohort.programme, cohort.year) for cohort in cohorts}
    students = _unique(root, STUDENTS, "student", lambda row: _student(row, years))
    sittings = _unique(
        root,
        EXAM_PERIODS,
        "date",
        lambda row: _exam_period(row, exam_session),
        key=lambda r: f"{r.text('date')} {r.text('start')}",
    )
    return RegistrarData(
        calendar=calendar,
        departments=tuple(departments.values()),
        buildings=tuple(buildings.values()),
        rooms=tuple(rooms.values()),
        teachers=tuple(teachers.values()),
        courses=tuple(courses.values()),
        sections=tuple(sections.values()),
        cohorts=cohorts,
        students=tuple(students.values()),
        registrations=_read_registrations(root, students, sections),
        relations=_read_relations(root, sections),
        programmes=tuple(programmes.values()),
        exams=tuple(_unique(root, EXAMS, "course", lambda row: _exam(row, courses)).values()),
        exam_periods=tuple(sorted(sittings.values(), key=lambda p: (p.date, clock_minutes(p.start)))),
        extra_load=tuple(
            _unique(
                root,
                EXTRA_LOAD,
                "name",
                lambda row: _extra_load(row, departments, courses, teachers, sections),
            ).values()
        ),
    )


def _read_calendar(root: Path) -> Calendar:
    days: list[str] = []
    periods: list[Period] = []
    previous_start = -1
    for row in _rows(root, CALENDAR):
        kind, name = row.text("kind", required=True).lower(), row.text("name", required=True)
        if kind not in ("day", "period"):
            raise row.error("kind", f"must be day or period, found {kind!r}")
        if any(mark in name for mark in " \t-;:,"):
            raise row.error("name", f"{name!r} may not contain spaces or any of - ; : ,")
        if kind == "day":
            if name.lower() in (day.lower() for day in days):
                raise row.error("name", f"day {name} is listed twice")
            days.append(name)
            continue
        if name in (period.name for period in periods):
            raise row.error("name", f"period {name} is listed twice")
        start = row.text("start", required=True)
        clock = _CLOCK.fullmatch(start)
        if clock is None:
            raise row.error("start", f"must be a time of day like 08:30, found {start!r}")
        minutes = int(clock[1]) * 60 + int(clock[2])
        if minutes <= previous_start:
            raise row.error("start", f"period {name} starts at {start}, not after the period before it")
        previous_start = minutes
        lunch = row.text("lunch_after").lower()
        if lunch not in _YES_NO:
            raise row.error("lunch_after", f"must be yes, no or empty, found {lunch!r}")
        periods.append(Period(name, start, _YES_NO[lunch]))
    path = root / CALENDAR.file
    if not days or not periods:
        raise DatasetError(path, None, "the calendar needs at least one day row and one period row")
    if periods[-1].lunch_after:
        raise DatasetError(path, None, f"a lunch break cannot follow the last period {periods[-1].name}")
    return Calendar(tuple(days), tuple(periods))


def _unique(
    root: Path,
    spec: _Spec,
    column: str,
    build: Callable[[_Row], Record],
    key: Callable[[_Row], str] | None = None,
) -> dict[str, Record]:
    """Records by their name column (or a key of several), refusing one given twice."""
    records: dict[str, Record] = {}
    for row in _rows(root, spec):
        name = key(row) if key else row.text(column, required=True)
        if name in records:
            raise row.error(column, f"{name!r} is listed twice")
        records[name] = build(row)
    return records


def _known(row: _Row, column: str, name: str, names: Mapping[str, object], what: str) -> str:
    if name and name not in names:
        raise row.error(column, f"unknown {what} {name!r}")
    return name


def _times(row: _Row, column: str, clock: _Clock) -> tuple[str, ...]:
    times = row.items(column)
    for time in times:
        try:
            clock.slots(time)
        except ValueError as err:
            raise row.error(column, str(err)) from None
    return times


def _room(row: _Row, buildings: dict[str, Building], clock: _Clock) -> Room:
    return Room(
        name=row.text("name", required=True),
        building=_known(row, "building", row.text("building", required=True), buildings, "building"),
        capacity=row.whole("capacity"),
        kind=row.text("kind", required=True),
        features=row.items("features"),
        unavailable=_times(row, "unavailable", clock),
    )


def _teacher(
    row: _Row,
    departments: dict[str, Department],
    clock: _Clock,
    courses: Mapping[str, object] | None = None,
    missing: str = f"not in {COURSES.file}",
) -> TeacherRecord:
    preferences: list[tuple[str, Preference]] = []
    for entry in row.items("preferences"):
        time, colon, word = entry.rpartition(":")
        wish = _WISHES.get(word.strip().lower())
        if not colon or wish is None:
            scale = ", ".join(_WISHES)
            raise row.error("preferences", f"{entry!r} is not 'time: wish' with a wish among {scale}")
        preferences.append((time.strip(), wish))
    try:
        clock.wishes(tuple(preferences))
    except ValueError as err:
        raise row.error("preferences", str(err)) from None
    return TeacherRecord(
        name=row.text("name", required=True),
        department=_known(row, "department", row.text("department"), departments, "department"),
        languages=row.items("languages"),
        unavailable=_times(row, "unavailable", clock),
        preferences=tuple(preferences),
        terms=_teaching_terms(row, courses, missing),
    )


def _teaching_terms(row: _Row, courses: Mapping[str, object] | None, missing: str) -> TeachingTerms:
    """The load-plan columns of a teacher. The courses they name must be among `courses` when it is
    given (a folder's courses.csv, or the stored courses once there are any): a misspelt code would
    leave the teacher unqualified, or the wish unheard, without a word. `missing` says where it was
    looked for."""
    rank = row.text("rank").lower() or "lecturer"
    if rank not in RANKS:
        raise row.error("rank", f"must be one of {', '.join(RANKS)}, found {rank!r}")
    text = row.text("rate") or "1"
    try:
        rate = float(text)
    except ValueError:
        raise row.error("rate", f"must be a share of a full rate like 1 or 0.5, found {text!r}") from None
    if not 0 < rate <= 2:
        raise row.error("rate", f"must be above 0 and at most 2, found {text}")
    for entry in row.items("qualifications"):
        parts = entry.split()
        if len(parts) > 2 or (len(parts) == 2 and parts[1] not in COMPONENTS):
            raise row.error(
                "qualifications",
                f"{entry!r} is not a course code, or a code and one of {', '.join(COMPONENTS)}",
            )
        if courses is not None:
            _listed_course(row, "qualifications", parts[0], courses, missing)
    if courses is not None:
        for column in ("wanted", "unwanted"):
            for code in row.items(column):
                _listed_course(row, column, code, courses, missing)
    return TeachingTerms(
        rank=rank,
        rate=rate,
        minimum_hours=row.whole("minimum_hours") if row.text("minimum_hours") else 0,
        qualifications=row.items("qualifications"),
        wanted=row.items("wanted"),
        unwanted=row.items("unwanted"),
    )


def _listed_course(row: _Row, column: str, code: str, courses: Mapping[str, object], missing: str) -> None:
    if code not in courses:
        teacher = row.text("name")
        raise row.error(
            column,
            f"unknown course {code!r} for teacher {teacher!r} ({missing}){did_you_mean(code, courses)}",
        )


def _extra_load(
    row: _Row,
    departments: Mapping[str, object],
    courses: Mapping[str, object],
    teachers: Mapping[str, object],
    sections: Mapping[str, object],
) -> ExtraLoad:
    """Work besides classes; its name is not a section's, as the teaching load names its items by both."""
    name = row.text("name", required=True)
    if name in sections:
        raise row.error("name", f"{name!r} is a section's name too: give the work a name of its own")
    hours = row.whole("hours")
    return ExtraLoad(
        name=name,
        component=row.component("component"),
        hours=hours,
        department=_known(row, "department", row.text("department"), departments, "department"),
        course=_known(row, "course", row.text("course"), courses, "course"),
        language=row.text("language"),
        teacher=_known(row, "teacher", row.text("teacher"), teachers, "teacher"),
    )


def _course(row: _Row, departments: dict[str, Department], campuses: set[str]) -> Course:
    code = row.text("code", required=True)
    if any(mark.isspace() or mark == ";" for mark in code):
        raise row.error("code", f"{code!r} may not contain spaces or ;")
    return Course(
        code=code,
        title=row.text("title", required=True),
        credits=row.whole("credits"),
        department=_known(row, "department", row.text("department"), departments, "department"),
        campus=_known(
            row, "campus", row.text("campus"), dict.fromkeys(campuses), "campus (of buildings.csv)"
        ),
    )


def _programme(row: _Row, departments: Mapping[str, Department]) -> Programme:
    name = row.text("name", required=True)
    if ";" in name:
        raise row.error("name", f"{name!r} may not contain ;")
    return Programme(
        name, row.text("title"), _known(row, "department", row.text("department"), departments, "department")
    )


def _exam(row: _Row, courses: Mapping[str, Course]) -> ExamRecord:
    course = _known(row, "course", row.text("course", required=True), courses, "course")
    minutes = row.whole("minutes")
    if minutes == 0:
        raise row.error("minutes", "an exam lasts at least a minute")
    return ExamRecord(course, minutes)


WIDEN_THE_SESSION = "check its date, or widen the session if the sitting is meant"


def _exam_period(
    row: _Row, exam_session: tuple[dt.date, dt.date] | None = None, remedy: str = WIDEN_THE_SESSION
) -> ExamPeriod:
    text = row.text("date", required=True)
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise row.error("date", f"must be a date like 2026-12-21, found {text!r}") from None
    if not FIRST_DATE <= date <= LAST_DATE:
        raise row.error("date", f"sittings are planned from {FIRST_DATE} to {LAST_DATE}, not on {text}")
    start = row.text("start", required=True)
    if _CLOCK.fullmatch(start) is None:
        raise row.error("start", f"must be a time of day like 09:00, found {start!r}")
    minutes = row.whole("minutes")
    if minutes == 0:
        raise row.error("minutes", "a sitting lasts at least a minute")
    if clock_minutes(start) + minutes > 24 * 60:
        raise row.error("minutes", f"a sitting from {start} for {minutes} minutes ends after midnight")
    penalty = row.whole("penalty") if row.text("penalty") else 0
    start = f"{clock_minutes(start) // 60:02d}:{clock_minutes(start) % 60:02d}"
    if exam_session is not None and not exam_session[0] <= date <= exam_session[1]:
        # most likely a year or month mistyped: the exam timetable would be built on it
        raise row.error(
            "date",
            f"the sitting on {date} at {start} is outside the exam session, {exam_session[0]} to "
            f"{exam_session[1]}: {remedy}",
        )
    return ExamPeriod(date, start, minutes, penalty)


def clock_minutes(clock: str) -> int:
    """'08:30' as minutes from midnight."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _read_sections(
    root: Path,
    clock: _Clock,
    rooms: dict[str, Room],
    teachers: dict[str, TeacherRecord],
    courses: dict[str, Course],
) -> dict[str, SectionRecord]:
    kinds = {room.kind for room in rooms.values()}
    features = {feature for room in rooms.values() for feature in room.features}
    sections: dict[str, SectionRecord] = {}
    for row in _rows(root, SECTIONS):
        section = _section_record(row, clock, kinds, features, teachers, courses)
        if section.ref in sections:
            raise row.error("section", f"{section.ref} is listed twice")
        sections[section.ref] = section
    return sections


def _section_record(
    row: _Row,
    clock: _Clock,
    kinds: set[str],
    features: set[str],
    teachers: Mapping[str, TeacherRecord],
    courses: Mapping[str, Course],
) -> SectionRecord:
    course = _known(row, "course", row.text("course", required=True), courses, "course")
    name = row.text("section", required=True)
    if ";" in name:
        raise row.error("section", f"{name!r} may not contain ;")
    component = row.text("component", required=True).lower()
    if component not in COMPONENTS:
        raise row.error("component", f"must be one of {', '.join(COMPONENTS)}, found {component!r}")
    language = row.text("language")
    for teacher in row.distinct("teachers"):
        spoken = teachers[_known(row, "teachers", teacher, teachers, "teacher")].languages
        if language and spoken and language not in spoken:
            raise row.error("teachers", f"{teacher} does not teach in {language}")
    room_kind = row.text("room_kind")
    if room_kind and room_kind not in kinds:
        raise row.error("room_kind", f"no room is a {room_kind!r}")
    for feature in row.items("features"):
        if feature not in features:
            raise row.error("features", f"no room offers {feature!r}")
    return SectionRecord(
        course=course,
        name=name,
        component=component,
        size_limit=row.whole("size_limit"),
        meetings=_meetings(row, clock),
        teachers=row.items("teachers"),
        language=language,
        room_kind=room_kind,
        features=row.items("features"),
        allowed_times=_times(row, "allowed_times", clock),
    )


def _meetings(row: _Row, clock: _Clock) -> tuple[int, ...]:
    lengths = row.items("meetings")
    if not lengths:
        raise row.error("meetings", "is empty")
    for length in lengths:
        if not _WHOLE.fullmatch(length) or integer_value(length) < 1:
            found = shown(length)
            raise row.error("meetings", f"each meeting lasts a whole number of periods, found {found!r}")
        if integer_value(length) > clock.per_day:
            raise row.error("meetings", f"a meeting of {shown(length)} periods is longer than the day")
    return tuple(int(length) for length in lengths)


def _section(row: _Row, column: str, ref: str, sections: Mapping[str, SectionRecord]) -> str:
    if ref not in sections:
        raise row.error(column, f"unknown section {ref!r} (write the course code, a space, the section)")
    return sections[ref].ref


def _read_cohorts(
    root: Path, sections: dict[str, SectionRecord], programmes: Mapping[str, Programme]
) -> tuple[CohortRecord, ...]:
    cohorts: dict[tuple[str, int], CohortRecord] = {}
    for row in _rows(root, COHORTS):
        cohort = _cohort(row, sections, programmes)
        if (cohort.programme, cohort.year) in cohorts:
            raise row.error("year", f"{cohort.programme} year {cohort.year} is listed twice")
        cohorts[cohort.programme, cohort.year] = cohort
    return tuple(cohorts.values())


def _cohort(
    row: _Row, sections: Mapping[str, SectionRecord], programmes: Mapping[str, Programme]
) -> CohortRecord:
    """A cohort; when programmes are listed, it must name one of them."""
    programme, year = row.text("programme", required=True), row.whole("year", least=1)
    if programmes and programme not in programmes:
        raise row.error("programme", f"unknown programme {programme!r} (not in programmes.csv)")
    members = tuple(_section(row, "sections", ref, sections) for ref in row.distinct("sections"))
    return CohortRecord(programme, year, members)


def _student(row: _Row, programmes: set[tuple[str, int]]) -> Student:
    programme = row.text("programme")
    year = row.whole("year", least=1) if row.text("year") else None
    if programme and year is not None and (programme, year) not in programmes:
        raise row.error("programme", f"no cohort of {programme} year {year} in cohorts.csv")
    return Student(row.text("student"), programme, year)


def _read_registrations(
    root: Path, students: dict[str, Student], sections: dict[str, SectionRecord]
) -> tuple[Registration, ...]:
    registrations: list[Registration] = []
    seen: set[tuple[str, str]] = set()
    for row in _rows(root, REGISTRATIONS):
        registrations.append(_registration(row, students, sections, seen))
    return tuple(registrations)


def _registration(
    row: _Row,
    students: Mapping[str, Student],
    sections: Mapping[str, SectionRecord],
    seen: set[tuple[str, str]],
) -> Registration:
    name = row.text("student", required=True)
    if name not in students:
        raise row.error("student", f"unknown student {name!r}")
    section = _section(row, "section", row.text("section", required=True), sections)
    if (name, section) in seen:
        raise row.error("section", f"{name} is registered on {section} twice")
    seen.add((name, section))
    return Registration(students[name].id, section)


def _read_relations(root: Path, sections: dict[str, SectionRecord]) -> tuple[Relation, ...]:
    """The relations, none given twice (a slip for another pair, as often as not)."""
    relations: list[Relation] = []
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(root, RELATIONS):
        relation = _relation(row, sections)
        key = relation_key(relation)
        if key in seen:
            raise row.error("second", f"{' '.join(key)} is also on line {seen[key]}")
        seen[key] = row.line
        relations.append(relation)
    return tuple(relations)


def relation_key(relation: Relation) -> tuple[str, str]:
    """What tells relations apart, as a line names it (`SectionRelation.pair`)."""
    first, second = relation.relation.pair(relation.first, relation.second)
    return (first, f"{relation.relation.value} {second}")


def _relation(row: _Row, sections: Mapping[str, SectionRecord]) -> Relation:
    first = _section(row, "first", row.text("first", required=True), sections)
    second = _section(row, "second", row.text("second", required=True), sections)
    word = row.text("relation", required=True).lower()
    if word not in _RELATIONS:
        raise row.error("relation", f"must be one of {', '.join(_RELATIONS)}, found {word!r}")
    if first == second:
        raise row.error("second", f"{first} cannot be related to itself")
    return Relation(first, _RELATIONS[word], second)


def lesson_problem(data: RegistrarData, name: str) -> lessons.LessonProblem:
    """The lesson model of checked records; indices follow file order."""
    try:
        return _lesson_problem(data, name)
    except (KeyError, ValueError) as err:
        reason = (
            validation_reason(err) if isinstance(err, ValidationError) else f"inconsistent records: {err}"
        )
        raise DatasetError(name, None, reason) from None


def _lesson_problem(data: RegistrarData, name: str) -> lessons.LessonProblem:
    clock = _Clock(data.calendar)
    periods = data.calendar.periods
    grid = lessons.TimeGrid(
        days=data.calendar.days,
        periods_per_day=len(periods),
        period_starts=tuple(period.start for period in periods),
        period_names=tuple(period.name for period in periods),
        breaks_after=frozenset(index for index, period in enumerate(periods) if period.lunch_after),
    )
    teacher_index = {teacher.name: index for index, teacher in enumerate(data.teachers)}
    campus_of = {building.name: building.campus for building in data.buildings}
    course_campus = {course.code: course.campus for course in data.courses}
    section_index = {section.ref: index for index, section in enumerate(data.sections)}
    student_index = {student.id: index for index, student in enumerate(data.students)}
    registered = Counter(registration.section for registration in data.registrations)
    every_slot = frozenset(range(clock.slot_count))
    registrations: dict[int, list[int]] = {}
    for registration in data.registrations:
        student = student_index[registration.student]
        registrations.setdefault(student, []).append(section_index[registration.section])
    return lessons.LessonProblem(
        name=name,
        grid=grid,
        rooms=tuple(
            lessons.LessonRoom(
                index=index,
                name=room.name,
                capacity=room.capacity,
                building=room.building,
                campus=campus_of[room.building],
                kind=room.kind,
                features=frozenset(room.features),
                unavailable=clock.all(room.unavailable),
            )
            for index, room in enumerate(data.rooms)
        ),
        teachers=tuple(
            _model_teacher(index, teacher, clock, every_slot) for index, teacher in enumerate(data.teachers)
        ),
        sections=tuple(
            lessons.Section(
                index=index,
                name=section.ref,
                course=section.course,
                campus=course_campus[section.course],
                component=section.component,
                teachers=tuple(teacher_index[teacher] for teacher in section.teachers),
                size=registered[section.ref] if data.registrations else section.size_limit,
                meetings=section.meetings,
                room_kind=section.room_kind or None,
                features=frozenset(section.features),
                forbidden_slots=every_slot - clock.all(section.allowed_times)
                if section.allowed_times
                else frozenset(),
                language=section.language or None,
            )
            for index, section in enumerate(data.sections)
        ),
        cohorts=tuple(
            lessons.Cohort(
                index=index,
                name=f"{cohort.programme} {cohort.year}",
                sections=tuple(section_index[ref] for ref in cohort.sections),
            )
            for index, cohort in enumerate(data.cohorts)
        ),
        registrations={student: tuple(sections) for student, sections in registrations.items()},
        relations=tuple(
            lessons.SectionConstraint(
                first=section_index[relation.first],
                relation=relation.relation,
                second=section_index[relation.second],
            )
            for relation in data.relations
        ),
        scoring=lessons.LessonScoring.REGISTRAR,
        student_names=tuple(student.id for student in data.students),
    )


def _model_teacher(
    index: int, teacher: TeacherRecord, clock: _Clock, every_slot: frozenset[int]
) -> lessons.Teacher:
    """Prohibited times are unavailable ones; with required times, every other time is unavailable."""
    wishes = clock.wishes(teacher.preferences)
    required = {slot for slot, wish in wishes.items() if wish is Preference.REQUIRED}
    prohibited = {slot for slot, wish in wishes.items() if wish is Preference.PROHIBITED}
    unavailable = clock.all(teacher.unavailable) | prohibited | (every_slot - required if required else set())
    return lessons.Teacher(
        index=index,
        name=teacher.name,
        unavailable=frozenset(unavailable),
        preferences={
            slot: wish
            for slot, wish in wishes.items()
            if wish not in (Preference.REQUIRED, Preference.PROHIBITED)
        },
        languages=frozenset(teacher.languages),
    )


def write_registrar(data: RegistrarData, folder: PathLike) -> None:
    """Write the records as a registrar CSV folder (created if missing), one file per kind."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    calendar = [("day", day, "", "") for day in data.calendar.days] + [
        ("period", period.name, period.start, "yes" if period.lunch_after else "")
        for period in data.calendar.periods
    ]
    tables: list[tuple[_Spec, Sequence[Sequence[object]]]] = [
        (CALENDAR, calendar),
        (DEPARTMENTS, [(d.name, d.faculty) for d in data.departments]),
        (BUILDINGS, [(b.name, b.campus) for b in data.buildings]),
        (
            ROOMS,
            [
                (r.name, r.building, r.capacity, r.kind, _list(r.features), _list(r.unavailable))
                for r in data.rooms
            ],
        ),
        (
            TEACHERS,
            [
                (
                    t.name,
                    t.department,
                    _list(t.languages),
                    _list(t.unavailable),
                    _list(tuple(f"{time}: {wish}" for time, wish in t.preferences)),
                    t.terms.rank,
                    f"{t.terms.rate:g}",
                    t.terms.minimum_hours,
                    _list(t.terms.qualifications),
                    _list(t.terms.wanted),
                    _list(t.terms.unwanted),
                )
                for t in data.teachers
            ],
        ),
        (COURSES, [(c.code, c.title, c.credits, c.department, c.campus) for c in data.courses]),
        (
            SECTIONS,
            [
                (
                    s.course,
                    s.name,
                    s.component,
                    s.size_limit,
                    _list(tuple(str(length) for length in s.meetings)),
                    _list(s.teachers),
                    s.language,
                    s.room_kind,
                    _list(s.features),
                    _list(s.allowed_times),
                )
                for s in data.sections
            ],
        ),
        (PROGRAMMES, [(p.name, p.title, p.department) for p in data.programmes]),
        (COHORTS, [(c.programme, c.year, _list(c.sections)) for c in data.cohorts]),
        (STUDENTS, [(s.id, s.programme, "" if s.year is None else s.year) for s in data.students]),
        (REGISTRATIONS, [(r.student, r.section) for r in data.registrations]),
        (RELATIONS, [(r.first, r.relation.value, r.second) for r in data.relations]),
        (EXAMS, [(e.course, e.minutes) for e in data.exams]),
        (
            EXTRA_LOAD,
            [
                (x.name, x.component, x.hours, x.department, x.course, x.language, x.teacher)
                for x in data.extra_load
            ],
        ),
        (EXAM_PERIODS, [(p.date.isoformat(), p.start, p.minutes, p.penalty) for p in data.exam_periods]),
    ]
    for spec, rows in tables:
        with (root / spec.file).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(spec.columns)
            writer.writerows(rows)


def _list(items: tuple[str, ...]) -> str:
    return ";".join(items)
