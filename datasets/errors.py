"""The single error type for unreadable or malformed dataset files, and helpers that raise it."""

from __future__ import annotations

import gzip
import os
import re
import zlib
from pathlib import Path

from pydantic import ValidationError

PathLike = str | os.PathLike[str]
_INT = re.compile(r"[+-]?[0-9]+")


class DatasetError(ValueError):
    """A dataset file that cannot be read, pointing at the file and, when known, the line."""

    def __init__(self, path: PathLike, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"

    def __reduce__(self) -> tuple[type[DatasetError], tuple[str, int | None, str]]:
        # Keeps the error picklable across worker processes despite the custom __init__.
        return (DatasetError, (self.path, self.line, self.reason))


def read_text(path: PathLike) -> str:
    """Return a file's text, gunzipping names ending in .gz, with every failure as DatasetError."""
    file = Path(path)
    try:
        if file.name.endswith(".gz"):
            with gzip.open(file, "rt", encoding="utf-8") as stream:
                return stream.read()
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(file, None, "file not found") from None
    except UnicodeDecodeError as err:
        raise DatasetError(file, None, f"not UTF-8 text ({err.reason})") from None
    except (OSError, EOFError, zlib.error) as err:
        # gzip reports corrupt or truncated archives as OSError, EOFError or zlib.error.
        raise DatasetError(file, None, f"cannot read file: {err}") from None


def write_text(path: PathLike, text: str) -> None:
    """Write text to a file, gzipping names ending in .gz."""
    file = Path(path)
    if file.name.endswith(".gz"):
        with gzip.open(file, "wt", encoding="utf-8") as stream:
            stream.write(text)
    else:
        file.write_text(text, encoding="utf-8")


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Return the non-blank, stripped lines of a text with their 1-based line numbers."""
    # str.splitlines would also split on form feeds and the like, so numbers would not match
    # what an editor shows; only LF (with an optional CR before it) ends a line here.
    lines = text.lstrip("\ufeff").split("\n")
    return [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]


def parse_int(source: str, line: int | None, text: str, what: str) -> int:
    """Return a non-negative integer field or raise a DatasetError naming it."""
    if not _INT.fullmatch(text):
        raise DatasetError(source, line, f"{what} must be an integer, found {text!r}")
    value = int(text)
    if value < 0:
        raise DatasetError(source, line, f"negative {what} {value}")
    return value


def validation_reason(err: ValidationError) -> str:
    """Summarise a pydantic error in one line."""
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"invalid data: {where + ': ' if where else ''}{first['msg']}"
