"""`registrar serve` and `registrar demo`: the service and its demo data."""

from __future__ import annotations

import datetime as dt
import sys

import click
from sqlalchemy import select

from cli.database import open_database, shown_url
from cli.display import console
from datasets.semester import generate_semester
from service.access import add_user
from service.storage import schema
from service.storage.records import store_semester
from service.storage.schema import Role

DEMO_SEMESTER = "Demo semester"
DEMO_STARTS_ON = dt.date(2026, 9, 7)  # a Monday: the demo's calendars start there
DEMO_EXAMS = (dt.date(2026, 12, 21), dt.date(2027, 1, 9))  # after 15 teaching weeks


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Request threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Start the registrar's service against DATABASE_URL (default: a SQLite file here)."""
    from waitress import serve as waitress_serve

    from service.app import create_app

    checked = open_database(migrated=False)  # a URL or file it cannot use is said here in words
    checked.dispose()
    url = checked.url
    app = create_app(url)
    console.print(
        f"registrar service on http://{host}:{port}/ (database {shown_url(url)}); Ctrl+C stops it",
        soft_wrap=True,
    )
    waitress_serve(app, host=host, port=port, threads=threads, ident="registrar")


@click.group()
def demo() -> None:
    """Demo data for trying the service."""


DEMO_USER, DEMO_PASSWORD = "planner", "demo-planner"


@demo.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--students", type=click.IntRange(min=1), default=5000, show_default=True)
def demo_up(host: str, port: int, students: int) -> None:
    """The demo in one step (`make run`): the database, the demo semester and a demo planner
    when missing, then the service."""
    database = open_database(migrated=False)
    database.upgrade()
    with database.transaction() as session:
        if session.scalar(select(schema.Semester.id)) is None:
            console.print(f"generating {DEMO_SEMESTER!r} ({students:,} students)...")
            store_semester(
                session, generate_semester(students, 1), DEMO_SEMESTER, DEMO_STARTS_ON, exams=DEMO_EXAMS
            )
        if session.scalar(select(schema.User.id).where(schema.User.username == DEMO_USER)) is None:
            add_user(session, DEMO_USER, DEMO_PASSWORD, Role.PLANNER)
    database.dispose()
    console.print(
        f"sign in at http://{host}:{port}/login as {DEMO_USER!r} with password {DEMO_PASSWORD!r}",
        soft_wrap=True,
    )
    serve.callback(host=host, port=port, threads=8)  # type: ignore[misc]


@demo.command("load")
@click.option("--students", type=click.IntRange(min=1), default=5000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def demo_load(students: int, seed: int) -> None:
    """Fill an empty database with a generated semester (as `registrar generate semester`)."""
    database = open_database(migrated=False)
    database.upgrade()
    with database.transaction() as session:
        stored = list(session.scalars(select(schema.Semester.name)))
        if stored:
            console.print(
                f"[red]error:[/] the database already holds {', '.join(map(repr, stored))}; nothing loaded"
            )
            sys.exit(2)
        data = generate_semester(students, seed)
        store_semester(session, data, DEMO_SEMESTER, DEMO_STARTS_ON, exams=DEMO_EXAMS)
    console.print(
        f"{DEMO_SEMESTER!r}: {len(data.sections):,} sections, {len(data.students):,} students, "
        f"{len(data.registrations):,} registrations stored in {shown_url(database.url)}"
    )
