"""The registrar's records on a real database: the migrations make exactly the schema the code
declares, a semester goes in and comes back equal, and the database itself refuses bad rows.
Each test runs on SQLite and, when REGISTRAR_TEST_POSTGRES names a server (CI starts one), on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from cli.main import main
from datasets.registrar_csv import lesson_problem, write_registrar
from datasets.registrar_records import ExamPeriod, ExamRecord
from datasets.semester import generate_semester
from service.storage import schema
from service.storage.database import Database, database_url, downgrade, upgrade
from service.storage.records import StorageError, load_semester, store_semester
from tests.service_factory import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with fresh_database(tmp_path, request.param) as url:
        db = Database(url)
        db.upgrade()
        yield db
        db.dispose()


def test_the_migrations_make_the_declared_schema(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.Base.metadata)
    assert differences == []
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(schema.Section)) == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    database.upgrade()
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_url_defaults_to_a_file_and_reads_postgres_spellings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'registrar.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost/db")
    assert database_url(tmp_path) == "postgresql+psycopg://u:p@localhost/db"


def test_a_semester_comes_back_equal(database: Database) -> None:
    generated = generate_semester(400, 3)
    sittings = (
        ExamPeriod(dt.date(2026, 12, 21), "09:00", 180),
        ExamPeriod(dt.date(2026, 12, 21), "14:00", 120, 5),
    )
    exams = tuple(
        ExamRecord(course.code, 90 + 30 * (index % 3)) for index, course in enumerate(generated.courses)
    )
    data = replace(generated, exams=exams, exam_periods=sittings)
    assert data.programmes and any(programme.department for programme in data.programmes)
    with database.transaction() as session:
        store_semester(session, data, "2026 autumn")
    with database.transaction() as session:
        loaded = load_semester(session, "2026 autumn")
    assert loaded == data
    assert lesson_problem(loaded, "x") == lesson_problem(data, "x")


def test_a_second_semester_shares_rooms_teachers_and_students(database: Database) -> None:
    data = generate_semester(300, 4)
    with database.transaction() as session:
        store_semester(session, data, "autumn")
    with database.transaction() as session:
        store_semester(session, data, "spring")
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(schema.Room)) == len(data.rooms)
        assert session.scalar(select(func.count()).select_from(schema.Student)) == len(data.students)
        assert session.scalar(select(func.count()).select_from(schema.Section)) == 2 * len(data.sections)
        assert load_semester(session, "spring") == data


def test_a_refused_store_leaves_nothing_behind(database: Database) -> None:
    data = generate_semester(300, 5)
    with database.transaction() as session:
        store_semester(session, data, "autumn")
    with pytest.raises(StorageError, match="'autumn' already exists"), database.transaction() as session:
        store_semester(session, data, "autumn")
    with (
        database.transaction() as session,
        pytest.raises(StorageError, match=r"No semester 'spring' \(stored: autumn\)"),
    ):
        load_semester(session, "spring")
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(schema.Semester)) == 1
        assert load_semester(session, "autumn") == data


def test_the_programmes_migration_keeps_the_programmes_already_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0005")
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO semester (name, teaching_weeks, days) VALUES ('s', 15, '[]')"))
        connection.execute(text("INSERT INTO cohort (semester_id, programme, year) VALUES (1, 'Physics', 1)"))
        connection.execute(
            text(
                "INSERT INTO student (number, programme, full_name, email) VALUES "
                "('1', 'Physics', '', ''), ('2', 'History', '', ''), ('3', '', '', '')"
            )
        )
    upgrade(url)
    with database.transaction() as session:
        assert sorted(session.scalars(select(schema.Programme.name))) == ["History", "Physics"]
        assert session.scalar(select(schema.Student.programme).where(schema.Student.number == "3")) is None
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(schema.Student(number="4", programme="Nonexistent"))
    downgrade(url, "0005")  # and back: the programmes go, the students keep theirs
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT programme FROM student ORDER BY number")).scalars().all() == [
            "Physics",
            "History",
            "",
        ]
    database.dispose()


def test_the_database_refuses_a_negative_capacity_and_a_dangling_reference(database: Database) -> None:
    with pytest.raises(IntegrityError), database.transaction() as session:
        building = schema.Building(name="Main")
        session.add(schema.Room(name="101", building=building, capacity=-5, kind="classroom"))
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(schema.Room(name="102", building_id=9999, capacity=30, kind="classroom"))
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(schema.Room)) == 0
        assert session.scalar(select(func.count()).select_from(schema.Building)) == 0


def test_the_command_line_upgrades_and_loads_a_folder_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'office.sqlite3'}")
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "up to date" in upgraded.output
    folder = tmp_path / "autumn"
    write_registrar(generate_semester(200, 6), folder)
    loaded = runner.invoke(main, ["db", "load", str(folder), "--semester", "2026 autumn"])
    assert loaded.exit_code == 0, loaded.output
    assert "semester '2026 autumn'" in loaded.output
    again = runner.invoke(main, ["db", "load", str(folder), "--semester", "2026 autumn"])
    assert again.exit_code == 2 and "nothing stored" in again.output and "already exists" in again.output
    rooms = folder / "rooms.csv"
    rooms.write_text(rooms.read_text().replace(",", ",-", 3).replace("\n", "\nbroken\n", 1))
    bad = runner.invoke(main, ["db", "load", str(folder), "--semester", "2027 spring"])
    assert bad.exit_code == 2 and "rooms.csv" in bad.output and "Traceback" not in bad.output
    database = Database(database_url())
    with database.transaction() as session:
        assert [s.name for s in session.scalars(select(schema.Semester))] == ["2026 autumn"]
        assert load_semester(session, "2026 autumn") == generate_semester(200, 6)


def test_db_load_refuses_a_sitting_outside_the_exam_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year mistyped (2025-12-21 for 2026-12-21) was stored and the exam timetable built on it."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'office.sqlite3'}")
    sittings = (
        ExamPeriod(dt.date(2026, 12, 21), "09:00", 180),
        ExamPeriod(dt.date(2025, 12, 21), "14:00", 180),
    )
    folder = tmp_path / "autumn"
    write_registrar(replace(generate_semester(120, 6), exam_periods=sittings), folder)
    session = ["--exams-from", "2026-12-21", "--exams-to", "2027-01-09"]
    runner = CliRunner()
    refused = runner.invoke(main, ["db", "load", str(folder), "--semester", "2026 autumn", *session])
    assert refused.exit_code == 2, refused.output
    assert (
        "exam_periods.csv:3: date: the sitting on 2025-12-21 at 14:00 is outside the exam session, "
        "2026-12-21 to 2027-01-09: check its date, or widen the session if the sitting is meant"
    ) in " ".join(refused.output.split())
    assert not (tmp_path / "office.sqlite3").exists()  # refused before the database was opened
    undated = runner.invoke(main, ["db", "load", str(folder), "--semester", "2026 autumn"])
    assert undated.exit_code == 0, undated.output  # no session given: the sittings are the office's word
    widened = ["--exams-from", "2025-12-21", "--exams-to", "2027-01-09"]
    widened_load = runner.invoke(main, ["db", "load", str(folder), "--semester", "2027 spring", *widened])
    assert widened_load.exit_code == 0, widened_load.output
