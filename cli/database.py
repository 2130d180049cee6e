"""`registrar db`: the service's database (DATABASE_URL, else a SQLite file here)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from cli.display import console
from datasets.errors import DatasetError
from datasets.registrar_csv import read_records
from models.rooms import FIRST_DATE, LAST_DATE
from service.access import add_user, new_token
from service.sittings import change_exam_session, session_refusal
from service.storage import schema
from service.storage.database import Database, database_url
from service.storage.records import (
    StorageError,
    store_semester,
)
from service.storage.schema import Role


@click.group("db")
def database() -> None:
    """The registrar's records database: migrations and whole-semester loads."""


@database.command("upgrade")
def upgrade() -> None:
    """Apply the schema migrations (safe to repeat)."""
    database = open_database(migrated=False)
    database.upgrade()
    console.print(f"database {shown_url(database.url)} is up to date")


@database.command("load")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--semester", required=True, help="Name of the new semester, e.g. '2026 autumn'.")
@click.option(
    "--starts-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the calendar's first day in teaching week 1 (for calendars), e.g. 2026-09-07.",
)
@click.option("--teaching-weeks", type=click.IntRange(min=1), default=15, show_default=True)
@click.option(
    "--exams-from", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day of the exam session."
)
@click.option("--exams-to", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day of the exam session.")
@click.option("--academic-year", default="", help="e.g. 2026/27: the semesters of a year share a load plan.")
@click.option("--term", type=click.IntRange(1, 2), default=1, show_default=True, help="Term of the year.")
def load(
    folder: Path,
    semester: str,
    starts_on: dt.datetime | None,
    teaching_weeks: int,
    exams_from: dt.datetime | None,
    exams_to: dt.datetime | None,
    academic_year: str,
    term: int,
) -> None:
    """Store a folder of the registrar's CSV files as a new semester, all or nothing."""
    _check_dates(semester, starts_on, exams_from, exams_to)
    exams = (exams_from.date(), exams_to.date()) if exams_from and exams_to else None
    try:
        data = read_records(folder, exams)
    except DatasetError as error:
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
    db = open_database(migrated=False)
    db.upgrade()
    try:
        with db.transaction() as session:
            store_semester(
                session,
                data,
                semester,
                starts_on.date() if starts_on else None,
                teaching_weeks,
                exams,
                academic_year,
                term,
            )
    except (StorageError, SQLAlchemyError) as error:
        console.print(f"[red]error:[/] nothing stored: {error}", soft_wrap=True)
        sys.exit(2)
    console.print(
        f"semester {semester!r}: {len(data.sections):,} sections, {len(data.students):,} students, "
        f"{len(data.registrations):,} registrations stored in {shown_url(db.url)}"
    )


@database.command("exam-session")
@click.argument("semester")
@click.option(
    "--exams-from", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="First day of the session."
)
@click.option(
    "--exams-to", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="Last day of the session."
)
def exam_session(semester: str, exams_from: dt.datetime, exams_to: dt.datetime) -> None:
    """Set a stored semester's exam session (its sittings must lie in it: exam runs leave out the
    others, which are named here)."""
    _check_dates(semester, None, exams_from, exams_to)
    db = open_database()
    try:
        with db.transaction() as session:
            warnings = change_exam_session(session, semester, exams_from.date(), exams_to.date())
    except StorageError as error:
        console.print(f"[red]error:[/] nothing changed: {error}", soft_wrap=True)
        sys.exit(2)
    console.print(f"semester {semester!r}: exam session {exams_from.date()} to {exams_to.date()}")
    for warning in warnings:
        console.print(f"[yellow]check:[/] {escape(warning)}", soft_wrap=True)


def _check_dates(
    semester: str, starts_on: dt.datetime | None, exams_from: dt.datetime | None, exams_to: dt.datetime | None
) -> None:
    """The semester's name and dates as a registrar would give them, else a usage error (exit 2)."""
    if not semester.strip():
        raise click.BadParameter("a semester needs a name", param_hint="--semester")
    for option, given in (("--starts-on", starts_on), ("--exams-from", exams_from), ("--exams-to", exams_to)):
        if given is not None and not FIRST_DATE <= given.date() <= LAST_DATE:
            raise click.BadParameter(
                f"semesters are planned from {FIRST_DATE} to {LAST_DATE}, not {given.date()}",
                param_hint=option,
            )
    if (exams_from is None) != (exams_to is None):
        raise click.UsageError("the exam session needs both --exams-from and --exams-to")
    if exams_from is not None and exams_to is not None:
        refusal = session_refusal(exams_from.date(), exams_to.date())
        if refusal is not None:
            raise click.BadParameter(refusal, param_hint="--exams-to")


def open_database(migrated: bool = True) -> Database:
    """The database of DATABASE_URL (else a SQLite file here), opened and, when `migrated`, its
    tables at this registrar's newest migration; otherwise the command ends, saying why (exit 2)."""
    url = database_url()
    try:
        database = Database(url)
    except ImportError as error:  # a dialect whose driver is not installed
        _refuse(f"DATABASE_URL {shown_url(url)} needs a database driver that is not installed: {error}")
    except SQLAlchemyError as error:
        _refuse(f"DATABASE_URL {shown_url(url)} is not a database URL SQLAlchemy knows: {error}")
    if migrated and not _sqlite_file_exists(database):  # not made just to say it is empty
        _refuse(f"the database at {shown_url(url)} has no registrar tables yet: run `registrar db upgrade`")
    try:
        current, newest = database.revisions()
    except SQLAlchemyError as error:
        reason = " ".join(str(getattr(error, "orig", None) or error).split())
        _refuse(f"cannot open the database {shown_url(url)}: {reason}")
    if migrated and current is None:
        _refuse(f"the database at {shown_url(url)} has no registrar tables yet: run `registrar db upgrade`")
    if migrated and current != newest:
        _refuse(
            f"the database at {shown_url(url)} is at migration {current}, not this registrar's {newest}: "
            "run `registrar db upgrade`"
        )
    return database


def _sqlite_file_exists(database: Database) -> bool:
    """False only for a SQLite file that is not there (connecting would make it)."""
    url = database.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return True
    return Path(url.database).exists()


def _refuse(reason: str) -> NoReturn:
    console.print(f"[red]error:[/] {escape(reason)}", soft_wrap=True)
    sys.exit(2)


def shown_url(url: str) -> str:
    """The URL without its password."""
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, credentials = head.partition("//")
    return f"{scheme}//{credentials.split(':', 1)[0]}:***@{tail}"


@click.group("users")
def users() -> None:
    """Who may sign in to the service and call its API."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@click.password_option(help="Prompted for (twice) when not given.")
def add(username: str, role: str, password: str) -> None:
    """Add a user with a role (admin, planner or viewer)."""
    database = open_database(migrated=False)
    database.upgrade()
    try:
        with database.transaction() as session:
            add_user(session, username, password, role)
    except ValueError as error:
        console.print(f"[red]error:[/] {error}")
        sys.exit(2)
    console.print(f"user {username!r} added as {role}")


@users.command("token")
@click.argument("username")
def token(username: str) -> None:
    """Print a new API token for the user (the old one stops working)."""
    database = open_database()
    with database.transaction() as session:
        user = session.scalar(select(schema.User).where(schema.User.username == username))
        if user is None:
            console.print(f"[red]error:[/] no user {username!r}")
            sys.exit(2)
        click.echo(new_token(user))
