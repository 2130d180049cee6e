"""The known name closest to a mistyped one, as every refusal and explanation offers it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CLOSE = 0.8  # difflib's ratio: 'CSE1001' for 'CSE-1001', not 'MAT1001' for 'CSE1001'


def closest(name: str, known: Iterable[str], cutoff: float = CLOSE) -> str | None:
    """The known name most like `name`, when one is close enough to be what was meant."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str], cutoff: float = CLOSE) -> str:
    """'; did you mean 'CSE1001'?' when a known name is close to a mistyped one, else ''."""
    meant = closest(name, known, cutoff)
    return f"; did you mean {meant!r}?" if meant is not None else ""
