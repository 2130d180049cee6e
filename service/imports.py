"""An uploaded table of one kind of record stored into a semester, for the API and the imports page
alike: every row lands or none does."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from datasets.registrar_tables import read_table
from service.sittings import name_old_exam_runs
from service.storage.records import known_records, semester_named, store_table


class Imported(NamedTuple):
    rows: int
    added: int
    updated: int


def import_upload(session: Session, semester: str, kind: str, filename: str, content: bytes) -> Imported:
    """Read the table against what the semester holds, then store it; exam runs read by position are
    named first, since the rows may add sittings ahead of the ones they used. Raises the reader's
    errors (`TableRejected`, `DatasetError`) and `StorageError` for an unknown semester."""
    rows = read_table(kind, filename, content, known_records(session, semester))
    name_old_exam_runs(session, semester_named(session, semester))
    added, updated = store_table(session, semester, kind, rows)
    return Imported(len(rows), added, updated)
