"""What the tests ask of the numba loops: the compiled helpers a move loop reaches. A compiled call
takes and gives back a reference on each array it is passed: with the helpers called, the lessons'
proposals took 1.3-1.8 times as long as with them inlined, and the load walk's four times as long as
with them closures inside the loop (findings)."""

from __future__ import annotations

import inspect
import re
from types import ModuleType


def helpers_reached(module: ModuleType, loop: str) -> dict[str, object]:
    """Every compiled function of `module` that `loop` calls, directly or through another, with its
    `inline` option."""

    def callees(name: str) -> set[str]:
        source = inspect.getsource(getattr(module, name).py_func)
        called = set(re.findall(r"\b(_[a-z_]+)\(", source)) - {name}
        return {callee for callee in called if hasattr(getattr(module, callee, None), "py_func")}

    seen: set[str] = set()
    waiting = callees(loop)
    while waiting:
        name = waiting.pop()
        if name not in seen:
            seen.add(name)
            waiting |= callees(name)
    return {name: getattr(module, name).targetoptions.get("inline") for name in sorted(seen)}
