"""The load bounds (`columns.largest_bound`, then `columns.part_bounds`) in a process of their own, on
the core that the annealing, single-threaded, leaves idle.

The process is a fresh interpreter running this module (not a fork of a process that may hold
solver threads, nor a re-import of the caller's main module); the parts go in and the bounds come
back pickled through a file and a pipe.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import time

from models.load import LoadProblem, LoadSolution
from solver.load.columns import largest_bound, part_bounds

LARGEST_SHARE = 0.25  # of the time at most, for raising the bound on the largest deviation


class _Beside:
    """A job of this module's `main` in a fresh interpreter, its input in a file, its result piped."""

    def __init__(self, job: str, payload: tuple[object, ...], seconds: float):
        with tempfile.NamedTemporaryFile("wb", suffix=".pickle", delete=False) as handle:
            pickle.dump((job, payload, time.time() + seconds), handle)
            self.path = handle.name
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, self.path],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
        )

    def ready(self) -> bool:
        return self.process.poll() is not None

    def _collect(self, seconds: float) -> object | None:
        """The result, waiting at most `seconds` for it; None if it does not come in time (the process
        is then stopped)."""
        try:
            output, _ = self.process.communicate(timeout=max(0.0, seconds))
            result = pickle.loads(output) if self.process.returncode == 0 else None
        except (subprocess.TimeoutExpired, pickle.UnpicklingError, EOFError):
            self.process.kill()
            self.process.communicate()
            result = None
        if os.path.exists(self.path):
            os.unlink(self.path)
        return result


class LargestBeside(_Beside):
    """Per part, the largest deviation's bound raised by proofs (`columns.largest_bound`)."""

    def __init__(self, problems: list[LoadProblem], reached: list[int], proven: list[int], seconds: float):
        super().__init__("largest", (problems, reached, proven), seconds)

    def collect(self, seconds: float) -> list[int] | None:
        result = self._collect(seconds)
        return result if isinstance(result, list) else None


class BoundsBeside(_Beside):
    """Per part, the largest deviation's bound raised by proofs, and the LP and column generation
    bound of the rest."""

    def __init__(
        self,
        parts: list[tuple[LoadProblem, LoadSolution]],
        weights: dict[str, int],
        cap: int | None,
        seconds: float,
        largest: tuple[list[int], list[int]] = ([], []),
    ):
        """`largest`: per part, the largest deviation reached and the one proven."""
        super().__init__("parts", (parts, weights, cap, largest), seconds)

    def collect(self, seconds: float) -> tuple[list[int], list[int]] | None:
        result = self._collect(seconds)
        return result if isinstance(result, tuple) else None


def main(path: str) -> None:
    with open(path, "rb") as handle:
        job, payload, deadline = pickle.load(handle)
    result: object
    if job == "largest":
        problems, reached, proven = payload
        result = largest_bound(problems, reached, proven, deadline - time.time())
    else:
        parts, weights, cap, (reached, proven) = payload
        problems = [problem for problem, _ in parts]
        largest = list(proven)
        if reached:
            largest = largest_bound(problems, reached, proven, (deadline - time.time()) * LARGEST_SHARE)
        result = (largest, part_bounds(parts, weights, cap, deadline - time.time()))
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
