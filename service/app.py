"""The registrar's service: a Flask application over the engine and the records database.

`create_app` opens the database (migrating it to the latest schema), starts the run queue and
queues again the runs a previous process left unfinished. Every error answers with an RFC 7807
problem body naming what is wrong; nothing answers with a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException

from service.api import api, problem
from service.context import KEY, Services
from service.runs import RunQueue, executor_from_environment
from service.storage.database import Database, database_url


def create_app(
    url: str | None = None,
    executor_factory: Callable[[], Executor] | None = None,
    instance_path: Path | None = None,
) -> Flask:
    app = Flask(__name__, instance_path=str(instance_path) if instance_path else None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database = Database(url or database_url(Path(app.instance_path)))
    database.upgrade()
    runs = RunQueue(database, executor_factory or executor_from_environment())
    app.extensions[KEY] = Services(database, runs)
    runs.requeue_unfinished()
    app.register_blueprint(api)

    @app.errorhandler(HTTPException)
    def http_problem(error: HTTPException) -> Any:
        return problem(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:  # a bug: logged in full, answered in words
        app.logger.exception("unexpected error")
        return problem(500, "Internal Server Error", "the service failed; the error is in its log")

    return app
