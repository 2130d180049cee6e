"""Imports of one kind of record from CSV or XLSX: templates to start from, updates and additions
in one transaction, and every bad row named by line and column with nothing stored."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from datasets.registrar_records import Calendar, Period, TeacherRecord
from datasets.registrar_tables import KINDS, SESSION_DATES, Known, read_table
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app, signed_in


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with running_app(tmp_path, 150, 9, backend=request.param) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def stored(app: Flask):  # type: ignore[no-untyped-def]
    with app.extensions[KEY].database.transaction() as session:
        return load_semester(session, SEMESTER)


def upload(client: FlaskClient, kind: str, name: str, content: bytes, semester: str = SEMESTER):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/semesters/{semester}/imports/{kind}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize("kind", list(KINDS))
def test_templates_give_each_kinds_columns_in_csv_and_xlsx(client: FlaskClient, kind: str) -> None:
    columns = list(KINDS[kind].spec.columns)
    as_csv = client.get(f"/api/templates/{kind}.csv")
    assert as_csv.status_code == 200 and as_csv.data.decode().strip().split(",") == columns
    assert f"{kind}.csv" in as_csv.headers["Content-Disposition"]
    as_xlsx = client.get(f"/api/templates/{kind}.xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == columns


def test_rooms_are_updated_and_added(app: Flask, client: FlaskClient) -> None:
    before = stored(app)
    first = before.rooms[0]
    content = (
        "name,building,capacity,kind,features\n"
        f"{first.name},{first.building},{first.capacity + 7},{first.kind},projector\n"
        f"Annex 1,{first.building},24,classroom,\n"
    ).encode()
    answer = upload(client, "rooms", "rooms.csv", content)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"kind": "rooms", "rows": 2, "added": 1, "updated": 1}
    rooms = {room.name: room for room in stored(app).rooms}
    assert rooms[first.name].capacity == first.capacity + 7 and rooms[first.name].features == ("projector",)
    assert rooms["Annex 1"].capacity == 24 and len(rooms) == len(before.rooms) + 1


def test_every_bad_row_is_named_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    before = stored(app)
    building = before.rooms[0].building
    content = (
        "name,building,capacity,kind\n"
        f"Good room,{building},30,classroom\n"
        f"Minus,{building},-5,classroom\n"
        "Nowhere,Atlantis,30,classroom\n"
        f"Good room,{building},31,classroom\n"
        f"No kind,{building},30,\n"
        f",{building},30,classroom\n"
        f"Huge,{building},99999999999999999999,classroom\n"
        f"Nul\x00,{building},30,classroom\n"
    ).encode()
    answer = upload(client, "rooms", "rooms.csv", content)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    errors = answer.get_json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "capacity"),
        (4, "building"),
        (5, ""),
        (6, "kind"),
        (7, "name"),
        (8, "capacity"),
        (9, "name"),
    ]
    assert [e["message"] for e in errors[4:]] == [
        "is empty",
        "must be at most 1,000,000, found 99999999999999999999",
        "contains the control character U+0000",
    ]
    assert (
        "must not be negative" in errors[0]["message"]
        and "unknown building 'Atlantis'" in errors[1]["message"]
    )
    assert "also on line 2" in errors[2]["message"] and "7 bad rows" in answer.get_json()["detail"]
    assert stored(app) == before


def test_teachers_from_a_workbook(app: Flask, client: FlaskClient) -> None:
    department = stored(app).teachers[0].department
    content = xlsx(
        [
            ["name", "department", "languages", "unavailable", "preferences"],
            ["Dr New", department, "English; Kazakh", "Sat", "Mon 1: discouraged"],
        ]
    )
    answer = upload(client, "teachers", "staff.xlsx", content)
    assert answer.status_code == 200, answer.get_json()
    teacher = {t.name: t for t in stored(app).teachers}["Dr New"]
    assert teacher.languages == ("English", "Kazakh") and teacher.unavailable == ("Sat",)
    assert teacher.preferences[0][0] == "Mon 1" and teacher.preferences[0][1].value == "discouraged"


def test_a_course_a_teacher_names_that_no_stored_course_has_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    """'PET-2001' for 'PET2001' was stored; the load run then found nobody qualified for PET2001."""
    before = stored(app)
    content = (
        b"name,department,qualifications,wanted,unwanted\n"
        b"Dr New,Petroleum Engineering,PET-2001 practice;PET2002,,\n"
        b"Dr Other,Petroleum Engineering,PET2001,PET2001;XYZ9,\n"
        b"Dr Right,Petroleum Engineering,PET2001 practice,PET2002,PET2003\n"
    )
    answer = upload(client, "teachers", "staff.csv", content)
    assert answer.status_code == 422, answer.get_json()
    missing = "no stored course has this code; import the course first if it is new"
    assert answer.get_json()["errors"] == [
        {
            "row": 2,
            "field": "qualifications",
            "message": f"unknown course 'PET-2001' for teacher 'Dr New' ({missing}); did you mean 'PET2001'?",
        },
        {"row": 3, "field": "wanted", "message": f"unknown course 'XYZ9' for teacher 'Dr Other' ({missing})"},
    ]
    assert stored(app) == before
    right = "name,department,qualifications\nDr New,Petroleum Engineering,PET2001 practice;PET2002\n"
    assert upload(client, "teachers", "staff.csv", right.encode()).status_code == 200


def test_teachers_may_come_before_any_course() -> None:
    """With no course stored, nothing to check against: the load run warns of a code no course has."""
    known = Known(calendar=Calendar(days=("Mon",), periods=(Period("1", "09:00"),)))
    content = b"name,qualifications,wanted\nDr First,CALC101 lecture,CALC101\n"
    (teacher,) = read_table("teachers", "staff.csv", content, known)
    assert isinstance(teacher, TeacherRecord)
    assert teacher.terms.qualifications == ("CALC101 lecture",) and teacher.terms.wanted == ("CALC101",)


def test_sections_and_registrations_go_to_the_semester(app: Flask, client: FlaskClient) -> None:
    before = stored(app)
    course, teacher = before.courses[0].code, before.teachers[0]
    language = teacher.languages[0] if teacher.languages else ""
    content = (
        "course,section,component,size_limit,meetings,teachers,language\n"
        f"{course},Z9,practice,25,2;1,{teacher.name},{language}\n"
    ).encode()
    assert upload(client, "sections", "sections.csv", content).status_code == 200
    student = before.students[0].id
    registrations = f"student,section\n{student},{course} Z9\n".encode()
    answer = upload(client, "registrations", "registrations.csv", registrations)
    assert answer.get_json()["added"] == 1
    assert upload(client, "registrations", "registrations.csv", registrations).get_json()["added"] == 0
    after = stored(app)
    new = {s.ref: s for s in after.sections}[f"{course} Z9"]
    assert new.meetings == (2, 1) and new.teachers == (teacher.name,)
    assert after.registrations[-1].student == student and after.registrations[-1].section == f"{course} Z9"
    assert len(after.registrations) == len(before.registrations) + 1


def test_bad_files_and_requests_are_refused_in_words(client: FlaskClient) -> None:
    not_a_workbook = upload(client, "rooms", "rooms.xlsx", b"this is not a zip")
    assert (
        not_a_workbook.status_code == 422 and "not an Excel workbook" in not_a_workbook.get_json()["detail"]
    )
    whole = xlsx([["name", "building", "capacity", "kind"], ["XL-1", "Main Building", 10, "classroom"]])
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(whole)) as source, zipfile.ZipFile(damaged, "w") as target:
        for entry in source.infolist():  # the sheet cut off inside its second row
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = content[: content.index(b'<row r="2"') + 40]
            target.writestr(entry, content)
    broken = upload(client, "rooms", "rooms.xlsx", damaged.getvalue())
    assert broken.status_code == 422, broken.get_json()
    assert "rooms.xlsx:2: damaged sheet: unreadable here" in broken.get_json()["detail"]
    wrong_header = upload(client, "rooms", "rooms.csv", b"room,seats\nA,3\n")
    assert (
        wrong_header.status_code == 422
        and "missing columns name, building" in wrong_header.get_json()["detail"]
    )
    assert upload(client, "rockets", "r.csv", b"name\n").status_code == 404
    assert upload(client, "rooms", "rooms.csv", b"name\n", semester="1999").status_code == 404
    no_file = client.post(
        f"/api/semesters/{SEMESTER}/imports/rooms", data={}, content_type="multipart/form-data"
    )
    assert no_file.status_code == 400 and "multipart field 'file'" in no_file.get_json()["detail"]
    assert client.get("/api/templates/rockets.csv").status_code == 404


def test_programmes_cohorts_relations_and_the_exam_session(app: Flask, client: FlaskClient) -> None:
    before = stored(app)
    department = before.departments[0].name
    first, second = before.sections[0].ref, before.sections[1].ref
    programmes = f"name,title,department\nPHYS,Physics,{department}\n".encode()
    assert upload(client, "programmes", "programmes.csv", programmes).get_json()["added"] == 1
    cohorts = f"programme,year,sections\nPHYS,1,{first};{second}\nNOPE,1,\n".encode()
    refused = upload(client, "cohorts", "cohorts.csv", cohorts)
    assert (
        refused.status_code == 422
        and "unknown programme 'NOPE'" in refused.get_json()["errors"][0]["message"]
    )
    assert upload(client, "cohorts", "cohorts.csv", cohorts.replace(b"NOPE,1,\n", b"")).status_code == 200
    relations = f"first,relation,second\n{first},avoid,{second}\n".encode()
    assert upload(client, "section_relations", "r.csv", relations).get_json()["added"] == 1
    assert upload(client, "section_relations", "r.csv", relations).get_json()["added"] == 0
    # "avoid" reads both ways: the other way round is the relation stored, and twice in a file a slip
    reversed_pair = f"first,relation,second\n{second},avoid,{first}\n".encode()
    assert upload(client, "section_relations", "r.csv", reversed_pair).get_json()["added"] == 0
    twice = (
        f"first,relation,second\n{first},before,{second}\n{second},avoid,{first}\n{first},avoid,{second}\n"
    )
    errors = upload(client, "section_relations", "r.csv", twice.encode()).get_json()["errors"]
    assert [(e["row"], e["message"]) for e in errors] == [(4, f"{first} avoid {second} is also on line 3")]
    course = before.courses[0].code
    exams = f"course,minutes\n{course},90\nNOCOURSE,60\n".encode()
    assert upload(client, "exams", "exams.csv", exams).get_json()["errors"][0]["field"] == "course"
    assert upload(client, "exams", "exams.csv", exams.replace(b"NOCOURSE,60\n", b"")).status_code == 200
    sittings = xlsx(
        [
            ["date", "start", "minutes", "penalty"],
            ["2026-12-21", "9:00", 180],
            # as Excel stores a date and a time typed into its cells
            [dt.datetime(2026, 12, 21), dt.time(14, 0), 120, 5],
        ]
    )
    assert upload(client, "exam_periods", "sittings.xlsx", sittings).get_json()["added"] == 2
    late = b"date,start,minutes\n2026-12-22,23:00,120\n2026-13-01,09:00,60\n"
    errors = upload(client, "exam_periods", "late.csv", late).get_json()["errors"]
    assert [e["field"] for e in errors] == ["minutes", "date"] and "after midnight" in errors[0]["message"]
    after = stored(app)
    assert after.programmes[-1].name == "PHYS" and after.programmes[-1].department == department
    assert after.cohorts[-1].programme == "PHYS" and after.cohorts[-1].sections == (first, second)
    assert after.relations[-1].first == first and after.relations[-1].relation.value == "avoid"
    assert [(e.course, e.minutes) for e in after.exams] == [(course, 90)]
    assert [(str(p.date), p.start, p.minutes, p.penalty) for p in after.exam_periods] == [
        ("2026-12-21", "09:00", 180, 0),
        ("2026-12-21", "14:00", 120, 5),
    ]


def test_a_sitting_outside_the_semesters_exam_session_is_refused_at_its_row(
    app: Flask, client: FlaskClient
) -> None:
    """A year mistyped (2025-12-21 for 2026-12-21) was stored and the exam timetable built on it."""
    sittings = b"date,start,minutes\n2026-12-21,09:00,180\n2025-12-21,14:00,180\n"
    undated = upload(client, "exam_periods", "undated.csv", b"date,start,minutes\n2025-12-20,09:00,180\n")
    assert undated.status_code == 200, undated.get_json()  # no session stored: the sittings are its word
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = dt.date(2026, 12, 21), dt.date(2027, 1, 9)
    refused = upload(client, "exam_periods", "sittings.csv", sittings)
    assert refused.status_code == 422 and refused.get_json()["title"] == "Rows refused; nothing was imported"
    assert refused.get_json()["errors"] == [
        {
            "row": 3,
            "field": "date",
            "message": "the sitting on 2025-12-21 at 14:00 is outside the exam session, 2026-12-21 to "
            f"2027-01-09: check its date; {SESSION_DATES}",
        }
    ]
    page, token = signed_in(app, "planner")
    sent = {"csrf_token": token, "semester": SEMESTER, "kind": "exam_periods"}
    by_page = page.post(
        "/imports",
        data=sent | {"file": (io.BytesIO(sittings), "sittings.csv")},
        content_type="multipart/form-data",
    )
    assert (
        by_page.status_code == 422
        and "2025-12-21 at 14:00 is outside the exam session" in by_page.data.decode()
    )
    assert [str(p.date) for p in stored(app).exam_periods] == ["2025-12-20"]  # nothing added
    inside = upload(client, "exam_periods", "sittings.csv", sittings.replace(b"2025-12-21", b"2027-01-09"))
    assert inside.status_code == 200 and inside.get_json()["added"] == 2


def test_extra_load_and_sections_never_share_a_name(app: Flask, client: FlaskClient) -> None:
    """Both are items of the teaching load, which names its items by them."""
    before = stored(app)
    section = before.sections[0]
    extra = f"name,component,hours\n{section.ref},thesis supervision,10\nTheses,thesis supervision,60\n"
    errors = upload(client, "extra_load", "extra_load.csv", extra.encode()).get_json()["errors"]
    assert [(e["row"], e["field"], e["message"]) for e in errors] == [
        (2, "name", f"{section.ref!r} is a section's name too: give the work a name of its own")
    ]
    named = f"name,component,hours\n{section.course} Z9,thesis supervision,10\n"
    assert upload(client, "extra_load", "extra_load.csv", named.encode()).status_code == 200
    sections = (f"course,section,component,size_limit,meetings\n{section.course},Z9,practice,25,2\n").encode()
    errors = upload(client, "sections", "sections.csv", sections).get_json()["errors"]
    assert [(e["row"], e["field"], e["message"]) for e in errors] == [
        (
            2,
            "section",
            f"'{section.course} Z9' is also the name of the semester's extra load: rename that work first",
        )
    ]
    assert stored(app).sections == before.sections
