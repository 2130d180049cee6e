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


class BoundsBeside:
    """The largest deviation's bound and, per part, the LP and column generation bound of the rest,
    worked out beside the search."""

    def __init__(
        self,
        parts: list[tuple[LoadProblem, LoadSolution]],
        weights: dict[str, int],
        cap: int | None,
        seconds: float,
        largest: tuple[list[int], list[int]] = ([], []),
    ):
        """`largest`: per part, the largest deviation reached and the one proven."""
        with tempfile.NamedTemporaryFile("wb", suffix=".pickle", delete=False) as handle:
            pickle.dump((parts, weights, cap, time.time() + seconds, largest), handle)
            self.path = handle.name
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, self.path],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
        )

    def collect(self, seconds: float) -> tuple[int, list[int]] | None:
        """The largest deviation's bound and the parts' bounds, waiting at most `seconds` for them; None
        if they do not come in time (the process is then stopped)."""
        try:
            output, _ = self.process.communicate(timeout=max(0.0, seconds))
            bounds = pickle.loads(output) if self.process.returncode == 0 else None
        except (subprocess.TimeoutExpired, pickle.UnpicklingError, EOFError):
            self.process.kill()
            self.process.communicate()
            bounds = None
        os.unlink(self.path)
        return bounds


def main(path: str) -> None:
    with open(path, "rb") as handle:
        parts, weights, cap, deadline, (reached, proven) = pickle.load(handle)
    problems = [problem for problem, _ in parts]
    largest = 0
    if reached:
        largest = largest_bound(problems, reached, proven, (deadline - time.time()) * LARGEST_SHARE)
    bounds = part_bounds(parts, weights, cap, deadline - time.time())
    sys.stdout.buffer.write(pickle.dumps((largest, bounds)))


if __name__ == "__main__":
    main(sys.argv[1])
