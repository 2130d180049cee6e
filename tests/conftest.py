"""Compile the numba move loops once before any test: a fresh checkout compiles them on first
use (10-20 s, then cached on disk), which would otherwise eat the time limit of whichever test
calls them first."""

from __future__ import annotations

import pytest

from benchmarks.compiled import compile_move_loops


@pytest.fixture(scope="session", autouse=True)
def compiled_move_loops() -> None:
    compile_move_loops()
