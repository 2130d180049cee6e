"""The exam session from the registrar's records: one exam per course with registered students,
two sittings a day but Sunday, solved as a service run whose cost the exam checker confirms."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from constraints.exams import evaluate
from datasets.registrar_exams import SITTINGS, exam_courses, exam_problem, sittings_of
from datasets.registrar_records import ExamPeriod, ExamRecord, RegistrarData
from datasets.registrar_tables import SESSION_DATES
from datasets.semester import generate_semester
from models import ExamProblem, ExamSolution
from service.context import KEY
from service.scenarios import run_problem
from service.storage import schema
from service.storage.records import load_semester
from service.timetables import exam_places, exam_schedule_names
from tests.service.test_service_api import poll
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app, signed_in

FIRST, LAST = dt.date(2026, 12, 21), dt.date(2027, 1, 2)  # a Monday to a Saturday, Sunday 27th between


def test_each_course_with_students_gets_one_exam_in_the_sittings() -> None:
    data = generate_semester(200, 21)
    problem = exam_problem(data, "autumn", FIRST, LAST)
    courses = exam_courses(data)
    assert len(problem.exams) == len(courses) > 0
    students = list(dict.fromkeys(r.student for r in data.registrations))
    sections = {s.ref: s.course for s in data.sections}
    for exam, course in zip(problem.exams, courses, strict=True):
        expected = {students.index(r.student) for r in data.registrations if sections[r.section] == course}
        assert set(exam.students) == expected
    dates = sorted({period.date for period in problem.periods})
    assert dt.date(2026, 12, 27) not in dates and len(dates) == 12
    assert len(problem.periods) == len(SITTINGS) * 12 and problem.periods[1].start == dt.time(14, 0)
    with pytest.raises(ValueError, match="ends"):
        exam_problem(data, "autumn", LAST, FIRST)


def test_listed_exams_and_sittings_replace_the_defaults() -> None:
    generated = generate_semester(200, 21)
    courses = exam_courses(generated)
    sittings = (
        ExamPeriod(dt.date(2026, 12, 22), "09:00", 150),
        ExamPeriod(dt.date(2026, 12, 23), "10:00", 90, 4),
        ExamPeriod(dt.date(2026, 12, 23), "15:30", 120),
    )
    data = replace(
        generated, exams=(ExamRecord(courses[1], 90), ExamRecord(courses[0], 150)), exam_periods=sittings
    )
    problem = exam_problem(data, "autumn")  # no session dates needed: the sittings are listed
    assert exam_courses(data) == [courses[1], courses[0]]
    assert [exam.duration for exam in problem.exams] == [90, 150]
    default = exam_problem(generated, "autumn", FIRST, LAST)
    assert problem.exams[1].students == default.exams[0].students
    assert [(p.day, p.start, p.duration, p.penalty) for p in problem.periods] == [
        (0, dt.time(9, 0), 150, 0),
        (1, dt.time(10, 0), 90, 4),
        (1, dt.time(15, 30), 120, 0),
    ]
    with pytest.raises(ValueError, match="neither exam sittings nor exam session dates"):
        exam_problem(generated, "autumn")


def test_an_exam_no_room_seats_sits_in_parts_at_the_same_time() -> None:
    generated = generate_semester(200, 21)
    biggest = max(
        (exam for exam in exam_problem(generated, "x", FIRST, LAST).exams),
        key=lambda exam: len(exam.students),
    )
    rooms = tuple(replace(room, capacity=12 + index % 3) for index, room in enumerate(generated.rooms))
    data = replace(generated, rooms=rooms)
    problem = exam_problem(data, "autumn", FIRST, LAST)
    courses = exam_courses(data)
    whole = {course: set() for course in courses}
    for exam, course in zip(problem.exams, courses, strict=True):
        assert len(exam.students) <= 14
        assert not whole[course] & set(exam.students)  # parts share no student
        whole[course] |= set(exam.students)
    assert max(len(students) for students in whole.values()) == len(biggest.students)
    parts = [index for index, course in enumerate(courses) if courses.count(course) > 1]
    together = {(c.first, c.second) for c in problem.period_constraints}
    assert parts and all(
        (courses.index(courses[part]), part) in together
        for part in parts
        if part != courses.index(courses[part])
    )
    assert all(c.relation.value == "EXAM_COINCIDENCE" for c in problem.period_constraints)
    title = {course.code: course.title for course in data.courses}[courses[parts[0]]]
    assert (
        problem.exams[parts[0]].name
        == f"{courses[parts[0]]} {title}, part 1 of {courses.count(courses[parts[0]])}"
    )


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with running_app(tmp_path, 150, 22, backend=request.param) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def test_an_exam_run_finishes_and_the_checker_agrees(app: Flask, client: FlaskClient) -> None:
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 4, "workers": 1}
    undated = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert (
        undated["status"] == "failed" and "neither exam sittings nor exam session dates" in undated["error"]
    )
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = FIRST, LAST
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert run["status"] == "finished", run["error"]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solution is not None
        problem = exam_problem(load_semester(session, SEMESTER), SEMESTER, FIRST, LAST)
        solution = ExamSolution.model_validate(stored.solution)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible and evaluation.total == run["objective"] == run["evaluation"]["total"]
    assert client.post("/api/runs", json=asked | {"scenario": "x"}).status_code == 422
    refused = client.get(f"/api/runs/{run['id']}/compare/{run['id']}")
    assert refused.status_code == 409 and "class timetables" in refused.get_json()["detail"]


def solved_session(app: Flask, client: FlaskClient) -> tuple[RegistrarData, dict[str, Any]]:
    """The semester's records and a finished exam run over the session's dates."""
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = FIRST, LAST
        data = load_semester(session, SEMESTER)
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 3, "workers": 1}
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert run["status"] == "finished", run["error"]
    return data, run


def test_a_published_exam_schedule_per_student_room_and_course(app: Flask, client: FlaskClient) -> None:
    data, run = solved_session(app, client)
    course = exam_courses(data)[0]
    base = f"/api/semesters/{SEMESTER}/exams"
    assert app.test_client().get(f"{base}/course/{course}.csv").status_code == 404  # not published
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    anonymous = app.test_client()
    rows = list(csv.DictReader(io.StringIO(anonymous.get(f"{base}/course/{course}.csv").data.decode())))
    assert [row["course"] for row in rows] == [course] and rows[0]["starts_at"] in ("09:00", "14:00")
    student = data.registrations[0].student
    assert anonymous.get(f"{base}/student/{student}.csv").status_code == 401  # personal data
    mine = list(csv.DictReader(io.StringIO(client.get(f"{base}/student/{student}.csv").data.decode())))
    sections = {s.ref: s.course for s in data.sections}
    taken = {sections[r.section] for r in data.registrations if r.student == student}
    assert sorted(row["course"] for row in mine) == sorted(taken)
    assert len({(row["date"], row["starts_at"]) for row in mine}) == len(mine)  # never two at once
    calendar = Calendar.from_ical(client.get(f"{base}/student/{student}.ics").data)
    assert len(list(calendar.walk("VEVENT"))) == len(mine)
    page = client.get(f"{base}/student/{student}.html").data.decode()
    assert page.count('class="exam"') == len(mine)


def test_the_published_exam_schedule_survives_exams_imported_after_it(
    app: Flask, client: FlaskClient
) -> None:
    """The exams listed after publishing renumber the exam problem; the published schedule is read
    back by course: a listed course's exam where it was, a course no longer listed sitting none."""
    data, run = solved_session(app, client)
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    base = f"/api/semesters/{SEMESTER}/exams/course"

    def sitting(course: str) -> list[tuple[str, str, str]]:
        rows = csv.DictReader(io.StringIO(client.get(f"{base}/{course}.csv").data.decode()))
        return [(row["date"], row["starts_at"], row["room"]) for row in rows]

    courses = exam_courses(data)
    first = sitting(courses[0])
    # the last course sitting elsewhere than the first: read by position it would take the first's place
    kept = next(course for course in reversed(courses) if sitting(course)[0][:2] != first[0][:2])
    before = sitting(kept)
    listed = client.post(
        f"/api/semesters/{SEMESTER}/imports/exams",
        data={"file": (io.BytesIO(f"course,minutes\n{kept},120\n".encode()), "exams.csv")},
    )
    assert listed.status_code == 200, listed.get_json()
    assert sitting(kept) == before
    assert sitting(courses[0]) == []


def import_sittings(client: FlaskClient, table: bytes) -> None:
    imported = client.post(
        f"/api/semesters/{SEMESTER}/imports/exam_periods",
        data={"file": (io.BytesIO(table), "exam_periods.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_json()


def test_an_impossible_exam_run_is_explained_by_course(app: Flask, client: FlaskClient) -> None:
    one_sitting = b"date,start,minutes\n2026-12-21,09:00,30\n"
    import_sittings(client, one_sitting)
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 2, "workers": 1}
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert run["status"] == "finished" and run["objective"] is None, run["error"]
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    first = next(course for course in data.courses if course.code == exam_courses(data)[0])
    too_long = run["report"]["explanation"][0]
    assert too_long.startswith(f"The exams of {first.code} {first.title}, ")
    assert too_long.endswith("but the longest period (Mon 2026-12-21 at 09:00) is 30 minutes.")
    planner, _ = signed_in(app, "planner")
    page = planner.get(f"/runs/{run['id']}").data.decode()  # said on the run's page too, not just "finished"
    shown = page[
        page.index('<div id="explanation"') : page.index("</div>", page.index('<div id="explanation"'))
    ]
    assert "hidden" not in shown.split(">")[0] and html.escape(too_long, quote=False) in shown


def with_stray_sittings(app: Flask) -> None:
    """The session's dates, and sittings stored before the imports' check: one in it, two outside."""
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = FIRST, LAST
        session.add_all(
            schema.ExamPeriod(semester=semester, date=date, start=start, minutes=180)
            for date, start in (
                (FIRST, "09:00"),
                (dt.date(2025, 12, 22), "14:00"),
                (dt.date(2027, 2, 1), "09:00"),
            )
        )


def test_an_exam_run_leaves_out_sittings_outside_the_session_and_names_them(
    app: Flask, client: FlaskClient
) -> None:
    """A database older than the imports' check may hold a mistyped year; the run was built on it,
    and refusing the run instead left a published timetable on such a sitting with no way out."""
    with_stray_sittings(app)
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 2, "workers": 1}
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert run["status"] == "finished", run["error"]
    repair = (
        "2026-12-21 to 2027-01-02: 2025-12-22 at 14:00, 2027-02-01 at 09:00; remove the mistyped ones on the "
        "semester's sittings page (or DELETE /api/semesters/SEMESTER/sittings/DATE/START); " + SESSION_DATES
    )
    assert run["report"]["warnings"] == [
        f"the run leaves out the sittings outside the exam session, {repair}"
    ]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solved_for is not None
        assert stored.solved_for["periods"] == [["2026-12-21", "09:00"]]
    planner, token = signed_in(app, "planner")
    page = html.unescape(planner.get(f"/runs/{run['id']}").data.decode())
    assert "the run leaves out the sittings outside the exam session, 2026-12-21" in page
    with app.extensions[KEY].database.transaction() as session:  # none left in the session: refused
        session.query(schema.ExamPeriod).filter_by(date=FIRST).delete()
    refused = client.post("/api/runs", json=asked)
    reason = f"semester {SEMESTER!r} has no sitting in its exam session, {repair}"
    assert refused.status_code == 422 and refused.get_json()["errors"] == [
        {"field": "semester", "message": reason}
    ]
    by_page = planner.post(
        "/runs/new", data={"csrf_token": token, "semester": SEMESTER, "kind": "exams", "time_limit": "2"}
    )
    shown = html.unescape(by_page.data.decode())
    assert by_page.status_code == 422 and reason[reason.index(" has no sitting") :] in shown
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        late = [dt.date(2027, 2, day) for day in range(2, 6)]
        session.add_all(
            schema.ExamPeriod(semester=semester, date=d, start="09:00", minutes=180) for d in late
        )
    many = client.post("/api/runs", json=asked).get_json()["errors"][0]["message"]
    assert "2027-02-04 at 09:00 and 1 more; remove the mistyped" in many  # five named, the rest counted
    with app.extensions[KEY].database.transaction() as session:
        assert session.query(schema.Run).count() == 1


def stored_sittings(app: Flask) -> list[tuple[str, str]]:
    with app.extensions[KEY].database.transaction() as session:
        return [(str(p.date), p.start) for p in load_semester(session, SEMESTER).exam_periods]


def test_a_sitting_outside_the_session_is_marked_and_removed_by_the_api_and_the_page(
    app: Flask, client: FlaskClient
) -> None:
    """A stray sitting (a mistyped year) could not be removed; exam runs now leave it out."""
    with_stray_sittings(app)
    planner, token = signed_in(app, "planner")
    listed = planner.get(f"/records/{SEMESTER}/sittings").data.decode()
    assert listed.count('<tr class="outside">') == 2 and "runs from 2026-12-21 to 2027-01-02" in listed
    sittings = f"/api/semesters/{SEMESTER}/sittings"
    assert client_as(app, "viewer").delete(f"{sittings}/2025-12-22/14:00").status_code == 403
    assert planner.delete(f"{sittings}/2025-12-22/14:00").status_code == 403  # the page's cookie, no CSRF
    removed = client.delete(f"{sittings}/2025-12-22/14:00")
    assert removed.status_code == 200 and removed.get_json() == {"removed": "2025-12-22 at 14:00"}
    again = client.delete(f"{sittings}/2025-12-22/14:00")
    assert again.status_code == 404
    assert again.get_json()["detail"] == f"semester {SEMESTER!r} has no sitting on 2025-12-22 at 14:00"
    mistyped = client.delete(f"{sittings}/2025-13-22/14:00").get_json()["detail"]
    assert mistyped.endswith("a sitting is named by its date and start, like 2026-12-21 and 09:00")
    assert client.delete("/api/semesters/no such/sittings/2026-12-21/09:00").status_code == 404
    page = f"/records/{SEMESTER}/sittings/2027-02-01/9:00/remove"
    assert planner.post(page).status_code == 400  # no CSRF token
    by_page = planner.post(page, data={"csrf_token": token}, follow_redirects=True)
    assert (
        by_page.status_code == 200 and "Removed the sitting on 2027-02-01 at 09:00." in by_page.data.decode()
    )
    assert 'class="outside"' not in by_page.data.decode()
    gone = planner.post(page, data={"csrf_token": token}, follow_redirects=True).data.decode()
    assert "Not removed: semester" in gone and "no sitting on 2027-02-01 at 9:00" in gone
    assert stored_sittings(app) == [("2026-12-21", "09:00")]
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 2, "workers": 1}
    assert client.post("/api/runs", json=asked).status_code == 202


def published_exam_run(app: Flask, client: FlaskClient) -> tuple[int, ExamSolution, dict[str, Any]]:
    """A short exam run, published: its id, solution and the names it was solved for."""
    asked = {"kind": "exams", "semester": SEMESTER, "time_limit": 3, "workers": 1}
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"))
    assert run["status"] == "finished", run["error"]
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solved_for is not None and stored.solution is not None
        return run["id"], ExamSolution.model_validate(stored.solution), stored.solved_for


def test_the_exam_session_is_changed_by_the_api_and_the_page_naming_the_sittings_left_out(
    app: Flask, client: FlaskClient
) -> None:
    """Its dates could be changed only on the command line, though the sittings page and the runs'
    warnings sent planners to them."""
    with_stray_sittings(app)
    address = f"/api/semesters/{SEMESTER}/exam-session"
    narrowed = client.put(address, json={"first": "2027-02-01", "last": "2027-02-06"})
    assert narrowed.status_code == 200, narrowed.get_json()
    said = narrowed.get_json()
    assert (said["first"], said["last"]) == ("2027-02-01", "2027-02-06")
    assert said["warnings"] == [
        "exam runs: the run leaves out the sittings outside the exam session, 2027-02-01 to 2027-02-06: "
        "2025-12-22 at 14:00, 2026-12-21 at 09:00; remove the mistyped ones on the semester's sittings "
        "page (or DELETE /api/semesters/SEMESTER/sittings/DATE/START); " + SESSION_DATES
    ]
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        assert (semester.exams_from, semester.exams_to) == (dt.date(2027, 2, 1), dt.date(2027, 2, 6))
    refusals = {
        "ends first": ({"first": "2027-02-06", "last": "2027-02-01"}, "before it begins on 2027-02-06"),
        "mistyped year": ({"first": "2027-02-01", "last": "9027-02-06"}, "not 9027-02-06"),
    }
    for body, reason in refusals.values():
        refused = client.put(address, json=body)
        assert refused.status_code == 422 and reason in refused.get_json()["detail"], refused.get_json()
    assert client.put(address, json={"first": "2027-02-31", "last": "2027-03-01"}).status_code == 422
    assert client.put(address, json={"first": "2027-02-01"}).status_code == 422
    unknown = client.put(
        "/api/semesters/no such/exam-session", json={"first": "2027-02-01", "last": "2027-02-06"}
    )
    assert unknown.status_code == 404 and "No semester 'no such'" in unknown.get_json()["detail"]
    viewer = client_as(app, "viewer").put(address, json={"first": "2026-12-21", "last": "2027-01-02"})
    assert viewer.status_code == 403
    cookie, _ = signed_in(app, "planner")  # the pages' session, without a CSRF token
    assert cookie.put(address, json={"first": "2026-12-21", "last": "2027-01-02"}).status_code == 403
    with app.extensions[KEY].database.transaction() as session:  # the refusals changed nothing
        semester = session.query(schema.Semester).one()
        assert (semester.exams_from, semester.exams_to) == (dt.date(2027, 2, 1), dt.date(2027, 2, 6))
    planner, token = signed_in(app, "planner")
    listed = planner.get(f"/records/{SEMESTER}/sittings").data.decode()
    assert 'id="exam-session"' in listed and 'value="2027-02-01"' in listed
    assert listed.count('<tr class="outside">') == 2
    page = f"/records/{SEMESTER}/sittings/session"
    assert (
        planner.post(page, data={"first": "2026-12-01", "last": "2027-03-01"}).status_code == 400
    )  # no CSRF
    widened = planner.post(
        page, data={"csrf_token": token, "first": "2025-12-01", "last": "2027-03-01"}, follow_redirects=True
    ).data.decode()
    assert "The exam session now runs from 2025-12-01 to 2027-03-01." in widened
    assert 'class="outside"' not in widened, widened[widened.index("<h1>") :]
    assert "the run leaves out" not in widened
    backwards = planner.post(
        page, data={"csrf_token": token, "first": "2027-03-01", "last": "2027-02-01"}, follow_redirects=True
    ).data.decode()
    assert "Not changed: the session ends on 2027-02-01, before it begins on 2027-03-01" in backwards
    empty = planner.post(page, data={"csrf_token": token, "first": "", "last": ""}, follow_redirects=True)
    assert "Not changed: give the session&#39;s first and last day as dates." in empty.data.decode()
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        assert (semester.exams_from, semester.exams_to) == (dt.date(2025, 12, 1), dt.date(2027, 3, 1))


def test_the_published_exam_timetable_keeps_its_sittings_when_the_session_moves(
    app: Flask, client: FlaskClient
) -> None:
    """Sittings made from the session's dates (none stored) would drop the published exams on the
    days a new session leaves out from the schedule students read: refused until they are stored."""
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = FIRST, LAST
    run_id, solution, names = published_exam_run(app, client)
    used = sorted({tuple(names["periods"][p]) for p in solution.periods if p is not None})
    last_used = dt.date.fromisoformat(used[-1][0])
    address = f"/api/semesters/{SEMESTER}/exam-session"
    shortened = {"first": str(FIRST), "last": str(last_used - dt.timedelta(days=1))}
    refused = client.put(address, json=shortened)
    assert refused.status_code == 409, refused.get_json()
    detail = refused.get_json()["detail"]
    assert detail.startswith(f"the published exam timetable (run {run_id}) sits the exam")
    assert detail.endswith("import the sittings it uses (the exam_periods table) first, and they stay")
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        assert semester.exams_to == LAST
    table = "date,start,minutes\n" + "".join(f"{date},{start},180\n" for date, start in used)
    import_sittings(client, table.encode())
    moved = client.put(address, json=shortened)
    assert moved.status_code == 200, moved.get_json()
    warnings = moved.get_json()["warnings"]
    assert warnings[0].startswith("exam runs: the run leaves out the sittings outside the exam session")
    assert warnings[1].startswith(f"the published exam timetable (run {run_id}) sits the exam")
    assert warnings[1].endswith("; it stays published until an exam run on the new session is")
    assert stored_sittings(app) == [(date, start) for date, start in used]


def with_session_sittings(app: Flask, *more: ExamPeriod) -> None:
    """The session's dates, and their default sittings stored (with `more`)."""
    with app.extensions[KEY].database.transaction() as session:
        semester = session.query(schema.Semester).one()
        semester.exams_from, semester.exams_to = FIRST, LAST
        data = load_semester(session, SEMESTER)
        session.add_all(
            schema.ExamPeriod(semester=semester, date=p.date, start=p.start, minutes=p.minutes)
            for p in (*more, *sittings_of(data, FIRST, LAST))
        )


def test_a_sitting_the_published_exam_timetable_uses_is_kept(app: Flask, client: FlaskClient) -> None:
    """Removed, its exams would drop out of the published schedule students and room searches read."""
    with_session_sittings(app)
    run_id, solution, names = published_exam_run(app, client)
    first = solution.periods[0]
    assert first is not None
    date, start = names["periods"][first]
    course = names["exams"][0][0]
    used = client.delete(f"/api/semesters/{SEMESTER}/sittings/{date}/{start}")
    assert used.status_code == 409
    detail = used.get_json()["detail"]
    assert detail.startswith(f"the sitting on {date} at {start} cannot be removed: the published exam ")
    assert course in detail and detail.endswith("publish an exam run that does not use it first")
    assert (date, start) in stored_sittings(app)


def read_back(app: Flask, run_id: int) -> list[tuple[str, int, str, str]]:
    """Each exam's course and part with the date and start the service reads for it in the run."""
    with app.extensions[KEY].database.transaction() as session:
        run = session.get(schema.Run, run_id)
        assert run is not None
        problem, _ = run_problem(session, run)
        assert isinstance(problem, ExamProblem)
        data = load_semester(session, SEMESTER)
        names = exam_schedule_names(problem, data)
        places = exam_places(run, problem, data)
    return [
        (course, part, *names["periods"][place[0]])
        for (course, part), place in zip(names["exams"], places, strict=True)
        if place is not None
    ]


def test_a_run_stored_before_runs_kept_their_names_keeps_its_sittings_through_removals_and_imports(
    app: Flask, client: FlaskClient
) -> None:
    """Such a run is read by position: a sitting removed from before the ones it used (refused
    until now) or one imported before them would move its exams a sitting on."""
    too_short = ExamPeriod(FIRST, "07:30", 10)  # before every other sitting, and no exam fits it
    with_session_sittings(app, too_short)
    run_id, solution, names = published_exam_run(app, client)
    as_before_names(app, run_id)
    solved = read_back(app, run_id)
    used = {tuple(names["periods"][p]) for p in solution.periods if p is not None}
    assert len(solved) == len(names["exams"]) and used == {(date, start) for _, _, date, start in solved}
    removed = client.delete(f"/api/semesters/{SEMESTER}/sittings/{FIRST}/07:30")
    assert removed.status_code == 200, removed.get_json()
    assert read_back(app, run_id) == solved
    import_sittings(client, f"date,start,minutes\n{FIRST},07:30,10\n".encode())  # as it was solved
    assert read_back(app, run_id) == solved
    as_before_names(app, run_id)
    import_sittings(client, f"date,start,minutes\n{FIRST},07:00,10\n".encode())
    assert read_back(app, run_id) == solved


def as_before_names(app: Flask, run_id: int) -> None:
    """The run as runs were stored before migration 0012: without the names it was solved for."""
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run_id)
        assert stored is not None
        stored.solved_for = None
