"""The server-rendered pages: sign-in, a dashboard, record lists with search, imports, a run
launcher with live progress, timetable grids and the comparison of two runs. They call the same
functions as the JSON API; forms carry CSRF tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import DateField, FloatField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from datasets.errors import DatasetError
from datasets.registrar_exams import exam_courses, exams_of, sittings_of
from datasets.registrar_records import RegistrarData
from datasets.registrar_tables import KINDS as TABLE_KINDS
from datasets.registrar_tables import TableRejected
from models import SolveParameters
from service.access import RANK, SignedIn, check_password
from service.compare import NotComparable, compare_runs
from service.context import services
from service.imports import import_upload
from service.runs import ask_for_run
from service.sittings import change_exam_session, remove_sitting, sitting_rows
from service.storage import schema
from service.storage.records import (
    StorageError,
    exam_session,
    load_semester,
    semester_named,
    stored_row,
)
from service.storage.schema import Role

pages = Blueprint("pages", __name__)
LISTED = (
    "rooms",
    "teachers",
    "courses",
    "programmes",
    "cohorts",
    "sections",
    "students",
    "exams",
    "sittings",
)
SHOWN = 200  # rows a record list shows at most


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ImportForm(FlaskForm):
    semester = SelectField("Semester", validators=[DataRequired()])
    kind = SelectField("Kind of record", choices=list(TABLE_KINDS))
    file = FileField("CSV or XLSX file", validators=[FileRequired()])


class RunForm(FlaskForm):
    kind = SelectField(
        "Timetable",
        choices=[
            SelectChoice("lessons", "Class timetable"),
            SelectChoice("exams", "Exam schedule"),
            SelectChoice("load", "Teaching load"),
            SelectChoice("masterclasses", "Master classes"),
            SelectChoice("sac", "State attestation"),
        ],
    )
    semester = SelectField("Semester", validators=[DataRequired()])
    scenario = StringField("Scenario (empty: none)", validators=[Length(max=200)])
    department = StringField(
        "Department to re-staff within the published class timetable (empty: none)",
        validators=[Length(max=200)],
    )
    time_limit = FloatField("Time limit, seconds", default=60, validators=[NumberRange(min=1, max=86400)])


class ExamSessionForm(FlaskForm):
    first = DateField("First day", validators=[InputRequired()])
    last = DateField("Last day", validators=[InputRequired()])


def planner_only() -> None:
    if RANK[current_user.role] < RANK[Role.PLANNER]:
        abort(403, f"{current_user.username} is a {current_user.role}; this page is for planners")


def form_page(template: str, refused: bool, **context: Any) -> tuple[str, int]:
    """A page with a form, answered 422 when it shows the form refused, so that the status says
    what the page says (each mistake beside its field and in the summary at the top)."""
    return render_template(template, **context), 422 if refused else 200


def _semester_names() -> list[str]:
    with services().database.transaction() as session:
        return list(session.scalars(select(schema.Semester.name).order_by(schema.Semester.id)))


@pages.route("/login", methods=["GET", "POST"])
def login() -> tuple[str, int] | BaseResponse:
    form = LoginForm()
    if form.validate_on_submit():
        with services().database.transaction() as session:
            user = check_password(session, form.username.data or "", form.password.data or "")
            if user is not None:
                login_user(SignedIn(user.id, user.username, user.role))
                target = request.args.get("next", "")
                # only a path on this site, never another site's address
                safe = target.startswith("/") and not target.startswith("//")
                return redirect(target if safe else url_for("pages.home"))
        flash("Wrong user name or password.")
    # a wrong password is said as before (200); a form missing its fields is refused
    return form_page("login.html", bool(form.errors), form=form)


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    logout_user()
    return redirect(url_for("pages.login"))


@pages.get("/")
@login_required
def home() -> str:
    with services().database.transaction() as session:
        counts = dict(
            session.execute(
                select(schema.Section.semester_id, func.count()).group_by(schema.Section.semester_id)
            ).all()
        )
        semesters = [
            (s.name, counts.get(s.id, 0))
            for s in session.scalars(select(schema.Semester).order_by(schema.Semester.id))
        ]
        runs = []
        if RANK[current_user.role] >= RANK[Role.PLANNER]:
            runs = [
                (run.id, run.semester.name, run.status, run.objective, run.published_at is not None)
                for run in session.scalars(select(schema.Run).order_by(schema.Run.id.desc()).limit(20))
            ]
    return render_template("home.html", semesters=semesters, runs=runs, listed=LISTED)


@pages.get("/records/<semester>/<kind>")
@login_required
def records(semester: str, kind: str) -> str:
    planner_only()
    if kind not in LISTED:
        abort(404, f"no list of {kind}")
    query = request.args.get("q", "").strip().lower()
    with services().database.transaction() as session:
        try:
            data = load_semester(session, semester)
            stored = semester_named(session, semester)
        except StorageError as error:
            abort(404, str(error))
        # stored sittings may be removed; the defaults of the session's dates are listed otherwise
        removable = kind == "sittings" and bool(data.exam_periods)
        if removable:
            rows = sitting_rows(session, stored)
        else:
            rows = _record_rows(data, kind, stored.exams_from, stored.exams_to)
        session_dates = exam_session(stored)
    session_form = None
    if kind == "sittings":
        session_form = ExamSessionForm(
            first=session_dates[0] if session_dates else None,
            last=session_dates[1] if session_dates else None,
        )
    if query:
        rows = [row for row in rows if any(query in str(value).lower() for value in row.values())]
    return render_template(
        "records.html",
        semester=semester,
        kind=kind,
        rows=rows[:SHOWN],
        total=len(rows),
        query=query,
        listed=LISTED,
        removable=removable,
        session_dates=session_dates,
        session_form=session_form,
    )


@pages.post("/records/<semester>/sittings/<date>/<start>/remove")
@login_required
def remove_exam_sitting(semester: str, date: str, start: str) -> BaseResponse:
    planner_only()  # the CSRF token is checked for every page's form (CSRFProtect)
    with services().database.transaction() as session:
        try:
            removed = remove_sitting(session, semester, date, start)
        except StorageError as error:
            flash(f"Not removed: {error}")
        else:
            flash(f"Removed the sitting on {removed}.", "done")
    return redirect(url_for("pages.records", semester=semester, kind="sittings"))


@pages.post("/records/<semester>/sittings/session")
@login_required
def set_exam_session(semester: str) -> BaseResponse:
    planner_only()
    form = ExamSessionForm()
    if not form.validate_on_submit():
        flash("Not changed: give the session's first and last day as dates.")
    else:
        try:
            with services().database.transaction() as session:
                warnings = change_exam_session(session, semester, form.first.data, form.last.data)
        except StorageError as error:
            flash(f"Not changed: {error}")
        else:
            flash(f"The exam session now runs from {form.first.data} to {form.last.data}.", "done")
            for warning in warnings:
                flash(warning)
    return redirect(url_for("pages.records", semester=semester, kind="sittings"))


def _record_rows(
    data: RegistrarData, kind: str, exams_from: dt.date | None, exams_to: dt.date | None
) -> list[dict[str, Any]]:
    match kind:
        case "rooms":
            return [
                {"room": r.name, "building": r.building, "capacity": r.capacity, "kind": r.kind}
                for r in data.rooms
            ]
        case "teachers":
            return [
                {"teacher": t.name, "department": t.department, "languages": ", ".join(t.languages)}
                for t in data.teachers
            ]
        case "courses":
            return [{"code": c.code, "title": c.title, "credits": c.credits} for c in data.courses]
        case "programmes":
            return [
                {"programme": p.name, "title": p.title, "department": p.department} for p in data.programmes
            ]
        case "cohorts":
            return [
                {"programme": c.programme, "year": c.year, "sections": len(c.sections)} for c in data.cohorts
            ]
        case "sections":
            return [
                {
                    "section": s.ref,
                    "component": s.component,
                    "size limit": s.size_limit,
                    "teachers": ", ".join(s.teachers),
                }
                for s in data.sections
            ]
        case "exams":  # as the exam runs take them: listed, or one per course with students
            return [{"course": e.course, "minutes": e.minutes} for e in exams_of(data)]
        case "sittings":  # listed, or the default ones of the session's dates
            try:
                sittings = sittings_of(data, exams_from, exams_to)
            except ValueError:
                sittings = ()
            return [
                {"date": p.date, "start": p.start, "minutes": p.minutes, "penalty": p.penalty}
                for p in sittings
            ]
    return [{"student": s.id, "programme": s.programme, "year": s.year or ""} for s in data.students]


@pages.route("/imports", methods=["GET", "POST"])
@login_required
def imports() -> tuple[str, int]:
    planner_only()
    form = ImportForm()
    form.semester.choices = _semester_names()
    outcome: dict[str, Any] | None = None
    errors: list[DatasetError] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            with services().database.transaction() as session:
                semester, kind = form.semester.data, form.kind.data
                imported = import_upload(session, semester, kind, upload.filename, upload.read())
            outcome = imported._asdict()
        except TableRejected as rejected:
            errors = rejected.errors
        except DatasetError as error:
            errors = [error]
    refused = bool(form.errors or errors)
    return form_page("imports.html", refused, form=form, outcome=outcome, errors=errors, kinds=TABLE_KINDS)


@pages.route("/runs/new", methods=["GET", "POST"])
@login_required
def new_run() -> tuple[str, int] | BaseResponse:
    planner_only()
    form = RunForm()
    form.semester.choices = _semester_names()
    if form.validate_on_submit():
        parameters = SolveParameters(time_limit=form.time_limit.data or 60, workers=2, seed=0)
        try:
            with services().database.transaction() as session:
                run = ask_for_run(
                    session,
                    form.kind.data or "lessons",
                    form.semester.data,
                    parameters,
                    form.scenario.data or None,
                    form.department.data or None,
                )
                run_id = run.id
        except StorageError as error:
            flash(str(error))
        else:
            services().runs.submit(run_id)
            return redirect(url_for("pages.run", run_id=run_id))
    return form_page("new_run.html", form.is_submitted(), form=form)


@pages.get("/runs/<int:run_id>")
@login_required
def run(run_id: int) -> str:
    planner_only()
    with services().database.transaction() as session:
        found = stored_row(session, schema.Run, run_id)
        if found is None:
            abort(404, f"no run {run_id}")
        data = load_semester(session, found.semester.name)
        teachers = sorted({name for section in data.sections for name in section.teachers})
        semester, kind = found.semester.name, found.kind
        reasons = (found.report or {}).get("explanation") or []
        warnings = (found.report or {}).get("warnings") or []
    weeks = teachers[:50] if kind == "lessons" else []
    courses = list(dict.fromkeys(exam_courses(data)))[:50] if kind == "exams" else []
    return render_template(
        "run.html",
        run_id=run_id,
        semester=semester,
        teachers=weeks,
        courses=courses,
        kind=kind,
        reasons=reasons,
        warnings=warnings,
    )


@pages.get("/compare")
@login_required
def compare() -> str:
    planner_only()
    first, second = request.args.get("first", type=int), request.args.get("second", type=int)
    comparison, refusal = None, ""
    if first and second:
        with services().database.transaction() as session:
            try:
                comparison = compare_runs(session, first, second)
            except (StorageError, NotComparable) as error:
                refusal = str(error)
    return render_template("compare.html", comparison=comparison, refusal=refusal, first=first, second=second)
