"""The load bounds (`columns.largest_bound`, then `columns.part_bounds`) in a process of their own, on
the core that the annealing, single-threaded, leaves idle.

The process is a fresh interpreter running this module's `main` (not a fork of a process that may
hold solver threads, nor a re-import of the caller's main module); the parts go in through a file and
the bounds come back pickled through a pipe, the largest deviation's each time a proof raises it
and the parts' bounds after each part's LP and column generation (every message is proven on its
own, so the search can use one at once and a process stopped early loses nothing it sent).

Where the bounds are in before the time is up (column generation on the 300-teacher year ends at
about 28-50 s of 60, as the machine goes), the core would idle: the process then gives each part's
generation a round of subset-row cuts (`cuts.py`; half of what is left at most), walks the parts it
is asked to again, from the same first distributions with another seed, and sends each walk's best
for the search to keep where it does better (a second walk of the same length is the better of the
two about half the time; findings). The search tells the process each part's cost as it ends it
(through the process's input), and the next walk goes to the part the search left furthest above
its bound: a walk is worth most where the search's own walk ended badly (findings). A walk that
does no better than the search's own gives its part another turn of cuts; more rounds take what
the walks leave.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO, NamedTuple

from models.load import LoadProblem, LoadSolution
from solver.load.columns import ColumnGeneration, Loads, largest_bound, part_bounds
from solver.load.cuts import cut_rounds, cut_turn
from solver.load.local_search import anneal

_PATHS = "REGISTRAR_BESIDE_PATHS"
_START = (
    f"import os, sys; sys.path += os.environ['{_PATHS}'].split(os.pathsep); "
    f"from {__name__} import main; main(sys.argv[1])"
)
LARGEST_SHARE = 0.25  # of the time at most, for raising the bound on the largest deviation
FIRST_CUTS_SHARE = 0.5  # of what the generations leave, at most, for a first round of cuts before the walks


class Master(NamedTuple):
    """A part's column generation as it ended beside the search, for its dive to start from."""

    position: int
    loads: Loads
    prices: dict[int, float]


class Walked(NamedTuple):
    """A part's distribution from a walk beside the search, and its cost as the walk priced it."""

    position: int
    solution: LoadSolution
    cost: int


class Walks(NamedTuple):
    """Second walks once the bounds are in: the parts that may be walked, in the order to walk those
    the search has not ended yet, each walk's seconds, and the seed (another than the search's own
    walks)."""

    order: tuple[int, ...]
    seconds: float
    seed: int


class _Beside:
    """A job of this module's `main` in a fresh interpreter, its input in a file, its result piped."""

    def __init__(self, job: str, payload: tuple[object, ...], seconds: float):
        with tempfile.NamedTemporaryFile("wb", suffix=".pickle", delete=False) as handle:
            pickle.dump((job, payload, time.time() + seconds), handle)
            self.path = handle.name
        # The caller's paths go after the standard library's (-P: nor the working folder before it):
        # a caller's folder holding a `types.py` or `enum.py` killed the process at start (findings).
        paths = os.pathsep.join(os.path.abspath(p or os.curdir) for p in sys.path)
        environment = dict(os.environ, **{_PATHS: paths})
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", _START, self.path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
        )
        self.received: list[object] = []
        assert self.process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        """Each message as it comes, until the process ends (a message cut short is dropped)."""
        while True:
            try:
                self.received.append(pickle.load(stream))
            except (EOFError, pickle.UnpicklingError, ValueError, OSError):
                return

    def ready(self) -> bool:
        return self.process.poll() is not None

    def tell(self, message: object) -> None:
        """A message to the process's input (lost if it has ended)."""
        if self.process.stdin is None:
            return
        with contextlib.suppress(OSError, ValueError):  # (a broken pipe is an OSError)
            self.process.stdin.write(pickle.dumps(message))
            self.process.stdin.flush()

    def _latest(self) -> object | None:
        """The last message with bounds."""
        return next((m for m in reversed(self.received) if not isinstance(m, Master | Walked)), None)

    def _collect(self, seconds: float) -> object | None:
        """The last message, waiting at most `seconds` for the process to end (it is then stopped);
        None if nothing came."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=max(0.0, seconds))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if os.path.exists(self.path):
            os.unlink(self.path)
        return self._latest()


class LargestBeside(_Beside):
    """Per part, the largest deviation's bound raised by proofs (`columns.largest_bound`)."""

    def __init__(self, problems: list[LoadProblem], reached: list[int], proven: list[int], seconds: float):
        super().__init__("largest", (problems, reached, proven), seconds)

    def latest(self) -> list[int] | None:
        """The bounds proven so far (the process goes on)."""
        result = self._latest()
        return result if isinstance(result, list) else None

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
        first: Sequence[int] = (),
        walks: Walks | None = None,
    ):
        """`largest`: per part, the largest deviation reached and the one proven; the parts numbered
        in `first` get their column generation first, and its master is sent (`master`); `walks`:
        what to walk once the bounds are in, each walk's best sent (`walked`)."""
        super().__init__("parts", (parts, weights, cap, largest, tuple(first), walks), seconds)

    def master(self, position: int) -> Master | None:
        """The part's master, if its generation has ended beside."""
        return next((m for m in self.received if isinstance(m, Master) and m.position == position), None)

    def searched(self, position: int, cost: int) -> None:
        """The search has ended the part at `cost` (for the choice of the next walk)."""
        self.tell((position, cost))

    def walked(self, position: int) -> Walked | None:
        """The part's cheapest distribution walked beside, if any."""
        walks = [m for m in self.received if isinstance(m, Walked) and m.position == position]
        return min(walks, key=lambda walk: walk.cost, default=None)

    def latest(self) -> tuple[list[int], list[int]] | None:
        """The bounds sent so far (the process goes on): per part, the largest deviation's and the
        rest's."""
        result = self._latest()
        return result if isinstance(result, tuple) else None

    def collect(self, seconds: float) -> tuple[list[int], list[int]] | None:
        result = self._collect(seconds)
        return result if isinstance(result, tuple) else None


def main(path: str) -> None:
    with open(path, "rb") as handle:
        job, payload, deadline = pickle.load(handle)
    if job == "largest":
        problems, reached, proven = payload
        _send(largest_bound(problems, reached, proven, deadline - time.time(), _send))
        return
    parts, weights, cap, (reached, proven), first, walks = payload
    searched: dict[int, int] = {}  # per part, the cost the search ended it at
    threading.Thread(target=_hear, args=(sys.stdin.buffer, searched), daemon=True).start()
    problems = [problem for problem, _ in parts]
    largest = list(proven)
    if reached:
        largest = largest_bound(problems, reached, proven, (deadline - time.time()) * LARGEST_SHARE)

    def sent(so_far: list[int]) -> None:  # each part's bounds as they come
        _send((largest, so_far))

    def generated(position: int, loads: Loads, prices: dict[int, float]) -> None:
        _send(Master(position, loads, prices))  # for the part's dive

    generations: dict[int, ColumnGeneration] = {}
    bounds = part_bounds(parts, weights, cap, deadline - time.time(), sent, first, generated, generations)
    _send((largest, bounds))
    # A round of cuts first, in at most a share of what is left: on the 300-teacher year at 60 s a
    # first round raises the bound by about 35 in 15-17 s, more than the walks it displaces gain
    # (findings, sixtieth stop). The walks then, and what they leave to more rounds.
    first_round = (deadline - time.time()) * FIRST_CUTS_SHARE
    cut_rounds(generations, bounds, first_round, sent, searched, last=first, rounds=1)
    if walks is not None:
        _walk(parts, weights, cap, walks, deadline, bounds, searched, generations, sent)
    cut_rounds(generations, bounds, deadline - time.time(), sent, searched, last=first)


def _hear(stream: IO[bytes], searched: dict[int, int]) -> None:
    """The search's costs as they come, until its end closes the input."""
    while True:
        try:
            position, cost = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError, ValueError, OSError, TypeError):
            return
        searched[position] = cost


def _walk(
    parts: list[tuple[LoadProblem, LoadSolution]],
    weights: dict[str, int],
    cap: int | None,
    walks: Walks,
    deadline: float,
    bounds: list[int],
    searched: dict[int, int],
    generations: Mapping[int, ColumnGeneration],
    sent: Callable[[list[int]], None],
) -> None:
    """The walks asked for while a whole one fits before `deadline`, each part once: next, of the
    parts the search has ended above their bounds, the one furthest above (a part it ended at its
    bound is left), else the first in order the search has not ended yet. A walk that does no
    better than the search's own says the part is on its walks' plateau, so that what separates it
    from its bound is more likely the bound: a turn of cuts on its generation follows (`bounds`
    raised and `sent`; findings, sixtieth stop)."""
    left = list(walks.order)
    while deadline - time.time() >= walks.seconds:
        heard = dict(searched)  # (the thread hearing the search adds to it)
        left = [p for p in left if heard.get(p, math.inf) > bounds[p]]
        if not left:
            return
        ended = [p for p in left if p in heard]
        position = max(ended, key=lambda p: heard[p] - bounds[p]) if ended else left[0]
        left.remove(position)
        problem, start = parts[position]
        found, cost = anneal(problem, weights, cap, start, walks.seconds, walks.seed)
        _send(Walked(position, found, cost))
        if cost >= searched.get(position, math.inf) and position in generations:
            cut_turn(generations, position, bounds, deadline - time.time(), sent)


def _send(message: object) -> None:
    sys.stdout.buffer.write(pickle.dumps(message))
    sys.stdout.buffer.flush()
