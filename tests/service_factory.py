"""A service on a fresh database holding one generated semester, for the service tests; the
database is a SQLite file, or a new database on the PostgreSQL server REGISTRAR_TEST_POSTGRES
names (CI starts one) for the tests that run on both."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from datasets.semester import generate_semester
from service.access import add_user, new_token
from service.app import create_app
from service.context import KEY, Services
from service.storage import schema
from service.storage.database import Database
from service.storage.records import store_semester

SEMESTER = "2026 autumn"
POSTGRES = os.environ.get("REGISTRAR_TEST_POSTGRES", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES, reason="no server"))]


@contextmanager
def fresh_database(folder: Path, backend: str = "sqlite") -> Iterator[str]:
    """The URL of an empty database: a file in `folder`, or a new database on the server."""
    if backend == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'registrar.sqlite3'}"
        return
    created = f"registrar_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{created}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + created
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{created}" WITH (FORCE)'))
        admin.dispose()


def with_a_semester(url: str, students: int, seed: int) -> str:
    database = Database(url)
    database.upgrade()
    with database.transaction() as session:
        store_semester(session, generate_semester(students, seed), SEMESTER)
    database.dispose()
    return url


def database_with_a_semester(path: Path, students: int, seed: int) -> str:
    return with_a_semester(f"sqlite:///{path}", students, seed)


@contextmanager
def running_app(
    folder: Path,
    students: int,
    seed: int,
    executor_factory: Callable[[], Executor] | None = None,
    backend: str = "sqlite",
) -> Iterator[Flask]:
    with fresh_database(folder, backend) as url:
        app = create_app(with_a_semester(url, students, seed), executor_factory, instance_path=folder)
        try:
            yield app
        finally:
            registered: Services = app.extensions[KEY]
            registered.runs.shutdown()
            registered.database.dispose()


def client_as(app: Flask, role: str) -> FlaskClient:
    """A test client calling the API with the token of a new user of `role`."""
    with app.extensions[KEY].database.transaction() as session:
        count = session.query(schema.User).count()
        user = add_user(session, f"{role}{count}", "correct horse battery", role)
        token = new_token(user)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def signed_in(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A test client signed in to the pages as a new user of `role`, and its CSRF token."""
    with app.extensions[KEY].database.transaction() as session:
        count = session.query(schema.User).count()
        add_user(session, f"page-{role}{count}", "correct horse battery", role)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data.decode())
    assert token is not None
    fields = {"username": f"page-{role}{count}", "password": "correct horse battery", "csrf_token": token[1]}
    assert client.post("/login", data=fields).status_code == 302
    return client, token[1]
