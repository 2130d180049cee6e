"""`registrar db`: the service's database (DATABASE_URL, else a SQLite file here)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from cli.display import console
from datasets.errors import DatasetError
from datasets.registrar_csv import read_records
from service.access import add_user, new_token
from service.storage import schema
from service.storage.database import Database, database_url
from service.storage.records import StorageError, store_semester
from service.storage.schema import Role


@click.group("db")
def database() -> None:
    """The registrar's records database: migrations and whole-semester loads."""


@database.command("upgrade")
def upgrade() -> None:
    """Apply the schema migrations (safe to repeat)."""
    url = database_url()
    Database(url).upgrade()
    console.print(f"database {shown_url(url)} is up to date")


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
    try:
        data = read_records(folder)
    except DatasetError as error:
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
    url = database_url()
    db = Database(url)
    db.upgrade()
    try:
        with db.transaction() as session:
            exams = (exams_from.date(), exams_to.date()) if exams_from and exams_to else None
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
        f"{len(data.registrations):,} registrations stored in {shown_url(url)}"
    )


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
    database = Database(database_url())
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
    database = Database(database_url())
    with database.transaction() as session:
        user = session.scalar(select(schema.User).where(schema.User.username == username))
        if user is None:
            console.print(f"[red]error:[/] no user {username!r}")
            sys.exit(2)
        click.echo(new_token(user))
