"""The attestation part of the JSON API: the SAC tables of a semester, uploaded one at a time."""

from __future__ import annotations

import io

from flask import Blueprint, Response, jsonify, request
from openpyxl import Workbook
from werkzeug.exceptions import NotFound

from datasets.errors import DatasetError
from service.access import requires
from service.api import problem, row_error
from service.attestation import TABLES, import_table
from service.context import services
from service.storage.records import StorageError, semester_named
from service.storage.schema import Role

attestation_api = Blueprint("attestation_api", __name__, url_prefix="/api")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@attestation_api.post("/semesters/<semester>/attestation/<kind>")
@requires(Role.PLANNER)
def upload(semester: str, kind: str) -> Response:
    """One SAC table from CSV or XLSX, kept only when the whole set reads without a fault."""
    if kind not in TABLES:
        raise NotFound(f"no attestation table {kind!r}: the tables are {', '.join(TABLES)}")
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return problem(400, "Bad request", "send the table as the multipart field 'file'")
    try:
        with services().database.transaction() as session:
            rows, missing = import_table(
                session, semester_named(session, semester), kind, sent.filename, sent.read()
            )
    except StorageError as error:
        raise NotFound(str(error)) from None
    except DatasetError as error:
        return problem(422, "Table refused; nothing was imported", str(error), [row_error(error)])
    return jsonify({"kind": kind, "rows": rows, "missing": missing})


@attestation_api.get("/attestation/templates/<kind>.<file_format>")
@requires(Role.PLANNER)
def template(kind: str, file_format: str) -> Response:
    """An empty SAC table: its header row, required columns first."""
    if kind not in TABLES or file_format not in ("csv", "xlsx"):
        raise NotFound(
            f"no template {kind}.{file_format}: the tables are {', '.join(TABLES)}, as csv or xlsx"
        )
    columns = list(TABLES[kind].columns)
    if file_format == "csv":
        content, mimetype = (",".join(columns) + "\n").encode(), "text/csv"
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(columns)
        stream = io.BytesIO()
        workbook.save(stream)
        content, mimetype = stream.getvalue(), XLSX
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{kind}.{file_format}"'
    return response
