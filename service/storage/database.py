"""Where the records live: a SQLite file by default, PostgreSQL when DATABASE_URL says so.

SQLite runs in WAL mode (readers never wait for the one writer) with foreign keys enforced and
a busy timeout, so concurrent requests queue instead of failing. The schema is made and changed
only by the Alembic migrations in `service/migrations`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
DEFAULT_FILE = "registrar.sqlite3"


def database_url(instance_folder: Path | None = None) -> str:
    """DATABASE_URL, else a SQLite file in the instance folder (default: the working folder)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # the common "postgres://" and "postgresql://" spellings mean psycopg 3 here
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    folder = instance_folder or Path.cwd()
    return f"sqlite:///{folder / DEFAULT_FILE}"


def make_engine(url: str, **options: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def upgrade(url: str, revision: str = "head") -> None:
    """Apply the migrations up to `revision` (the `registrar db upgrade` command)."""
    command.upgrade(_alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Undo the migrations after `revision`, keeping the data the older schema can hold."""
    command.downgrade(_alembic_config(url), revision)


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class Database:
    """An engine and its sessions; `transaction()` commits all or nothing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        upgrade(self.url)

    def revisions(self) -> tuple[str | None, str | None]:
        """The migration the schema is at (None: no registrar tables) and the newest one there is."""
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return current, ScriptDirectory.from_config(_alembic_config(self.url)).get_current_head()

    def dispose(self) -> None:
        self.engine.dispose()
