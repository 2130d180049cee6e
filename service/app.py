"""The registrar's service: a Flask application over the engine and the records database.

`create_app` opens the database (migrating it to the latest schema), starts the run queue and
queues again the runs a previous process left unfinished. Every error answers with an RFC 7807
problem body naming what is wrong; nothing answers with a traceback.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from service.access import API_BLUEPRINTS, install
from service.api import api, problem
from service.attestation_api import attestation_api
from service.context import KEY, Services
from service.pages import pages
from service.room_pages import room_pages
from service.rooms_api import rooms_api
from service.runs import RunQueue, executor_from_environment
from service.scenario_pages import scenario_pages
from service.storage.database import Database, database_url

# a request's size: the 5,000-student semester's largest table (registrations) is 0.9 MB as CSV
MOST_BYTES = 32 * 2**20
FORM_FIELD_BYTES = 500_000  # Flask's default for the fields of a form other than its files


def create_app(
    url: str | None = None,
    executor_factory: Callable[[], Executor] | None = None,
    instance_path: Path | None = None,
) -> Flask:
    app = Flask(__name__, instance_path=str(instance_path) if instance_path else None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["MAX_CONTENT_LENGTH"] = MOST_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = FORM_FIELD_BYTES
    csrf = CSRFProtect(app)
    database = Database(url or database_url(Path(app.instance_path)))
    database.upgrade()
    runs = RunQueue(database, executor_factory or executor_from_environment())
    app.extensions[KEY] = Services(database, runs)
    runs.requeue_unfinished()
    install(app, csrf, (api, rooms_api, attestation_api))
    app.register_blueprint(api)
    app.register_blueprint(rooms_api)
    app.register_blueprint(attestation_api)
    app.register_blueprint(pages)
    app.register_blueprint(scenario_pages)
    app.register_blueprint(room_pages)

    @app.errorhandler(HTTPException)
    def http_problem(error: HTTPException) -> Any:
        answer = problem(error.code or 500, error.name, error.description or "")
        if error.code == 401:
            answer.headers["WWW-Authenticate"] = 'Bearer realm="registrar"'
        return answer

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Any:
        detail = (
            f"the request is larger than the service takes: {MOST_BYTES // 2**20} MB, a file included, "
            f"and {FORM_FIELD_BYTES // 1000} KB of a form's other fields"
        )
        if request.blueprint in app.extensions[API_BLUEPRINTS]:
            return problem(413, error.name, detail)
        back = request.referrer or url_for("pages.home")
        return render_template("refused.html", title="Too large", message=detail, back=back), 413

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:  # a bug: logged in full, answered in words
        app.logger.exception("unexpected error")
        return problem(500, "Internal Server Error", "the service failed; the error is in its log")

    return app


def _secret_key(folder: Path) -> str:
    """REGISTRAR_SECRET_KEY, else one made once and kept in the instance folder (sessions survive
    a restart)."""
    given = os.environ.get("REGISTRAR_SECRET_KEY", "")
    if given:
        return given
    kept = folder / "secret_key"
    if not kept.exists():
        kept.write_text(secrets.token_hex(32))
        kept.chmod(0o600)
    return kept.read_text().strip()
