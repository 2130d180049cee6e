"""A service on a fresh database holding one generated semester, for the service tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from datasets.semester import generate_semester
from service.access import add_user, new_token
from service.app import create_app
from service.context import KEY, Services
from service.storage import schema
from service.storage.database import Database
from service.storage.records import store_semester

SEMESTER = "2026 autumn"


def database_with_a_semester(path: Path, students: int, seed: int) -> str:
    url = f"sqlite:///{path}"
    database = Database(url)
    database.upgrade()
    with database.transaction() as session:
        store_semester(session, generate_semester(students, seed), SEMESTER)
    database.dispose()
    return url


@contextmanager
def running_app(
    folder: Path, students: int, seed: int, executor_factory: Callable[[], Executor] | None = None
) -> Iterator[Flask]:
    folder.mkdir(parents=True, exist_ok=True)
    url = database_with_a_semester(folder / "registrar.sqlite3", students, seed)
    app = create_app(url, executor_factory, instance_path=folder)
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
