"""Fifty clients writing and reading at once for 20 s against the real server (waitress) on
loopback over SQLite in WAL mode: no error, no write lost, none duplicated, every write read
back as written."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from service.context import KEY
from service.storage import schema
from tests.live_server import live_server
from tests.service_factory import SEMESTER, client_as, running_app

CLIENTS = 50
SECONDS = 20.0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    with running_app(tmp_path, 100, 16) as app, live_server(app) as base:
        yield base, app


def test_fifty_clients_lose_and_duplicate_nothing(served: tuple[str, Flask]) -> None:
    base, app = served
    token = client_as(app, "planner").environ_base["HTTP_AUTHORIZATION"]
    written: list[list[tuple[int, str, str]]] = [[] for _ in range(CLIENTS)]
    errors: list[str] = []
    reads = [0] * CLIENTS
    stop = time.monotonic() + SECONDS

    def client(number: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = token
        sent = 0
        while time.monotonic() < stop:
            name, description = f"client {number} #{sent}", f"written by client {number} at {time.time():.6f}"
            try:
                answer = session.post(
                    f"{base}/api/semesters/{SEMESTER}/scenarios",
                    json={"name": name, "description": description},
                    timeout=60,
                )
                if answer.status_code != 201:
                    errors.append(f"write {name}: {answer.status_code} {answer.text[:200]}")
                    continue
                written[number].append((answer.json()["id"], name, description))
                sent += 1
                back = session.get(f"{base}/api/scenarios/{answer.json()['id']}", timeout=60)
                listed = session.get(f"{base}/api/semesters", timeout=60)
                if (
                    back.status_code != 200
                    or back.json()["description"] != description
                    or listed.status_code != 200
                ):
                    errors.append(f"read {name}: {back.status_code} {listed.status_code}")
                reads[number] += 2
            except requests.RequestException as error:
                errors.append(f"client {number}: {error}")

    threads = [threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every = [entry for entries in written for entry in entries]
    assert len(every) >= CLIENTS  # each client got writes through
    with app.extensions[KEY].database.transaction() as session:
        stored = {row.id: (row.name, row.description) for row in session.scalars(select(schema.Scenario))}
        assert session.scalar(select(func.count()).select_from(schema.Scenario)) == len(every)
    assert stored == {identifier: (name, description) for identifier, name, description in every}
    assert len({name for _, name, _ in every}) == len(every)
    assert sum(reads) == 2 * len(every)
