"""The registrar's CSV folder and the synthetic semester: generated, written, read back, checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.generate import generate
from constraints.lessons.timetable import suits
from datasets.errors import DatasetError
from datasets.registrar_csv import (
    RegistrarData,
    lesson_problem,
    read_records,
    read_registrar,
    write_registrar,
)
from datasets.registrar_records import ExamPeriod, ExamRecord, ExtraLoad, Programme, TeachingTerms
from datasets.semester import generate_semester
from models import LessonProblem, LessonScoring, Preference, SectionRelation

STUDENTS = 300


@pytest.fixture(scope="module")
def semester() -> RegistrarData:
    return generate_semester(STUDENTS, seed=7)


@pytest.fixture(scope="module")
def folder(semester: RegistrarData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("semester")
    write_registrar(semester, path)
    return path


@pytest.fixture(scope="module")
def problem(folder: Path) -> LessonProblem:
    return read_registrar(folder)


def _periods(problem: LessonProblem, sections: tuple[int, ...] | list[int]) -> int:
    return sum(sum(problem.sections[section].meetings) for section in sections)


# --- the generated semester, read back --------------------------------------------------------


def test_a_generated_semester_reads_back_into_the_lesson_model(
    semester: RegistrarData, problem: LessonProblem
) -> None:
    assert problem.scoring is LessonScoring.REGISTRAR
    assert len(problem.rooms) == len(semester.rooms)
    assert len(problem.teachers) == len(semester.teachers)
    assert len(problem.sections) == len(semester.sections)
    assert len(problem.cohorts) == len(semester.cohorts)
    assert sum(len(registered) for registered in problem.registrations.values()) == len(
        semester.registrations
    )
    assert len(problem.registrations) == STUDENTS  # every student is registered on something
    assert problem.grid.slot_count == 6 * 12 and problem.grid.breaks_after == frozenset({3})


def test_every_registration_points_at_a_section_and_sizes_count_them(
    semester: RegistrarData, problem: LessonProblem
) -> None:
    for registered in problem.registrations.values():
        assert registered and all(0 <= section < len(problem.sections) for section in registered)
        assert len(set(registered)) == len(registered)
    for section, record in zip(problem.sections, semester.sections, strict=True):
        assert section.size == len(problem.students_of[section.index])
        assert 0 < section.size <= record.size_limit


def test_every_section_has_a_room_of_its_kind_large_enough(
    semester: RegistrarData, problem: LessonProblem
) -> None:
    for section, record in zip(problem.sections, semester.sections, strict=True):
        assert any(
            room.kind == section.room_kind
            and room.capacity >= record.size_limit
            and section.features <= room.features
            for room in problem.rooms
        ), section.name


def test_groups_are_as_large_as_the_credit_system_and_the_rooms_allow(semester: RegistrarData) -> None:
    for section in semester.sections:
        if section.component == "lab":
            assert section.size_limit == 12
        elif section.component == "practice":
            assert section.size_limit <= 30
        else:
            assert section.size_limit <= 250
    halls = [room.capacity for room in semester.rooms if room.kind == "lecture hall"]
    classrooms = [room.capacity for room in semester.rooms if room.kind == "classroom"]
    assert halls and all(100 <= seats <= 250 for seats in halls)
    assert classrooms and all(25 <= seats <= 40 for seats in classrooms)


def test_cohort_and_student_hours_fit_the_week(problem: LessonProblem) -> None:
    week = problem.grid.slot_count
    assert problem.cohorts and all(cohort.sections for cohort in problem.cohorts)
    for cohort in problem.cohorts:
        assert _periods(problem, cohort.sections) <= week // 2, cohort.name
    for registered in problem.registrations.values():
        assert _periods(problem, registered) <= week // 2


def test_teacher_hours_fit_their_availability(problem: LessonProblem) -> None:
    load: Counter[int] = Counter()
    for section in problem.sections:
        assert section.teachers, section.name
        for index in section.teachers:
            load[index] += sum(section.meetings)
            assert section.language in problem.teachers[index].languages
    for teacher in problem.teachers:
        available = problem.grid.slot_count - len(teacher.unavailable)
        assert 0 < load[teacher.index] <= available // 2, teacher.name


def test_students_take_their_cohort_block_plus_electives(semester: RegistrarData) -> None:
    block = {(cohort.programme, cohort.year): set(cohort.sections) for cohort in semester.cohorts}
    registered: dict[str, set[str]] = {}
    for registration in semester.registrations:
        registered.setdefault(registration.student, set()).add(registration.section)
    courses_of = {student: {ref.split()[0] for ref in refs} for student, refs in registered.items()}
    for student in semester.students:
        assert student.year is not None
        assert block[student.programme, student.year] <= registered[student.id]
        assert 4 <= len(courses_of[student.id]) <= 6
    per_student = len(semester.registrations) / len(semester.students)
    assert 6 <= per_student <= 11


def test_the_generator_writes_relations_preferences_and_restrictions(semester: RegistrarData) -> None:
    assert {relation.relation for relation in semester.relations} >= {SectionRelation.AVOID}
    assert any(teacher.preferences for teacher in semester.teachers)
    assert any(teacher.unavailable for teacher in semester.teachers)
    assert len({teacher.name for teacher in semester.teachers}) == len(semester.teachers)


def test_the_same_seed_gives_the_same_semester_and_another_seed_another(semester: RegistrarData) -> None:
    assert generate_semester(STUDENTS, seed=7) == semester
    other = generate_semester(STUDENTS, seed=8)
    assert other != semester
    assert other.registrations != semester.registrations


def test_scale_builds_a_multi_campus_university() -> None:
    university = generate_semester(150, seed=1, scale=3)
    assert len(university.students) == 450
    assert len({building.campus for building in university.buildings}) == 3
    single = generate_semester(150, seed=1)
    assert len(university.rooms) > 2 * len(single.rooms)
    assert len(university.sections) > 2 * len(single.sections)
    problem = lesson_problem(university, "three campuses")
    campuses = {room.campus for room in problem.rooms}
    assert len(campuses) == 3
    for section in problem.sections:  # each looks at its campus's rooms only: the others never suit it
        assert section.campus in campuses
        seen = problem.rooms_open_to(section)
        assert {room.campus for room in seen} == {section.campus}
        assert [r for r in problem.rooms if r not in seen and suits(problem, section, r)] == []
    anywhere = problem.sections[0].model_copy(update={"campus": ""})
    assert problem.rooms_open_to(anywhere) == problem.rooms


def test_write_then_read_gives_back_the_records_and_the_same_files(
    semester: RegistrarData, folder: Path, problem: LessonProblem, tmp_path: Path
) -> None:
    assert read_records(folder) == semester
    assert lesson_problem(semester, folder.name) == problem
    write_registrar(read_records(folder), tmp_path)
    for written in folder.iterdir():
        assert (tmp_path / written.name).read_bytes() == written.read_bytes(), written.name


def test_five_thousand_students_have_the_domain_sizes() -> None:
    # DOMAIN.md: 120 rooms, 300 teachers, 600 disciplines, 1,500 sections, 40,000 registrations.
    university = generate_semester(5000, seed=1)
    expected = {
        "rooms": (len(university.rooms), 120),
        "teachers": (len(university.teachers), 300),
        "courses": (len(university.courses), 600),
        "sections": (len(university.sections), 1500),
        "registrations": (len(university.registrations), 40_000),
    }
    for what, (found, domain) in expected.items():
        assert 0.75 * domain <= found <= 1.25 * domain, f"{what}: {found}, DOMAIN.md says about {domain}"
    assert len(university.students) == 5000
    assert len(university.buildings) >= 3


# --- a hand-made folder -------------------------------------------------------------------------


def _csv(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


GOOD = {
    "calendar.csv": _csv(
        "kind,name,start,lunch_after",
        "day,Mon,,",
        "day,Tue,,",
        "period,1,08:00,",
        "period,2,09:00,yes",
        "period,3,10:00,",
    ),
    "departments.csv": _csv("name,faculty", "Computer Engineering,School of IT"),
    "buildings.csv": _csv("name,campus", "Main Building,Almaty"),
    "rooms.csv": _csv(
        "name,building,capacity,kind,features,unavailable",
        "MB-101,Main Building,120,lecture hall,projector;microphone,",
        "MB-102,Main Building,30,classroom,,Tue 3",
    ),
    "teachers.csv": _csv(
        "name,department,languages,unavailable,preferences,rank,rate,qualifications",
        "Akhmetova Aigerim,Computer Engineering,English;Russian,Tue,"
        "Mon 1: discouraged;Mon 2-3: strongly preferred,associate professor,1,CSE1001",
        "Petrov Sergey,Computer Engineering,,,,,0.5,CSE1001 practice",
    ),
    "courses.csv": _csv(
        "code,title,credits,department", "CSE1001,Programming Principles,5,Computer Engineering"
    ),
    "sections.csv": _csv(
        "course,section,component,size_limit,meetings,teachers,language,room_kind,features,allowed_times",
        "CSE1001,L1,lecture,100,2,Akhmetova Aigerim,English,lecture hall,projector,",
        "CSE1001,P1,practice,30,1;1,Petrov Sergey,English,classroom,,Mon;Tue 1-2",
    ),
    "cohorts.csv": _csv("programme,year,sections", "Computer Science,1,CSE1001 L1"),
    "students.csv": _csv(
        "student,programme,year", "25B000001,Computer Science,1", "25B000002,Computer Science,1"
    ),
    "registrations.csv": _csv(
        "student,section", "25B000001,CSE1001 L1", "25B000001,CSE1001 P1", "25B000002,CSE1001 L1"
    ),
    "section_relations.csv": _csv("first,relation,second", "CSE1001 L1,before,CSE1001 P1"),
    "programmes.csv": _csv(
        "name,title,department", "Computer Science,BSc Computer Science,Computer Engineering"
    ),
    "exams.csv": _csv("course,minutes", "CSE1001,90"),
    "extra_load.csv": _csv(
        "name,component,hours,department,course,language,teacher",
        "Theses CE,thesis supervision,120,Computer Engineering,,English,Akhmetova Aigerim",
    ),
    "exam_periods.csv": _csv("date,start,minutes,penalty", "2026-12-22,14:00,120,", "2026-12-22,9:00,180,3"),
}


def _folder(root: Path, **changed: str | None) -> Path:
    """The good folder with some files replaced (None leaves a file out)."""
    root.mkdir(exist_ok=True)
    for name, text in GOOD.items():
        replacement = changed.get(name.removesuffix(".csv"), text)
        if replacement is not None:
            (root / name).write_text(replacement, encoding="utf-8")
    return root


def test_a_hand_made_folder_reads_into_the_expected_problem(tmp_path: Path) -> None:
    problem = read_registrar(_folder(tmp_path / "spring"))
    assert problem.name == "spring"
    assert problem.grid.days == ("Mon", "Tue") and problem.grid.periods_per_day == 3
    assert problem.grid.period_starts == ("08:00", "09:00", "10:00")
    assert problem.grid.breaks_after == frozenset({1})
    assert [room.name for room in problem.rooms] == ["MB-101", "MB-102"]
    assert problem.rooms[1].unavailable == frozenset({5}) and problem.rooms[0].features == {
        "projector",
        "microphone",
    }
    teacher = problem.teachers[0]
    assert teacher.unavailable == frozenset({3, 4, 5}) and teacher.languages == {"English", "Russian"}
    assert teacher.preferences == {
        0: Preference.DISCOURAGED,
        1: Preference.STRONGLY_PREFERRED,
        2: Preference.STRONGLY_PREFERRED,
    }
    lecture, practice = problem.sections
    assert (lecture.name, lecture.course, lecture.component, lecture.teachers) == (
        "CSE1001 L1",
        "CSE1001",
        "lecture",
        (0,),
    )
    assert (lecture.size, practice.size) == (2, 1)
    assert practice.meetings == (1, 1) and practice.forbidden_slots == frozenset({5})
    assert practice.room_kind == "classroom" and practice.language == "English"
    assert problem.cohorts[0].name == "Computer Science 1" and problem.cohorts[0].sections == (0,)
    assert problem.registrations == {0: (0, 1), 1: (0,)}
    assert [(r.first, r.relation, r.second) for r in problem.relations] == [(0, SectionRelation.BEFORE, 1)]


def test_the_exam_session_and_programmes_read_in_date_order(tmp_path: Path) -> None:
    data = read_records(_folder(tmp_path / "good"))
    assert data.programmes == (Programme("Computer Science", "BSc Computer Science", "Computer Engineering"),)
    assert data.exams == (ExamRecord("CSE1001", 90),)
    assert data.teachers[0].terms == TeachingTerms("associate professor", 1.0, 0, ("CSE1001",))
    assert data.teachers[1].terms.rate == 0.5 and data.teachers[1].terms.rank == "lecturer"
    assert data.extra_load == (
        ExtraLoad(
            "Theses CE", "thesis supervision", 120, "Computer Engineering", "", "English", "Akhmetova Aigerim"
        ),
    )
    assert data.exam_periods == (
        ExamPeriod(dt.date(2026, 12, 22), "09:00", 180, 3),
        ExamPeriod(dt.date(2026, 12, 22), "14:00", 120, 0),
    )
    write_registrar(data, tmp_path / "again")
    assert read_records(tmp_path / "again") == data


def test_without_registrations_a_section_counts_its_size_limit(tmp_path: Path) -> None:
    problem = read_registrar(_folder(tmp_path, registrations=None, students=None))
    assert [section.size for section in problem.sections] == [100, 30]
    assert problem.registrations == {}


def test_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    rooms = _csv(
        "name,building,capacity,kind",
        "MB-101,Main Building,120,lecture hall",
        "MB-102,Main Building,30,classroom",
    )
    sections = _csv(
        "course,section,component,size_limit,meetings",
        "CSE1001,L1,lecture,100,2",
        "CSE1001,P1,practice,30,1;1",
    )
    problem = read_registrar(_folder(tmp_path, rooms=rooms, sections=sections, section_relations=None))
    assert problem.sections[1].teachers == () and problem.sections[1].room_kind is None
    assert problem.relations == ()


def _replace(file: str, old: str, new: str) -> dict[str, str]:
    assert old in GOOD[f"{file}.csv"], old
    return {file: GOOD[f"{file}.csv"].replace(old, new)}


MALFORMED = {
    "unknown building": ("rooms", 2, "building", _replace("rooms", "MB-101,Main Building", "MB-101,Annex")),
    "duplicate room": ("rooms", 3, "name", _replace("rooms", "MB-102,", "MB-101,")),
    "negative capacity": ("rooms", 2, "capacity", _replace("rooms", ",120,", ",-120,")),
    "capacity not a number": ("rooms", 3, "capacity", _replace("rooms", ",30,", ",thirty,")),
    "missing column": ("rooms", 1, "capacity", _replace("rooms", "capacity,", "")),
    "misspelt column": ("rooms", 1, "capacty", _replace("rooms", "capacity", "capacty")),
    "bad room time": ("rooms", 3, "unavailable", _replace("rooms", "Tue 3", "Tue 4")),
    "empty kind": ("rooms", 2, "kind", _replace("rooms", ",lecture hall,", ",,")),
    "duplicate teacher": ("teachers", 3, "name", _replace("teachers", "Petrov Sergey", "Akhmetova Aigerim")),
    "unknown department": (
        "teachers",
        3,
        "department",
        _replace("teachers", "Sergey,Computer", "Sergey,Physics"),
    ),
    "bad day": ("teachers", 2, "unavailable", _replace("teachers", ",Tue,", ",Funday,")),
    "backward periods": ("teachers", 2, "preferences", _replace("teachers", "Mon 2-3", "Mon 3-2")),
    "bad preference word": ("teachers", 2, "preferences", _replace("teachers", ": discouraged", ": hated")),
    "preference without a wish": (
        "teachers",
        2,
        "preferences",
        _replace("teachers", "Mon 1: discouraged", "Mon 1"),
    ),
    "two wishes at once": ("teachers", 2, "preferences", _replace("teachers", "Mon 2-3", "Mon 1-3")),
    "duplicate course": (
        "courses",
        3,
        "code",
        {"courses": GOOD["courses.csv"] + "CSE1001,Programming Again,5,Computer Engineering\n"},
    ),
    "empty title": ("courses", 2, "title", _replace("courses", "Programming Principles", "")),
    "negative credits": ("courses", 2, "credits", _replace("courses", ",5,", ",-5,")),
    "credits beyond any database's": ("courses", 2, "credits", _replace("courses", ",5,", f",{10**20},")),
    "credits of thousands of digits": (
        "courses",
        2,
        "credits",
        _replace("courses", ",5,", f",{'9' * 5000},"),
    ),
    "a meeting of thousands of digits": (
        "sections",
        3,
        "meetings",
        _replace("sections", ",1;1,", f",1;{'9' * 5000},"),
    ),
    "a NUL in a title": ("courses", 2, "title", _replace("courses", "Programming Principles", "Prog\x00")),
    "cohort year 0": ("cohorts", 2, "year", _replace("cohorts", "Science,1,", "Science,0,")),
    "unknown course": ("sections", 2, "course", _replace("sections", "CSE1001,L1", "CSE9999,L1")),
    "unknown teacher": ("sections", 3, "teachers", _replace("sections", "Petrov Sergey", "Sidorov Ivan")),
    "teacher without the language": (
        "sections",
        2,
        "teachers",
        _replace("sections", "Aigerim,English", "Aigerim,Kazakh"),
    ),
    "duplicate section": ("sections", 3, "section", _replace("sections", "CSE1001,P1", "CSE1001,L1")),
    "bad component": ("sections", 2, "component", _replace("sections", ",lecture,", ",seminar,")),
    "bad meetings": ("sections", 3, "meetings", _replace("sections", ",1;1,", ",1;x,")),
    "meeting longer than a day": ("sections", 2, "meetings", _replace("sections", ",100,2,", ",100,4,")),
    "no room of the kind": ("sections", 3, "room_kind", _replace("sections", ",classroom,", ",gym,")),
    "no room with the feature": ("sections", 2, "features", _replace("sections", ",projector,", ",piano,")),
    "bad allowed time": ("sections", 3, "allowed_times", _replace("sections", "Tue 1-2", "Tue 1-9")),
    "empty size limit": ("sections", 2, "size_limit", _replace("sections", ",100,", ",,")),
    "unknown cohort section": ("cohorts", 2, "sections", _replace("cohorts", "CSE1001 L1", "CSE1001 L7")),
    "duplicate cohort": ("cohorts", 3, "year", {"cohorts": GOOD["cohorts.csv"] + "Computer Science,1,\n"}),
    "duplicate student": ("students", 3, "student", _replace("students", "25B000002", "25B000001")),
    "student of no cohort": (
        "students",
        3,
        "programme",
        _replace("students", "002,Computer Science", "002,Law"),
    ),
    "registration of an unknown student": (
        "registrations",
        4,
        "student",
        _replace("registrations", "25B000002,", "25B000003,"),
    ),
    "registration on a section that does not exist": (
        "registrations",
        3,
        "section",
        _replace("registrations", "25B000001,CSE1001 P1", "25B000001,CSE1001 P2"),
    ),
    "registration twice": (
        "registrations",
        3,
        "section",
        _replace("registrations", "25B000001,CSE1001 P1", "25B000001,CSE1001 L1"),
    ),
    "bad relation": ("section_relations", 2, "relation", _replace("section_relations", "before", "after")),
    "relation to itself": (
        "section_relations",
        2,
        "second",
        _replace("section_relations", "CSE1001 P1", "CSE1001 L1"),
    ),
    "relation twice, the other way round": (
        "section_relations",
        3,
        "second",
        {
            "section_relations": _csv(
                "first,relation,second", "CSE1001 L1,avoid,CSE1001 P1", "CSE1001 P1,avoid,CSE1001 L1"
            )
        },
    ),
    "bad start": ("calendar", 5, "start", _replace("calendar", "09:00", "9 am")),
    "starts out of order": ("calendar", 6, "start", _replace("calendar", "10:00", "08:30")),
    "bad lunch flag": ("calendar", 5, "lunch_after", _replace("calendar", "yes", "maybe")),
    "bad calendar kind": ("calendar", 2, "kind", _replace("calendar", "day,Mon", "weekday,Mon")),
    "cohort of an unlisted programme": (
        "cohorts",
        2,
        "programme",
        _replace("cohorts", "Computer Science,1", "Law,1"),
    ),
    "programme of no department": (
        "programmes",
        2,
        "department",
        _replace("programmes", ",Computer Engineering", ",Law"),
    ),
    "unknown rank": ("teachers", 2, "rank", _replace("teachers", "associate professor", "dean")),
    "rate above two": ("teachers", 3, "rate", _replace("teachers", ",0.5,", ",2.5,")),
    "rate not a number": ("teachers", 3, "rate", _replace("teachers", ",0.5,", ",half,")),
    "bad qualification": (
        "teachers",
        3,
        "qualifications",
        _replace("teachers", "CSE1001 practice", "CSE1001 seminar"),
    ),
    "extra load of an unknown teacher": (
        "extra_load",
        2,
        "teacher",
        _replace("extra_load", ",Akhmetova Aigerim", ",Nobody"),
    ),
    "extra load of no hours": ("extra_load", 2, "hours", _replace("extra_load", ",120,", ",,")),
    "extra load of a misspelt component": (
        "extra_load",
        2,
        "component",
        _replace("extra_load", ",thesis supervision,", ",thesis supervison,"),
    ),
    # Both are items of the teaching load, which refused them with no file or line.
    "extra load twice": (
        "extra_load",
        3,
        "listed twice",
        {"extra_load": GOOD["extra_load.csv"] + "Theses CE,thesis supervision,60,,,,\n"},
    ),
    "extra load named as a section": (
        "extra_load",
        3,
        "'CSE1001 P1' is a section's name too",
        {"extra_load": GOOD["extra_load.csv"] + "CSE1001 P1,thesis supervision,10,,,,\n"},
    ),
    "exam of an unknown course": ("exams", 2, "course", _replace("exams", "CSE1001,", "CSE9999,")),
    "exam of no length": ("exams", 2, "minutes", _replace("exams", ",90", ",0")),
    "exam twice": ("exams", 3, "course", {"exams": GOOD["exams.csv"] + "CSE1001,60\n"}),
    "bad sitting date": (
        "exam_periods",
        2,
        "date",
        _replace("exam_periods", "2026-12-22,14", "22.12.2026,14"),
    ),
    "sitting in 1900": (
        "exam_periods",
        2,
        "date",
        _replace("exam_periods", "2026-12-22,14", "1900-12-22,14"),
    ),
    "bad sitting start": ("exam_periods", 3, "start", _replace("exam_periods", ",9:00,", ",9am,")),
    "sitting past midnight": (
        "exam_periods",
        2,
        "minutes",
        _replace("exam_periods", "14:00,120", "23:00,120"),
    ),
    "sitting twice": ("exam_periods", 3, "date", _replace("exam_periods", ",9:00,", ",14:00,")),
    "too many fields": ("buildings", 2, "fields", {"buildings": "name,campus\nMain Building,Almaty,Extra\n"}),
    "section twice in a cohort": (
        "cohorts",
        2,
        "named twice",
        _replace("cohorts", ",1,CSE1001 L1", ",1,CSE1001 L1;CSE1001 L1"),
    ),
    # It stopped the first timetable with a traceback (the teacher due twice at every meeting).
    "teacher twice on a section": (
        "sections",
        2,
        "named twice",
        _replace("sections", ",Akhmetova Aigerim,", ",Akhmetova Aigerim;Akhmetova Aigerim,"),
    ),
    # Named where the quote opens, not at the file's end where the rows it swallowed end.
    "a quote left open": ("rooms", 2, "quote", _replace("rooms", "MB-101,", '"MB-101,')),
}


@pytest.mark.parametrize(("file", "line", "column", "changed"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_input_names_the_file_line_and_column(
    tmp_path: Path, file: str, line: int, column: str, changed: dict[str, str]
) -> None:
    with pytest.raises(DatasetError) as caught:
        read_registrar(_folder(tmp_path, **changed))
    error = caught.value
    assert Path(error.path).name == f"{file}.csv", str(error)
    assert error.line == line, str(error)
    assert column in error.reason, str(error)
    assert f"{file}.csv:{line}: " in str(error)


@pytest.mark.parametrize(
    ("column", "cells", "message"),
    [
        (
            "qualifications",
            "CSE1010 practice,,",
            "unknown course 'CSE1010' for teacher 'Petrov Sergey' (not in courses.csv); "
            "did you mean 'CSE1001'?",
        ),
        (
            "wanted",
            "CSE1001 practice,CSE101,",
            "unknown course 'CSE101' for teacher 'Petrov Sergey' (not in courses.csv); "
            "did you mean 'CSE1001'?",
        ),
        (
            "unwanted",
            "CSE1001 practice,,CSE1001;LAW3003",
            "unknown course 'LAW3003' for teacher 'Petrov Sergey' (not in courses.csv)",
        ),
    ],
)
def test_a_teachers_load_columns_name_courses_of_courses_csv(
    tmp_path: Path, column: str, cells: str, message: str
) -> None:
    """The teaching load took a misspelt code silently: the teacher unqualified, or the wish unheard."""
    teachers = GOOD["teachers.csv"].replace(",qualifications\n", ",qualifications,wanted,unwanted\n", 1)
    teachers = teachers.replace(",CSE1001 practice\n", f",{cells}\n")
    with pytest.raises(DatasetError) as caught:
        read_records(_folder(tmp_path, teachers=teachers))
    assert str(caught.value).endswith(f"teachers.csv:3: {column}: {message}")


def test_a_missing_required_file_or_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"rooms\.csv: file not found"):
        read_registrar(_folder(tmp_path / "a", rooms=None))
    with pytest.raises(DatasetError, match="not a folder"):
        read_registrar(tmp_path / "nowhere")
    with pytest.raises(DatasetError, match=r"calendar\.csv:1: empty file"):
        read_registrar(_folder(tmp_path / "b", calendar=""))
    with pytest.raises(DatasetError, match="at least one day row and one period row"):
        read_registrar(_folder(tmp_path / "c", calendar="kind,name,start\nday,Mon,\n"))


# --- the command ------------------------------------------------------------------------------


def test_generate_semester_writes_a_folder_and_sums_it_up(tmp_path: Path) -> None:
    output = tmp_path / "spring"
    arguments = ["semester", "--students", "200", "--seed", "3", "--output", str(output)]
    result = CliRunner().invoke(generate, arguments)
    assert result.exit_code == 0, result.output
    records = read_records(output)
    assert records == generate_semester(200, seed=3)
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert f"{len(records.sections):,}" in lines["sections"] and "lecture" in lines["sections"]
    assert f"{len(records.registrations):,}" in lines["registrations"]
    assert "classroom" in lines["rooms"] and "periods a week" in lines["meetings"]
    assert "200 students on 1 campus (seed 3)" in result.output


def test_generate_semester_at_scale_names_the_campuses(tmp_path: Path) -> None:
    arguments = ["semester", "--students", "120", "--seed", "1", "--scale", "2", "--output", str(tmp_path)]
    result = CliRunner().invoke(generate, arguments)
    assert result.exit_code == 0, result.output
    assert "240 students on 2 campuses" in result.output
    assert {building.campus for building in read_records(tmp_path).buildings} == {"Almaty", "Astana"}


def test_generate_semester_needs_an_output_folder() -> None:
    result = CliRunner().invoke(generate, ["semester", "--students", "100"])
    assert result.exit_code == 2 and "--output" in result.output
