"""The single error type for unreadable or malformed dataset files, and helpers that raise it."""

from __future__ import annotations

import gzip
import os
import re
import zlib
from pathlib import Path

from pydantic import ValidationError

from models.exams import LARGEST_WHOLE

PathLike = str | os.PathLike[str]
_INT = re.compile(r"[+-]?[0-9]+")


def control_character(text: str) -> str | None:
    """The first control character in `text` (a NUL or a line feed pasted in would be stored and
    shown), or None."""
    return next((mark for mark in text if mark < " " or mark == "\x7f"), None)


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


def parse_int(source: str, line: int | None, text: str, what: str, most: int = LARGEST_WHOLE) -> int:
    """Return an integer field from 0 to `most` or raise a DatasetError naming it."""
    if not _INT.fullmatch(text):
        raise DatasetError(source, line, f"{what} must be an integer, found {shown(text)!r}")
    value = integer_value(text)
    if value < 0:
        raise DatasetError(source, line, f"negative {what} {shown(text)}")
    if value > most:
        raise DatasetError(source, line, f"{what} must be at most {most:,}, found {shown(text)}")
    return value


def integer_value(text: str) -> int:
    """The value of digits with an optional sign; more than 30 digits count as 10**30 with the sign
    (int() refuses thousands of digits, and no field takes a number near that)."""
    if len(text.lstrip("+-").lstrip("0")) > 30:
        return -(10**30) if text.startswith("-") else 10**30
    return int(text)


def shown(text: str) -> str:
    """A field as a message quotes it: a very long one cut short."""
    return text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text):,} characters)"


def validation_reason(err: ValidationError) -> str:
    """Summarise a pydantic error in one line."""
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"invalid data: {where + ': ' if where else ''}{first['msg']}"
