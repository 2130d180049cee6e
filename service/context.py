"""What a request handler reaches: the database and the run queue of the running app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from service.runs import RunQueue
from service.storage.database import Database

KEY = "registrar"


@dataclass
class Services:
    database: Database
    runs: RunQueue


def services() -> Services:
    registered: Services = current_app.extensions[KEY]
    return registered
