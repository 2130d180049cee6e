"""Files a command writes: each output path is checked before the solve, so a typo costs no solve,
and a write that fails all the same (a full disk, a folder removed meanwhile) ends the command with
a message, not a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.markup import escape

from cli.display import console


def check_output_file(path: Path | None, option: str) -> None:
    """Refuse (exit 2, naming the option) a file that cannot be written: its folder missing or not
    writable, or a folder where the file would go."""
    if path is None:
        return
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder; name a file", param_hint=option)
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise click.BadParameter(f"the folder {folder} of {path.name} {what}", param_hint=option)
    if not _writable(path if path.exists() else folder):
        raise click.BadParameter(f"{path} cannot be written here (permission denied)", param_hint=option)


def check_output_folder(path: Path | None, option: str) -> None:
    """Refuse (exit 2, naming the option) a folder that cannot be made or written."""
    reason = None if path is None else unwritable_folder(path)
    if reason is not None:
        raise click.BadParameter(reason, param_hint=option)


def unwritable_folder(path: Path) -> str | None:
    """Why a folder cannot be made or written (a file in its place or in the place of a folder
    above it, or the nearest folder that exists not writable), or None."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = f"{path} is a file" if existing == path else f"{existing} is a file, so {path} cannot be made"
        return f"{where}; name a folder"
    if not _writable(existing):
        return f"{existing} cannot be written to (permission denied)"
    return None


def write_or_exit(path: Path, write: Callable[[], object]) -> None:
    """Run a writer; a failure ends the command with the path and the reason (exit 2)."""
    try:
        write()
    except OSError as error:
        console.print(f"[red]error:[/] {escape(cannot_write(path, error))}", soft_wrap=True)
        sys.exit(2)


def cannot_write(path: Path, error: OSError) -> str:
    return f"cannot write {path}: {error.strerror or error}"


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0))
