"""The JSON API: semesters and solver runs. Errors are RFC 7807 problem bodies naming the field."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from datasets.errors import DatasetError
from datasets.registrar_scenario import ScenarioError
from datasets.registrar_tables import KINDS as TABLE_KINDS
from datasets.registrar_tables import TableRejected, template
from models import ExamProblem, SolveParameters, SolveReport
from service.access import add_user, allowed, caller, new_token, requires
from service.compare import NotComparable, compare_runs
from service.context import services
from service.imports import import_upload
from service.openapi import document
from service.publish import (
    as_csv,
    as_ics,
    as_xlsx,
    exam_entries,
    exams_as_csv,
    exams_as_ics,
    exams_as_xlsx,
    grid_cells,
    week,
)
from service.runs import RunRefused, ask_for_run, now
from service.scenarios import clone_scenario, run_problem, save_scenario, soft_criteria
from service.schemas import (
    CloneRequest,
    ExamSession,
    ExamSessionRequest,
    RunRequest,
    RunSummary,
    ScenarioRequest,
    UserRequest,
)
from service.sittings import (
    SessionRefused,
    SittingInUse,
    UnknownSitting,
    change_exam_session,
    remove_sitting,
)
from service.storage import schema
from service.storage.records import (
    StorageError,
    load_semester,
    published,
    semester_named,
    stored_row,
)
from service.storage.schema import Role, RunStatus
from service.teaching_load import apply_load, statement
from service.timetables import StaleTimetable, exam_places, lesson_timetable

api = Blueprint("api", __name__, url_prefix="/api")
Asked = TypeVar("Asked", bound=BaseModel)
Row = TypeVar("Row", bound=schema.Base)
WEEK_FORMATS = ("html", "ics", "csv", "xlsx")
TABLE_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def problem(status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _invalid(error: ValidationError) -> Response:
    errors = [
        {"field": ".".join(str(part) for part in item["loc"]) or "(body)", "message": item["msg"]}
        for item in error.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid request", detail, errors)


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


@api.get("/semesters")
def semesters() -> Response:
    with services().database.transaction() as session:
        counts = dict(
            session.execute(
                select(schema.Section.semester_id, func.count()).group_by(schema.Section.semester_id)
            ).all()
        )
        rows = session.scalars(select(schema.Semester).order_by(schema.Semester.id)).all()
        return jsonify([{"name": s.name, "sections": counts.get(s.id, 0)} for s in rows])


@api.get("/templates/<kind>.<file_format>")
@requires(Role.PLANNER)
def table_template(kind: str, file_format: str) -> Response:
    if kind not in TABLE_KINDS or file_format not in TABLE_FORMATS:
        raise NotFound(
            f"no template {kind}.{file_format}: the kinds are {', '.join(TABLE_KINDS)}, as csv or xlsx"
        )
    return _download(template(kind, file_format), TABLE_FORMATS[file_format], f"{kind}.{file_format}")


@api.post("/semesters/<semester>/imports/<kind>")
@requires(Role.PLANNER)
def import_table(semester: str, kind: str) -> Response:
    """One kind of record from an uploaded CSV or XLSX file: every row lands or none does."""
    if kind not in TABLE_KINDS:
        raise NotFound(f"no kind of record {kind!r}: the kinds are {', '.join(TABLE_KINDS)}")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return problem(400, "Bad request", "send the table as the multipart field 'file'")
    try:
        with services().database.transaction() as session:
            imported = import_upload(session, semester, kind, upload.filename, upload.read())
    except StorageError as error:
        raise NotFound(str(error)) from None
    except TableRejected as rejected:
        errors = [row_error(error) for error in rejected.errors]
        return problem(422, "Rows refused; nothing was imported", str(rejected), errors)
    except DatasetError as error:
        return problem(422, "File refused; nothing was imported", str(error), [row_error(error)])
    return jsonify({"kind": kind, **imported._asdict()})


@api.delete("/semesters/<semester>/sittings/<date>/<start>")
@requires(Role.PLANNER)
def remove_exam_sitting(semester: str, date: str, start: str) -> Response:
    """One exam sitting (a mistyped date), unless a kept exam timetable needs it."""
    with services().database.transaction() as session:
        try:
            removed = remove_sitting(session, semester, date, start)
        except UnknownSitting as error:
            raise NotFound(str(error)) from None
        except SittingInUse as error:
            return problem(409, "Conflict", str(error))
    return jsonify({"removed": removed})


@api.put("/semesters/<semester>/exam-session")
@requires(Role.PLANNER)
def set_exam_session(semester: str) -> Response:
    """The first and last day of the semester's exam session; exam runs leave out sittings outside it."""
    asked = body_as(ExamSessionRequest)
    try:
        with services().database.transaction() as session:
            warnings = change_exam_session(session, semester, asked.first, asked.last)
    except SessionRefused as error:
        return problem(422, "Exam session refused; nothing was changed", str(error))
    except SittingInUse as error:
        return problem(409, "Conflict", str(error))
    except StorageError as error:
        raise NotFound(str(error)) from None
    said = ExamSession(semester=semester, first=asked.first, last=asked.last, warnings=warnings)
    return jsonify(said.model_dump(mode="json"))


def row_error(error: DatasetError) -> dict[str, Any]:
    """Line, column and reason of a refused row (the reader writes 'column: reason')."""
    column, colon, reason = error.reason.partition(": ")
    named = colon and " " not in column
    return {"row": error.line, "field": column if named else "", "message": reason if named else error.reason}


@api.post("/runs")
@requires(Role.PLANNER)
def start_run() -> Response:
    asked = body_as(RunRequest)
    parameters = SolveParameters(time_limit=asked.time_limit, workers=asked.workers, seed=asked.seed)
    try:
        with services().database.transaction() as session:
            run_id = ask_for_run(
                session, asked.kind, asked.semester, parameters, asked.scenario, asked.department
            ).id
    except RunRefused as error:
        return problem(422, "Invalid request", str(error), [{"field": error.field, "message": str(error)}])
    services().runs.submit(run_id)
    response = jsonify({"id": run_id, "status": RunStatus.QUEUED, "href": url_for("api.run", run_id=run_id)})
    response.status_code = 202
    response.headers["Location"] = url_for("api.run", run_id=run_id)
    return response


@api.get("/criteria")
def criteria() -> Response:
    """The soft criteria a scenario may reweigh or switch off, with their default weights."""
    return jsonify([{"criterion": name, "weight": weight} for name, weight in soft_criteria().items()])


@api.get("/semesters/<semester>/scenarios")
@requires(Role.PLANNER)
def scenarios(semester: str) -> Response:
    with services().database.transaction() as session:
        stored = _semester_or_404(session, semester)
        rows = session.scalars(
            select(schema.Scenario)
            .where(schema.Scenario.semester_id == stored.id)
            .order_by(schema.Scenario.id)
        ).all()
        return jsonify([_scenario(row) for row in rows])


@api.post("/semesters/<semester>/scenarios")
@requires(Role.PLANNER)
def create_scenario(semester: str) -> Response:
    asked = body_as(ScenarioRequest)
    with services().database.transaction() as session:
        _semester_or_404(session, semester)
        created = save_scenario(
            session, semester, asked.name, asked.changes, asked.description, asked.baseline_run
        )
        return _created(_scenario(created))


@api.get("/scenarios/<int:scenario_id>")
@requires(Role.PLANNER)
def scenario(scenario_id: int) -> Response:
    with services().database.transaction() as session:
        return jsonify(_scenario(_stored(session, schema.Scenario, scenario_id, "scenario")))


@api.post("/scenarios/<int:scenario_id>/clone")
@requires(Role.PLANNER)
def clone(scenario_id: int) -> Response:
    asked = body_as(CloneRequest)
    with services().database.transaction() as session:
        _stored(session, schema.Scenario, scenario_id, "scenario")
        return _created(_scenario(clone_scenario(session, scenario_id, asked.name)))


@api.get("/runs/<int:first>/compare/<int:second>")
@requires(Role.PLANNER)
def compare(first: int, second: int) -> Response:
    with services().database.transaction() as session:
        try:
            return jsonify(compare_runs(session, first, second))
        except StorageError as error:
            raise NotFound(str(error)) from None
        except NotComparable as error:
            return problem(409, "Not comparable", str(error))


@api.post("/runs/<int:run_id>/publish")
@requires(Role.PLANNER)
def publish(run_id: int) -> Response:
    """The run's timetable becomes the semester's published one (of its kind); a teaching load's
    teachers go into the sections and extra load of its year, as do those a class timetable run gave
    the department it re-staffed."""
    with services().database.transaction() as session:
        run = _stored_run(session, run_id)
        if run.solution is None or run.evaluation is None or not run.evaluation.get("feasible"):
            return problem(
                409, "Conflict", f"run {run_id} has no timetable keeping every hard rule to publish"
            )
        for other in session.scalars(
            select(schema.Run).where(
                schema.Run.semester_id == run.semester_id,
                schema.Run.kind == run.kind,
                schema.Run.published_at.is_not(None),
            )
        ):
            other.published_at = None
        run.published_at = now()
        if run.kind == "load" or run.department is not None:
            apply_load(session, run)
        return jsonify(_summary(run))


@api.get("/runs/<int:run_id>/load-statement")
@requires(Role.PLANNER)
def load_statement(run_id: int) -> Response:
    """A teaching-load run's planned hours per teacher and department against their limits (or a
    class timetable run's, for the department it re-staffed)."""
    with services().database.transaction() as session:
        found = statement(session, _stored_run(session, run_id))
        if found is None:
            raise NotFound(f"run {run_id} has no teaching load")
        return jsonify(found)


@api.get("/semesters/<semester>/timetable/<whose>/<path:name>.<file_format>")
def published_week(semester: str, whose: str, name: str, file_format: str) -> Response:
    """One teacher's, room's, student's or cohort's week of the published timetable (or of the
    run `?run=ID`) as html, ics, csv or xlsx."""
    _may_see(file_format, whose, "a student's week")
    with services().database.transaction() as session:
        stored = _semester_or_404(session, semester)
        run = _week_run(session, stored, request.args.get("run"))
        data = load_semester(session, semester)
        try:
            entries = week(data, lesson_timetable(run, data), whose, name)
        except LookupError as error:
            raise NotFound(str(error.args[0])) from None
        title = f"{name}: {semester}"
        if file_format == "csv":
            return _download(as_csv(entries).encode(), "text/csv", f"{name}.csv")
        if file_format == "xlsx":
            return _download(as_xlsx(entries, data, title), TABLE_FORMATS["xlsx"], f"{name}.xlsx")
        if file_format == "ics":
            if stored.starts_on is None:
                return problem(
                    409, "Conflict", f"semester {semester!r} has no start date to put the weeks on"
                )
            stamp = run.published_at or run.finished_at or now()
            ics = as_ics(entries, title, stored.starts_on, stored.teaching_weeks, f"run{run.id}", stamp)
            return _download(ics, "text/calendar", f"{name}.ics")
        links = _links("api.published_week", semester=semester, whose=whose, name=name)
        page = render_template(
            "week.html",
            title=title,
            entries=entries,
            days=data.calendar.days,
            rows=list(zip(data.calendar.periods, grid_cells(entries, data), strict=True)),
            links=links,
        )
        return Response(page, mimetype="text/html")


@api.get("/semesters/<semester>/exams/<whose>/<path:name>.<file_format>")
def published_exams(semester: str, whose: str, name: str, file_format: str) -> Response:
    """One student's, room's or course's exams of the published exam schedule (or of the exams
    run `?run=ID`) as html, ics, csv or xlsx."""
    _may_see(file_format, whose, "a student's exams")
    with services().database.transaction() as session:
        stored = _semester_or_404(session, semester)
        run = _published_run(session, stored, request.args.get("run"), "exams")
        problem, _ = run_problem(session, run)
        assert isinstance(problem, ExamProblem)
        data = load_semester(session, semester)
        try:
            entries = exam_entries(data, problem, exam_places(run, problem, data), whose, name)
        except LookupError as error:
            raise NotFound(str(error.args[0])) from None
        title = f"Exams of {name}: {semester}"
        if file_format == "csv":
            return _download(exams_as_csv(entries).encode(), "text/csv", f"{name}-exams.csv")
        if file_format == "xlsx":
            return _download(exams_as_xlsx(entries, title), TABLE_FORMATS["xlsx"], f"{name}-exams.xlsx")
        if file_format == "ics":
            stamp = run.published_at or run.finished_at or now()
            return _download(
                exams_as_ics(entries, title, f"run{run.id}", stamp), "text/calendar", f"{name}-exams.ics"
            )
        links = _links("api.published_exams", semester=semester, whose=whose, name=name)
        return Response(
            render_template("exams.html", title=title, entries=entries, links=links), mimetype="text/html"
        )


def _may_see(file_format: str, whose: str, personal: str) -> None:
    """A known format; a student's timetable (personal data) and unpublished runs (the planners'
    own) only for planners."""
    if file_format not in WEEK_FORMATS:
        raise NotFound(f"no format {file_format!r}: use {', '.join(WEEK_FORMATS)}")
    if (whose == "student" or "run" in request.args) and not allowed(Role.PLANNER):
        what = personal if whose == "student" else "an unpublished run"
        raise (Forbidden if caller() else Unauthorized)(f"{what} is for planners")


def _links(endpoint: str, **values: Any) -> dict[str, str]:
    """The same page in every format, for the same run."""
    if "run" in request.args:
        values["run"] = request.args["run"]
    return {fmt: url_for(endpoint, file_format=fmt, **values) for fmt in WEEK_FORMATS}


def _week_run(session: Session, semester: schema.Semester, asked: str | None) -> schema.Run:
    return _published_run(session, semester, asked, "lessons")


def _published_run(session: Session, semester: schema.Semester, asked: str | None, kind: str) -> schema.Run:
    """The run `asked` for (planners), else the semester's published run of `kind`."""
    what = "class timetable" if kind == "lessons" else "exam schedule"
    if asked is not None:
        if not (asked.isascii() and asked.isdigit()):  # '²' is a digit to Python, not to int()
            raise NotFound(f"no run {asked!r}")
        run = _stored_run(session, int(asked))
        if run.semester_id != semester.id or run.solution is None or run.kind != kind:
            raise NotFound(f"run {asked} has no {what} of {semester.name!r}")
        return run
    found = published(session, semester, kind)
    if found is None:
        raise NotFound(f"no {what} of {semester.name!r} is published yet")
    return found


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@api.post("/users")
@requires(Role.ADMIN)
def create_user() -> Response:
    asked = body_as(UserRequest)
    with services().database.transaction() as session:
        try:
            user = add_user(session, asked.username, asked.password, asked.role)
        except ValueError as error:
            return problem(422, "Invalid request", str(error), [{"field": "username", "message": str(error)}])
        return _created({"username": user.username, "role": user.role})


@api.post("/users/<username>/token")
@requires(Role.VIEWER)
def user_token(username: str) -> Response:
    """A new API token (the old one stops working): admins for anyone, others for themselves."""
    who = caller()
    assert who is not None
    if who.username != username and not allowed(Role.ADMIN):
        raise Forbidden("only an admin may make another user's token")
    with services().database.transaction() as session:
        user = session.scalar(select(schema.User).where(schema.User.username == username))
        if user is None:
            raise NotFound(f"no user {username!r}")
        return _created({"username": username, "token": new_token(user)})


class _Invalid(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def body_as(model: type[Asked]) -> Asked:
    """The request's JSON body as `model`; a 400 or 422 problem otherwise."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # `silent` covers JSON that does not parse, not JSON nested too deeply
        raise _Invalid(
            problem(400, "Bad request", "the body is not JSON the service reads: it is nested too deeply")
        ) from None
    if not isinstance(body, dict):
        raise _Invalid(problem(400, "Bad request", "the body must be a JSON object"))
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise _Invalid(_invalid(error)) from None


@api.app_errorhandler(_Invalid)  # the other API blueprints read bodies with body_as too
def _invalid_request(error: _Invalid) -> Response:
    return error.response


@api.app_errorhandler(StaleTimetable)  # an old run read after imports moved its meetings
def _stale_timetable(error: StaleTimetable) -> Response:
    return problem(409, "Conflict", str(error))


@api.errorhandler(ScenarioError)
def _scenario_problem(error: ScenarioError) -> Response:
    """Raised inside a transaction, which it rolls back: nothing of the request is stored."""
    errors = [{"field": field, "message": message} for field, message in error.errors]
    return problem(422, "The scenario does not fit the semester", str(error), errors)


def _created(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = 201
    return response


def _semester_or_404(session: Session, name: str) -> schema.Semester:
    try:
        return semester_named(session, name)
    except StorageError as error:
        raise NotFound(str(error)) from None


def _stored(session: Session, table: type[Row], key: int, what: str) -> Row:
    found = stored_row(session, table, key)
    if found is None:
        raise NotFound(f"no {what} {key}")
    return found


def _scenario(row: schema.Scenario) -> dict[str, Any]:
    return {
        "id": row.id,
        "semester": row.semester.name,
        "name": row.name,
        "description": row.description,
        "changes": row.changes,
        "baseline_run": row.baseline_run_id,
        "cloned_from": row.cloned_from_id,
        "created_at": row.created_at.isoformat(),
    }


@api.get("/runs")
@requires(Role.PLANNER)
def runs() -> Response:
    with services().database.transaction() as session:
        rows = session.scalars(select(schema.Run).order_by(schema.Run.id.desc()).limit(200)).all()
        return jsonify([_summary(run) for run in rows])


@api.get("/runs/<int:run_id>")
@requires(Role.PLANNER)
def run(run_id: int) -> Response:
    with services().database.transaction() as session:
        found = _stored_run(session, run_id)
        return jsonify(
            _summary(found)
            | {
                "progress": found.progress,
                "report": found.report,
                "evaluation": found.evaluation,
                "scenario": found.scenario,
            }
        )


@api.post("/runs/<int:run_id>/cancel")
@requires(Role.PLANNER)
def cancel_run(run_id: int) -> Response:
    with services().database.transaction() as session:
        found = _stored_run(session, run_id)
        if found.status not in RunStatus.UNFINISHED:
            return problem(409, "Conflict", f"run {run_id} is already {found.status}")
        found.cancel_requested = True
        response = jsonify(_summary(found))
    response.status_code = 202
    return response


def _stored_run(session: Session, run_id: int) -> schema.Run:
    return _stored(session, schema.Run, run_id, "run")


def _summary(run: schema.Run) -> dict[str, Any]:
    return RunSummary(
        id=run.id,
        kind=run.kind,
        semester=run.semester.name,
        status=run.status,
        cancel_requested=run.cancel_requested,
        time_limit=run.time_limit,
        workers=run.workers,
        seed=run.seed,
        created_at=run.created_at.isoformat(),
        started_at=run.started_at.isoformat() if run.started_at else None,
        finished_at=run.finished_at.isoformat() if run.finished_at else None,
        elapsed=run.elapsed,
        objective=run.objective,
        bound=run.bound,
        gap=SolveReport.relative_gap(run.objective, run.bound),
        error=run.error,
        published_at=run.published_at.isoformat() if run.published_at else None,
        department=run.department,
    ).model_dump()
