"""Scenarios as stored data, and what a run is built from: the semester's records with the
scenario's changes, its pins and, for minimal perturbation, the baseline run's timetable."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from constraints.lessons import units_for
from datasets.registrar_exams import exam_problem
from datasets.registrar_records import RegistrarData
from datasets.registrar_scenario import ScenarioError, ScenarioRecord, scenario_problem
from models import (
    AttestationProblem,
    ExamProblem,
    LessonProblem,
    LessonScoring,
    LessonSolution,
    MasterClassProblem,
    Scenario,
)
from models.load import LoadProblem
from service.attestation import attestation_problem_of
from service.storage import schema
from service.storage.records import (
    StorageError,
    check_sittings,
    load_semester,
    outside_session,
    semester_named,
    stored_row,
)
from service.storage.schema import RunStatus
from service.teaching_load import Restaffing, load_problem, restaffing
from service.timetables import StaleTimetable, lesson_timetable


def soft_criteria() -> dict[str, int]:
    """The registrar's soft criteria a scenario may reweigh or switch off, with their weights."""
    probe = LessonProblem.model_construct(scoring=LessonScoring.REGISTRAR)
    return {unit.NAME: unit.weight(probe) for unit in units_for(probe) if not unit.HARD}


def save_scenario(
    session: Session,
    semester: str,
    name: str,
    changes: ScenarioRecord,
    description: str = "",
    baseline_run: int | None = None,
    cloned_from: int | None = None,
) -> schema.Scenario:
    """A new named scenario, checked against the semester now (names, times, criteria)."""
    stored = semester_named(session, semester)
    if session.scalar(
        select(schema.Scenario).where(schema.Scenario.semester_id == stored.id, schema.Scenario.name == name)
    ):
        raise ScenarioError([("name", f"semester {semester!r} already has a scenario {name!r}")])
    data = load_semester(session, semester)
    baseline = _baseline(session, stored, baseline_run, data)
    scenario_problem(data, changes, semester, soft_criteria(), name, baseline)
    scenario = schema.Scenario(
        semester=stored,
        name=name,
        description=description,
        changes=changes.model_dump(mode="json"),
        baseline_run_id=baseline_run,
        cloned_from_id=cloned_from,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(scenario)
    session.flush()
    return scenario


def clone_scenario(session: Session, scenario_id: int, name: str) -> schema.Scenario:
    original = stored_row(session, schema.Scenario, scenario_id)
    if original is None:
        raise StorageError(f"no scenario {scenario_id}")
    return save_scenario(
        session,
        original.semester.name,
        name,
        ScenarioRecord.model_validate(original.changes),
        original.description,
        original.baseline_run_id,
        cloned_from=original.id,
    )


def run_problem(
    session: Session, run: schema.Run, solving: bool = False
) -> tuple[
    LessonProblem | ExamProblem | LoadProblem | MasterClassProblem | AttestationProblem | Restaffing, Scenario
]:
    """The problem and engine scenario of a run, from the records and the changes it was asked with.
    `solving`: for the run's solve, which leaves out sittings outside the exam session (a run read
    back keeps the sittings as stored: one stored before runs kept their names reads them by place)."""
    if run.kind == "load":
        return load_problem(session, run.semester), Scenario()
    if run.kind == "sac":
        return attestation_problem_of(session, run.semester), Scenario()
    if run.kind == "masterclasses":
        from service.masterclasses import masterclass_problem_of  # it reads published runs' problems

        return masterclass_problem_of(session, run.semester), Scenario()
    if run.kind == "exams":
        semester = run.semester
        data = load_semester(session, semester.name)
        if solving:
            check_sittings(session, semester)  # some are in the session, or the run has none
            inside = tuple(p for p in data.exam_periods if not outside_session(semester, p.date))
            data = dataclasses.replace(data, exam_periods=inside)
        try:
            problem = exam_problem(data, semester.name, semester.exams_from, semester.exams_to)
        except ValueError as error:
            raise StorageError(
                f"semester {semester.name!r}: {error}"
                " (import exam periods, or db load --exams-from/--exams-to)"
            ) from None
        return problem, Scenario()
    changes = ScenarioRecord.model_validate(run.scenario)
    stored = session.get(schema.Scenario, run.scenario_id) if run.scenario_id else None
    name = stored.name if stored else "default"
    data = load_semester(session, run.semester.name)
    baseline = _baseline(session, run.semester, stored.baseline_run_id if stored else None, data)
    lessons, scenario = scenario_problem(data, changes, run.semester.name, soft_criteria(), name, baseline)
    if run.department is not None:
        return restaffing(session, run, lessons), scenario
    return lessons, scenario


def _baseline(
    session: Session, semester: schema.Semester, run_id: int | None, data: RegistrarData
) -> LessonSolution | None:
    if run_id is None:
        return None
    run = stored_row(session, schema.Run, run_id)
    if run is None or run.semester_id != semester.id:
        raise ScenarioError([("baseline_run", f"no run {run_id} of semester {semester.name!r}")])
    if run.solution is None or run.status not in (RunStatus.FINISHED, RunStatus.CANCELLED):
        raise ScenarioError([("baseline_run", f"run {run_id} has no timetable (it is {run.status})")])
    try:
        return lesson_timetable(run, data)
    except StaleTimetable as error:
        raise ScenarioError([("baseline_run", str(error))]) from None
