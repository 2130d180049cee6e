"""What the tests ask of the numba loops: the compiled helpers a move loop reaches. A compiled call
takes and gives back a reference on each array it is passed, even inlined: the load walk's proposals
took four times as long with its helpers inlined as with them closures inside the loop, the lessons'
twice as long (findings)."""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any


def helpers_reached(loop: Any) -> dict[str, object]:
    """Every compiled function of the compiled `loop`'s module that it calls, directly or through
    another, with its `inline` option."""
    module = sys.modules[loop.py_func.__module__]

    def callees(name: str) -> set[str]:
        source = inspect.getsource(getattr(module, name).py_func)
        called = set(re.findall(r"\b(_[a-z_]+)\(", source)) - {name}
        return {callee for callee in called if hasattr(getattr(module, callee, None), "py_func")}

    seen: set[str] = set()
    waiting = callees(loop.__name__)
    while waiting:
        name = waiting.pop()
        if name not in seen:
            seen.add(name)
            waiting |= callees(name)
    return {name: getattr(module, name).targetoptions.get("inline") for name in sorted(seen)}
