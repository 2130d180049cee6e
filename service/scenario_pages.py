"""Scenario pages: a planner lists a semester's scenarios and writes a new one, from scratch or as
a changed copy of another (stored scenarios stay as they were run). The form speaks the
registrar's words: one line per closed room or absent teacher (`Room 101: Fri; Wed 3-5`), one
line per pinned meeting (`CSE2001 L1, 1, Mon 3, Room 101`)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from datasets.registrar_scenario import MOST_WEIGHT, PinnedMeeting, ScenarioError, ScenarioRecord
from service.context import services
from service.pages import form_page, planner_only
from service.scenarios import save_scenario, soft_criteria
from service.storage import schema
from service.storage.records import StorageError, semester_named, stored_row
from service.storage.schema import RunStatus

scenario_pages = Blueprint("scenario_pages", __name__)


class ScenarioForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = StringField("Description", validators=[Length(max=2000)])
    baseline = SelectField("Stay close to the timetable of run", default="")
    closed_rooms = TextAreaField("Closed rooms (one per line: room: times; no times, the whole week)")
    absent_teachers = TextAreaField("Absent teachers (one per line: teacher: times)")
    pins = TextAreaField("Pinned meetings (one per line: section, meeting, time, room)")


@scenario_pages.get("/scenarios")
@login_required
def scenario_list() -> str:
    planner_only()
    with services().database.transaction() as session:
        semesters = list(session.scalars(select(schema.Semester.name).order_by(schema.Semester.id)))
        rows = [
            (s.id, s.semester.name, s.name, s.description, s.baseline_run_id, s.created_at)
            for s in session.scalars(select(schema.Scenario).order_by(schema.Scenario.id))
        ]
    return render_template("scenarios.html", semesters=semesters, rows=rows)


@scenario_pages.route("/scenarios/<semester>/new", methods=["GET", "POST"])
@login_required
def new_scenario(semester: str) -> tuple[str, int] | BaseResponse:
    planner_only()
    criteria = soft_criteria()
    form = ScenarioForm()
    errors: list[tuple[str, str]] = []
    with services().database.transaction() as session:
        try:
            stored = semester_named(session, semester)
        except StorageError as error:
            abort(404, str(error))
        form.baseline.choices = [SelectChoice("", "none")] + [
            SelectChoice(str(run_id), f"run {run_id}")
            for run_id in session.scalars(
                select(schema.Run.id).where(
                    schema.Run.semester_id == stored.id,
                    schema.Run.kind == "lessons",
                    schema.Run.status.in_((RunStatus.FINISHED, RunStatus.CANCELLED)),
                    schema.Run.solution.is_not(None),
                )
            )
        ]
        copied = _copied(session, request.args.get("from", type=int), semester)
        if request.method == "GET" and copied is not None:
            _fill(form, copied)
        changes = copied.changes if copied is not None and request.method == "GET" else {}
        if form.is_submitted():  # every mistake at once: the form's fields and the lines in them
            fields_fit = form.validate()
            record, errors = _changes(form, criteria)
            if fields_fit and record is not None:
                baseline = int(form.baseline.data) if form.baseline.data else None
                try:  # save_scenario checks everything before it adds the row
                    save_scenario(
                        session,
                        semester,
                        form.name.data or "",
                        record,
                        form.description.data or "",
                        baseline,
                        cloned_from=copied.id if copied is not None else None,
                    )
                    return redirect(url_for("scenario_pages.scenario_list"))
                except ScenarioError as error:
                    errors = error.errors
            changes = _submitted(criteria)
    return form_page(
        "scenario.html",
        form.is_submitted(),  # a scenario that fits is stored and the page left
        form=form,
        semester=semester,
        criteria=criteria,
        changes=changes,
        errors=errors,
        beside=_beside(errors),
        copied=copied.name if copied is not None else None,
    )


# the field of the form a mistake is about, by its first word: the page's own ("closed rooms, line 2")
# and the stored scenario's ("closed_rooms.Atlantis", "baseline_run"); weights have no field
_FIELDS = {
    "name": "name",
    "baseline": "baseline",
    "closed": "closed_rooms",
    "absent": "absent_teachers",
    "pins": "pins",
}


def _beside(errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The mistakes to show beside each field of the form, by the field's name."""
    beside: dict[str, list[str]] = {}
    for where, message in errors:
        field = _FIELDS.get(re.split(r"[ ._,]", where, maxsplit=1)[0])
        if field is not None:
            beside.setdefault(field, []).append(f"{where}: {message}")
    return beside


def _copied(session: Any, scenario_id: int | None, semester: str) -> schema.Scenario | None:
    if scenario_id is None:
        return None
    copied = stored_row(session, schema.Scenario, scenario_id)
    if copied is None or copied.semester.name != semester:
        abort(404, f"no scenario {scenario_id} of semester {semester!r}")
    return copied


def _fill(form: ScenarioForm, copied: schema.Scenario) -> None:
    record = ScenarioRecord.model_validate(copied.changes)
    form.name.data = f"{copied.name} (changed)"
    form.description.data = copied.description
    form.baseline.data = str(copied.baseline_run_id or "")
    form.closed_rooms.data = _lines(record.closed_rooms)
    form.absent_teachers.data = _lines(record.absent_teachers)
    form.pins.data = "\n".join(f"{p.section}, {p.meeting}, {p.time}, {p.room}" for p in record.pins)


def _lines(times: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'; '.join(listed)}" for name, listed in times.items())


def _submitted(criteria: dict[str, int]) -> dict[str, Any]:
    """The criteria part of the form as sent, to show it again beside the errors."""
    return {
        "weights": {c: request.form.get(f"weight:{c}", "") for c in criteria},
        "disabled": [c for c in criteria if request.form.get(f"off:{c}")],
    }


def _changes(
    form: ScenarioForm, criteria: dict[str, int]
) -> tuple[ScenarioRecord | None, list[tuple[str, str]]]:
    """The form as a scenario, or the mistakes in it, each with its field and line."""
    errors: list[tuple[str, str]] = []
    weights: dict[str, int] = {}
    for criterion, default in criteria.items():
        text = request.form.get(f"weight:{criterion}", "").strip()
        if not text:
            continue
        weight = _whole_number(text)
        if weight is None or weight > MOST_WEIGHT:
            errors.append(
                (
                    f"weight of {criterion}",
                    f"must be a whole number from 0 to {MOST_WEIGHT:,}, found {text!r}",
                )
            )
        elif weight != default:
            weights[criterion] = weight
    disabled = [criterion for criterion in criteria if request.form.get(f"off:{criterion}")]
    closed = _times(form.closed_rooms.data or "", "closed rooms", errors)
    absent = _times(form.absent_teachers.data or "", "absent teachers", errors)
    pins: list[PinnedMeeting] = []
    for number, line in _numbered(form.pins.data or ""):
        parts = [part.strip() for part in line.split(",")]
        meeting = _whole_number(parts[1]) if len(parts) == 4 else None
        if len(parts) != 4:
            reason = "write section, meeting, time, room"
        elif not meeting:
            reason = f"the meeting is the section's meeting as a number from 1, not {parts[1]!r}"
        else:
            pins.append(PinnedMeeting(section=parts[0], meeting=meeting, time=parts[2], room=parts[3]))
            continue
        errors.append((f"pins, line {number}", f"{line!r}: {reason}"))
    if errors:
        return None, errors
    try:
        record = ScenarioRecord(
            weights=weights, disabled=disabled, closed_rooms=closed, absent_teachers=absent, pins=pins
        )
    except ValidationError as error:  # more lines or times than a scenario takes
        return None, [(_field(item["loc"]), item["msg"]) for item in error.errors()]
    return record, []


def _field(where: tuple[int | str, ...]) -> str:
    """A place in a scenario as the form names it: ('closed_rooms', 'Room 1') is 'closed rooms, Room 1'."""
    field, *inside = where
    return ", ".join([str(field).replace("_", " "), *map(str, inside)])


def _whole_number(text: str) -> int | None:
    """The number written in digits 0-9 (Python's isdigit takes '²' too, which int() refuses)."""
    return int(text) if text.isascii() and text.isdigit() else None


def _times(text: str, field: str, errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    times: dict[str, list[str]] = {}
    for number, line in _numbered(text):
        name, colon, listed = line.partition(":")
        if not name.strip():
            errors.append((f"{field}, line {number}", f"{line!r}: write the name, a colon, then the times"))
            continue
        times[name.strip()] = [time.strip() for time in listed.split(";") if time.strip()] if colon else []
    return times


def _numbered(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
