"""`registrar demo load` fills an empty database once; `registrar serve` answers on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cli.main import main
from service.storage import schema
from service.storage.database import Database
from tests.service_factory import SEMESTER, database_with_a_semester


def test_demo_load_fills_an_empty_database_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "load", "--students", "150"])
    assert first.exit_code == 0, first.output
    assert "'Demo semester'" in first.output and "150 students" in first.output
    second = runner.invoke(main, ["demo", "load", "--students", "150"])
    assert second.exit_code == 2 and "already holds 'Demo semester'" in second.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_up_makes_everything_and_serves_on_loopback(tmp_path: Path) -> None:
    """What `make run` does: database, demo semester and planner, then the service."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "demo", "up", "--students", "120", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/semesters", timeout=2) as response:
                    answer = json.load(response)
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.3)
        assert answer == [{"name": "Demo semester", "sections": answer[0]["sections"]}]
        assert answer[0]["sections"] > 0
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"sign in at http://127.0.0.1:{port}/login as 'planner' with password 'demo-planner'" in output
    assert f"registrar service on http://127.0.0.1:{port}/" in output


def test_users_are_added_and_get_tokens_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'users.sqlite3'}")
    runner = CliRunner()
    added = runner.invoke(
        main, ["users", "add", "ann", "--role", "planner"], input="long-password\nlong-password\n"
    )
    assert added.exit_code == 0 and "added as planner" in added.output
    again = runner.invoke(main, ["users", "add", "ann", "--role", "viewer", "--password", "another-one"])
    assert again.exit_code == 2 and "exists already" in again.output
    short = runner.invoke(main, ["users", "add", "bob", "--role", "viewer", "--password", "short"])
    assert short.exit_code == 2 and "at least 8 characters" in short.output
    token = runner.invoke(main, ["users", "token", "ann"])
    assert token.exit_code == 0 and len(token.output.strip()) >= 40
    assert runner.invoke(main, ["users", "token", "nobody"]).exit_code == 2


def test_bench_semesters_solves_stored_semesters_under_scenarios_into_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasets.registrar_scenario import ScenarioRecord
    from service.scenarios import save_scenario
    from service.storage.database import Database
    from tests.service_factory import SEMESTER, with_a_semester

    url = with_a_semester(f"sqlite:///{tmp_path / 'bench.sqlite3'}", 120, 23)
    database = Database(url)
    with database.transaction() as session:
        save_scenario(
            session, SEMESTER, "no windows", ScenarioRecord(disabled=["student windows", "teacher windows"])
        )
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    output = tmp_path / "semesters.md"
    arguments = ["bench", "semesters", "--semesters", SEMESTER, "--scenarios", "default", "no windows"]
    arguments += ["--time-limit", "3", "--workers", "1", "--executor", "dask", "--output", str(output)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    rows = [line.split(" | ") for line in output.read_text().splitlines() if line.startswith(f"| {SEMESTER}")]
    assert [row[1] for row in rows] == ["default", "no windows"] and all(row[3] == "True" for row in rows)
    assert all(int(row[2]) > 0 and row[4].isdigit() for row in rows)  # meetings, a cost
    # One thread per worker: one run at a time, each with its own peak.
    assert all(row[7].rstrip(" |").isdigit() for row in rows) and "An empty peak" not in output.read_text()


def test_a_database_the_commands_cannot_use_is_said_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each was a SQLAlchemy traceback (no such table, unable to open database file, NoSuchModuleError)."""
    runner = CliRunner()
    find = ["rooms", "find", "--capacity", "10", "--date", "2026-03-12", "--from", "14:00", "--to", "16:00"]
    book = ["rooms", "book", "MB-101", "--date", "2026-03-12", "--from", "14:00", "--to", "16:00"]
    fresh, unopenable = tmp_path / "fresh.sqlite3", tmp_path / "nodir" / "x.sqlite3"
    cases = [
        (f"sqlite:///{fresh}", find, f"the database at sqlite:///{fresh} has no registrar tables yet"),
        (f"sqlite:///{fresh}", book, "has no registrar tables yet: run `registrar db upgrade`"),
        (f"sqlite:///{fresh}", ["users", "token", "ann"], "has no registrar tables yet"),
        (
            f"sqlite:///{unopenable}",
            ["db", "upgrade"],
            f"cannot open the database sqlite:///{unopenable}: unable to open database file",
        ),
        ("garbage://x", find, "DATABASE_URL garbage://x is not a database URL SQLAlchemy knows: "),
        ("garbage", ["db", "upgrade"], "DATABASE_URL garbage is not a database URL SQLAlchemy knows: "),
    ]
    for url, arguments, reason in cases:
        monkeypatch.setenv("DATABASE_URL", url)
        result = runner.invoke(main, arguments)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: ") and reason in result.output, result.output
    assert not fresh.exists()  # not made just to be found empty
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{fresh}")
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, find).exit_code == 0
    with sqlite3.connect(fresh) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0011'")
    behind = runner.invoke(main, find)
    assert behind.exit_code == 2 and "is at migration 0011, not this registrar's 00" in behind.output


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (["--semester", " "], "a semester needs a name"),
        (
            ["--starts-on", "1900-09-07"],
            "semesters are planned from 2000-01-01 to 2099-12-31, not 1900-09-07",
        ),
        (["--exams-from", "2026-12-21"], "the exam session needs both --exams-from and --exams-to"),
        (
            ["--exams-from", "2026-12-30", "--exams-to", "2026-12-01"],
            "the session ends on 2026-12-01, before it begins on 2026-12-30",
        ),
    ],
)
def test_db_load_refuses_a_semester_no_registrar_would_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], reason: str
) -> None:
    """Each was stored (exit 0): a blank name, a date a century off, half or a backward exam session."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    asked = ["db", "load", str(tmp_path), "--semester", "2026 autumn", *options]
    refused = CliRunner().invoke(main, asked)
    assert refused.exit_code == 2 and reason in " ".join(refused.output.split()), refused.output
    assert not (tmp_path / "r.sqlite3").exists()  # refused before anything was read or opened


def test_db_exam_session_moves_a_stored_semesters_session_and_names_the_sittings_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exam runs leave out sittings outside the session; its dates could be given only when the
    semester was first loaded."""
    url = database_with_a_semester(tmp_path / "r.sqlite3", 60, 3)
    database = Database(url)
    with database.transaction() as session:
        semester = session.scalars(select(schema.Semester)).one()
        session.add_all(
            schema.ExamPeriod(semester=semester, date=date, start="09:00", minutes=180)
            for date in (dt.date(2026, 12, 21), dt.date(2025, 12, 22))
        )
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    asked = ["db", "exam-session", SEMESTER, "--exams-from", "2026-12-21", "--exams-to", "2027-01-02"]
    moved = runner.invoke(main, asked)
    assert moved.exit_code == 0, moved.output
    said = " ".join(moved.output.split())
    assert f"semester {SEMESTER!r}: exam session 2026-12-21 to 2027-01-02" in said
    assert (
        "check: exam runs: the run leaves out the sittings outside the exam session, 2026-12-21 to "
        "2027-01-02: 2025-12-22 at 09:00;" in said
    )
    database = Database(url)
    with database.transaction() as session:
        semester = session.scalars(select(schema.Semester)).one()
        assert (semester.exams_from, semester.exams_to) == (dt.date(2026, 12, 21), dt.date(2027, 1, 2))
    database.dispose()
    widened = runner.invoke(main, [*asked[:4], "2025-12-01", *asked[5:]])
    assert widened.exit_code == 0 and "check:" not in widened.output
    unknown = runner.invoke(main, ["db", "exam-session", "no such", *asked[3:]])
    assert unknown.exit_code == 2 and "No semester 'no such' (stored: " in unknown.output
    backwards = runner.invoke(main, [*asked[:6], "2026-12-01"])
    assert backwards.exit_code == 2 and "the session ends on 2026-12-01, before it begins" in backwards.output
