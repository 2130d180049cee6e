"""Reading input on the command line: bad input ends the command with a message, not a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from cli.display import console
from datasets.errors import DatasetError

Loaded = TypeVar("Loaded")


def read_or_exit(load: Callable[[], Loaded]) -> Loaded:
    """Run a reader; bad input ends the command with the reader's message (exit 2)."""
    try:
        return load()
    except DatasetError as error:
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
