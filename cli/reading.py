"""Reading input on the command line: bad input ends the command with a message, not a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from cli.display import console
from datasets.errors import DatasetError

Loaded = TypeVar("Loaded")
LESSON_FORMATS = click.Choice(["ctt", "ectt", "tim", "registrar"])
LESSON_FORMAT_HELP = "Guessed from the path if omitted (a folder is registrar data)."


def read_or_exit(load: Callable[[], Loaded]) -> Loaded:
    """Run a reader; bad input ends the command with the reader's message (exit 2)."""
    try:
        return load()
    except DatasetError as error:
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
