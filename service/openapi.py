"""The OpenAPI 3.1 document of the JSON API (`GET /api/openapi.json`), made from the pydantic
request and response models in `service/schemas.py` and the list of operations below."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from datasets.registrar_tables import KINDS as TABLE_KINDS
from service import schemas
from service.attestation import TABLES as ATTESTATION_TABLES
from service.publish import EXAM_WHOSE, WHOSE
from service.storage.records import LARGEST_ID

REF = "#/components/schemas/{model}"
SMALL_ID = {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}
NAME = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]+$"}
BINARY = {"type": "string", "format": "binary"}
CSV, XLSX = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


Answer = type[BaseModel] | tuple[str, ...] | None  # a model, the media types of a file, or nothing


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    role: str | None  # None: anyone, signed in or not
    answer: tuple[int, Answer]  # status and body
    body: type[BaseModel] | None = None
    many: bool = False  # the answer is a list of the model
    refusals: tuple[int, ...] = ()
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    upload: bool = False


OPERATIONS = (
    Operation("get", "/api/semesters", "The stored semesters", None, (200, schemas.SemesterItem), many=True),
    Operation(
        "get", "/api/criteria", "Soft criteria and default weights", None, (200, schemas.Criterion), many=True
    ),
    Operation(
        "get",
        "/api/templates/{kind}.{file_format}",
        "An empty table of one kind of record",
        "planner",
        (200, (CSV, XLSX)),
        refusals=(404,),
        parameters={
            "kind": {"type": "string", "enum": list(TABLE_KINDS)},
            "file_format": {"type": "string", "enum": ["csv", "xlsx"]},
        },
    ),
    Operation(
        "post",
        "/api/semesters/{semester}/imports/{kind}",
        "Import one kind of record from CSV or XLSX, all or nothing",
        "planner",
        (200, schemas.ImportResult),
        refusals=(400, 404, 422),
        parameters={"semester": NAME, "kind": {"type": "string", "enum": list(TABLE_KINDS)}},
        upload=True,
    ),
    Operation(
        "delete",
        "/api/semesters/{semester}/sittings/{date}/{start}",
        "Remove one exam sitting, named by its date and start (09:00); refused while the published "
        "exam timetable places an exam in it",
        "planner",
        (200, None),
        refusals=(404, 409),
        parameters={
            "semester": NAME,
            "date": {"type": "string", "format": "date"},
            "start": {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"},
        },
    ),
    Operation(
        "put",
        "/api/semesters/{semester}/exam-session",
        "Set the exam session's first and last day; the answer names the sittings exam runs will then "
        "leave out. Refused while the published exam timetable sits exams on days it leaves out, in "
        "sittings made from the session's dates (none stored)",
        "planner",
        (200, schemas.ExamSession),
        schemas.ExamSessionRequest,
        refusals=(400, 404, 409, 422),
        parameters={"semester": NAME},
    ),
    Operation(
        "post",
        "/api/runs",
        "Start a run",
        "planner",
        (202, schemas.RunStarted),
        schemas.RunRequest,
        refusals=(400, 422),
    ),
    Operation("get", "/api/runs", "The latest runs", "planner", (200, schemas.RunSummary), many=True),
    Operation(
        "get",
        "/api/runs/{run_id}",
        "A run with its progress and result",
        "planner",
        (200, schemas.RunDetail),
        refusals=(404,),
        parameters={"run_id": SMALL_ID},
    ),
    Operation(
        "post",
        "/api/runs/{run_id}/cancel",
        "Stop a run, keeping its best timetable",
        "planner",
        (202, schemas.RunSummary),
        refusals=(404, 409),
        parameters={"run_id": SMALL_ID},
    ),
    Operation(
        "post",
        "/api/runs/{run_id}/publish",
        "Publish a run's timetable",
        "planner",
        (200, schemas.RunSummary),
        refusals=(404, 409),
        parameters={"run_id": SMALL_ID},
    ),
    Operation(
        "get",
        "/api/runs/{first}/compare/{second}",
        "Two runs side by side",
        "planner",
        (200, schemas.Comparison),
        refusals=(404, 409),
        parameters={"first": SMALL_ID, "second": SMALL_ID},
    ),
    Operation(
        "get",
        "/api/semesters/{semester}/scenarios",
        "A semester's scenarios",
        "planner",
        (200, schemas.ScenarioOut),
        many=True,
        refusals=(404,),
        parameters={"semester": NAME},
    ),
    Operation(
        "post",
        "/api/semesters/{semester}/scenarios",
        "Store a scenario",
        "planner",
        (201, schemas.ScenarioOut),
        schemas.ScenarioRequest,
        refusals=(400, 404, 422),
        parameters={"semester": NAME},
    ),
    Operation(
        "get",
        "/api/scenarios/{scenario_id}",
        "A scenario",
        "planner",
        (200, schemas.ScenarioOut),
        refusals=(404,),
        parameters={"scenario_id": SMALL_ID},
    ),
    Operation(
        "post",
        "/api/scenarios/{scenario_id}/clone",
        "Copy a scenario under a new name",
        "planner",
        (201, schemas.ScenarioOut),
        schemas.CloneRequest,
        refusals=(400, 404, 422),
        parameters={"scenario_id": SMALL_ID},
    ),
    Operation(
        "get",
        "/api/semesters/{semester}/timetable/{whose}/{name}.{file_format}",
        "One week of the published timetable (or of ?run=ID, for planners)",
        None,
        (200, ("text/html", "text/calendar", CSV, XLSX)),
        refusals=(401, 403, 404, 409),
        parameters={
            "semester": NAME,
            "whose": {"type": "string", "enum": list(WHOSE)},
            "name": NAME,
            "file_format": {"type": "string", "enum": ["html", "ics", "csv", "xlsx"]},
        },
    ),
    Operation(
        "get",
        "/api/semesters/{semester}/exams/{whose}/{name}.{file_format}",
        "One student's, room's or course's exams of the published exam schedule (or of ?run=ID)",
        None,
        (200, ("text/html", "text/calendar", CSV, XLSX)),
        refusals=(401, 403, 404, 409),
        parameters={
            "semester": NAME,
            "whose": {"type": "string", "enum": list(EXAM_WHOSE)},
            "name": NAME,
            "file_format": {"type": "string", "enum": ["html", "ics", "csv", "xlsx"]},
        },
    ),
    Operation(
        "post",
        "/api/users",
        "Add a user",
        "admin",
        (201, schemas.UserOut),
        schemas.UserRequest,
        refusals=(400, 422),
    ),
    Operation(
        "post",
        "/api/users/{username}/token",
        "A new API token (admins for anyone, others for themselves)",
        "viewer",
        (201, schemas.TokenOut),
        refusals=(403, 404),
        parameters={"username": NAME},
    ),
    Operation(
        "get",
        "/api/runs/{run_id}/load-statement",
        "A teaching-load run's hours per teacher and department against their limits",
        "planner",
        (200, schemas.LoadStatement),
        refusals=(404,),
        parameters={"run_id": SMALL_ID},
    ),
    Operation(
        "post",
        "/api/semesters/{semester}/attestation/{kind}",
        "Import one State Attestation Commission table, kept only when the whole set reads",
        "planner",
        (200, schemas.AttestationImport),
        refusals=(400, 404, 422),
        parameters={"semester": NAME, "kind": {"type": "string", "enum": list(ATTESTATION_TABLES)}},
        upload=True,
    ),
    Operation(
        "get",
        "/api/attestation/templates/{kind}.{file_format}",
        "An empty State Attestation Commission table",
        "planner",
        (200, (CSV, XLSX)),
        refusals=(404,),
        parameters={
            "kind": {"type": "string", "enum": list(ATTESTATION_TABLES)},
            "file_format": {"type": "string", "enum": ["csv", "xlsx"]},
        },
    ),
    Operation(
        "post",
        "/api/rooms/free",
        "Free rooms for a one-off request, ranked by fit, around everything already placed, "
        "and why none is free",
        "viewer",
        (200, schemas.RoomsFree),
        schemas.RoomSearch,
        refusals=(400, 422),
    ),
    Operation(
        "post",
        "/api/rooms/bookings",
        "Book a room once or weekly; re-checked for conflicts under the room's lock",
        "planner",
        (201, schemas.BookingOut),
        schemas.BookingRequest,
        many=True,
        refusals=(400, 404, 409, 422),
    ),
    Operation("get", "/api/rooms/bookings", "The bookings", "viewer", (200, schemas.BookingOut), many=True),
    Operation(
        "delete",
        "/api/rooms/bookings/{booking_id}",
        "Cancel a booking (?series=all: every date of its weekly series)",
        "planner",
        (200, None),
        refusals=(404,),
        parameters={"booking_id": SMALL_ID},
    ),
)


def document() -> dict[str, Any]:
    models: list[type[BaseModel]] = [schemas.Problem]
    for operation in OPERATIONS:
        for model in (operation.body, operation.answer[1]):
            if isinstance(model, type) and model not in models:
                models.append(model)
    _, definitions = models_json_schema([(model, "validation") for model in models], ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Registrar scheduling service", "version": "1"},
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": paths,
    }


def _operation(operation: Operation) -> dict[str, Any]:
    status, answer = operation.answer
    described: dict[str, Any] = {
        "summary": operation.summary,
        "operationId": f"{operation.method}_{operation.path}".replace("/", "_")
        .replace("{", "")
        .replace("}", ""),
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": shape}
            for name, shape in operation.parameters.items()
        ],
        "responses": {str(status): _answer(answer, operation.many)},
    }
    if operation.role is not None:
        described["security"] = [{"bearer": []}]
        described["description"] = f"For a {operation.role} or above."
    refusals = set(operation.refusals) | ({401, 403} if operation.role else set())
    if operation.body is not None or operation.upload:
        refusals.add(413)  # larger than the service takes (service/app.py)
    for code in sorted(refusals):
        described["responses"][str(code)] = {
            "description": "refused",
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
        }
    if operation.body is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=operation.body.__name__)}}},
        }
    if operation.upload:
        described["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": ["file"], "properties": {"file": BINARY}}
                }
            },
        }
    return described


def _answer(answer: Answer, many: bool) -> dict[str, Any]:
    if isinstance(answer, tuple):
        return {"description": "the file", "content": {media: {"schema": BINARY} for media in answer}}
    if answer is None:
        return {"description": "done"}
    shape: dict[str, Any] = {"$ref": REF.format(model=answer.__name__)}
    if many:
        shape = {"type": "array", "items": shape}
    return {"description": "done", "content": {"application/json": {"schema": shape}}}
