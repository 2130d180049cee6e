"""Solve and bound an attestation part by part: a part is a set of commissions linked by a member
they share, by a supervisor whose graduates go before both, or by hearings that may go before any
of them (those the registrar's order does not send to one commission); most parts are a single
commission.

Parts are linked only by rooms. Dropping those links relaxes the problem, so the sum of the
parts' proven bounds bounds the whole. Each part is a small model CP-SAT mostly solves in a
moment; commissions lending each other a member are first priced apart (`lent_members.py`), and
every part keeps at least the bound needing no search (`bounds.py`). Sittings are then seated
in rooms day by day; should a person still sit on two panels a day, one is excused where the
panel keeps its quorum, or the later part is solved again around the days taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import AttestationProblem, AttestationSolution, HearingPlace, Panel, Scenario
from solver.attestation.bounds import static_bound
from solver.attestation.lent_members import LentMembers
from solver.attestation.parts import Part, parts_of, restrict, seat, sub_problem
from solver.engine import Clock, solve_model

FIRST_PASS = 0.5  # of the time per part, in the first pass over all parts
PAIR_FIRST_SECONDS = 1.0  # a linked part's first solve whole, after its price rounds


@dataclass
class Decomposition:
    solution: AttestationSolution | None  # None when a part found nothing or rooms ran out
    bound: int
    proven_parts: int
    parts: int


def solve_by_parts(
    problem: AttestationProblem,
    scenario: Scenario,
    clock: Clock,
    budget: float,
    workers: int,
    seed: int,
    start: AttestationSolution | None = None,
) -> Decomposition:
    """Solve every part alone (its bound counts), then again the parts clashing over lent members."""
    parts = parts_of(problem)
    ends_at = clock.elapsed() + budget * 0.9
    solved: list[AttestationSolution | None] = []
    bounds: list[int] = []
    open_parts: list[int] = []
    lent: dict[int, LentMembers] = {}
    for position, part in enumerate(parts):
        # out of time (or cancelled): the part keeps its start, with the bound needing no search
        if clock.elapsed() >= ends_at or not clock.remaining():
            solved.append(restrict(start, part) if start is not None else None)
            bounds.append(static_bound(problem, part, scenario))
            open_parts.append(position)
            continue
        share = max(0.2, FIRST_PASS * (ends_at - clock.elapsed()) / (len(parts) - position))
        hint, local_hint = start, None
        if len(part.commissions) > 1 and _separable(problem, part):
            # Each commission alone, its lent members' days priced: a bound of the part, and a
            # timetable of it once no one sits on two panels a day (a hint before that).
            lent[position] = LentMembers(problem, part, scenario, start)
            lent[position].rounds(share, workers, seed)
            if lent[position].proven:
                bounds.append(lent[position].bound)
                solved.append(lent[position].local())
                continue
            # then the part whole, briefly, from the rounds' best timetable
            hint, local_hint = lent[position].timetable, lent[position].local()
            share = PAIR_FIRST_SECONDS
        local, part_bound, optimal = _solve_part(
            problem, part, {}, scenario, share, workers, seed, hint, local_hint
        )
        bounds.append(max(part_bound, lent[position].bound if position in lent else 0))
        solved.append(local)
        if not optimal and local is not None:
            optimal = _cost(problem, part, local, scenario) <= bounds[position]
        if not optimal:
            open_parts.append(position)
    # The time left goes to the parts not proven optimal, each starting from its timetable, in
    # shares by what they may still gain (cost above bound): single commissions first, as they
    # are the quickest to prove; a priced part shares its time between more rounds and itself.
    gains = {}
    for position in open_parts:
        found = solved[position]
        gains[position] = (
            1
            if found is None
            else max(1, _cost(problem, parts[position], found, scenario) - bounds[position])
        )
    open_parts.sort(key=lambda position: (len(parts[position].commissions) > 1, -gains[position]))
    for count, position in enumerate(open_parts):
        if clock.elapsed() >= ends_at or not clock.remaining():
            break
        left = sum(gains[later] for later in open_parts[count:])
        share = max(0.2, 0.95 * (ends_at - clock.elapsed()) * gains[position] / left)
        if len(parts[position].commissions) == 1:  # a commission alone: worth half the time left
            share = max(share, 0.5 * (ends_at - clock.elapsed()))
        if position in lent:
            began = clock.elapsed()
            lent[position].rounds(share / 2, workers, seed)
            bounds[position] = max(bounds[position], lent[position].bound)
            share -= clock.elapsed() - began
        hint = solved[position]
        local, part_bound, optimal = _solve_part(
            problem, parts[position], {}, scenario, share, workers, seed, None, hint
        )
        bounds[position] = max(bounds[position], part_bound)
        if local is not None:
            solved[position] = local
    bound = sum(bounds)
    proven = len(parts) - len(open_parts)
    ends_at = clock.elapsed() + budget * 0.1
    merged = _Merged(problem)
    for part, local in zip(parts, solved, strict=True):
        if (local is None or not merged.add(part, local)) and clock.elapsed() < ends_at and clock.remaining():
            members = {m for c in part.commissions for m in problem.commissions[c].members}
            taken = {p: days for p, days in merged.busy().items() if p in members}
            share = max(0.2, (ends_at - clock.elapsed()) / 2)
            local, _, _ = _solve_part(problem, part, taken, scenario, share, workers, seed, start, local)
            if local is None or not merged.add(part, local):
                return Decomposition(None, bound, proven, len(parts))
        elif local is None or part not in merged.parts:
            return Decomposition(None, bound, proven, len(parts))
    return Decomposition(merged.solution(), bound, proven, len(parts))


def _separable(problem: AttestationProblem, part: Part) -> bool:
    """Whether each commission of the part alone is a relaxation: the order names every hearing's
    commission and no supervisor has graduates before two of them."""
    commission_of: dict[int, int] = {}
    for hearing in part.hearings:
        item = problem.hearings[hearing]
        if item.commission is None:
            return False
        if (
            item.supervisor is not None
            and commission_of.setdefault(item.supervisor, item.commission) != item.commission
        ):
            return False
    return True


def _cost(problem: AttestationProblem, part: Part, local: AttestationSolution, scenario: Scenario) -> int:
    import constraints.attestation as sac_rules

    return sac_rules.evaluate(sub_problem(problem, part, {}), local, scenario).total


class _Merged:
    """The parts' timetables merged so far, with their panels by (commission, day)."""

    def __init__(self, problem: AttestationProblem) -> None:
        self.problem = problem
        self.places: list[HearingPlace | None] = [None] * len(problem.hearings)
        self.panels: dict[tuple[int, int], set[int]] = {}
        self.heard: dict[tuple[int, int], list[int]] = {}
        self.parts: list[Part] = []

    def busy(self) -> dict[int, set[int]]:
        days: dict[int, set[int]] = {}
        for (_, day), members in self.panels.items():
            for member in members:
                days.setdefault(member, set()).add(day)
        return days

    def add(self, part: Part, local: AttestationSolution) -> bool:
        """Merge a part, excusing a member from one of two panels the same day where that panel
        keeps its quorum without them; False (nothing merged) when neither can spare them."""
        panels = {(part.commissions[p.commission], p.day): set(p.members) for p in local.panels}
        heard = {
            (part.commissions[c], day): [part.hearings[h] for h in hearings]
            for (c, day), hearings in local.sittings.items()
        }
        sitting_of = {(m, key[1]): key for key, members in self.panels.items() for m in members}
        excused: list[tuple[tuple[int, int], int]] = []
        for key, members in panels.items():
            for member in sorted(members):
                other = sitting_of.get((member, key[1]))
                if other is None:
                    continue
                if self._holds(key[0], members - {member}, heard.get(key, [])):
                    members.discard(member)
                elif self._holds(other[0], self.panels[other] - {member}, self.heard.get(other, [])):
                    excused.append((other, member))
                else:
                    return False
        for other, member in excused:
            self.panels[other].discard(member)
        self.panels.update(panels)
        self.heard.update(heard)
        self.parts.append(part)
        for index, place in enumerate(local.places):
            if place is not None:
                commission = part.commissions[place.commission]
                self.places[part.hearings[index]] = place.model_copy(update={"commission": commission})
        return True

    def _holds(self, commission: int, members: set[int], hearings: list[int]) -> bool:
        board = self.problem.commissions[commission]
        for hearing in hearings:
            left = members - self.problem.hearings[hearing].recused
            if len(left) < board.quorum or not left & set(board.presidents):
                return False
        return len(members) >= board.quorum and bool(members & set(board.presidents))

    def solution(self) -> AttestationSolution | None:
        seated = seat(self.problem, self.places)
        if seated is None:
            return None
        panels = tuple(
            Panel(commission=c, day=d, members=tuple(sorted(m))) for (c, d), m in sorted(self.panels.items())
        )
        return AttestationSolution(problem_name=self.problem.name, places=tuple(seated), panels=panels)


def _solve_part(
    problem: AttestationProblem,
    part: Part,
    busy: dict[int, set[int]],
    scenario: Scenario,
    time_limit: float,
    workers: int,
    seed: int,
    start: AttestationSolution | None,
    local_start: AttestationSolution | None = None,
) -> tuple[AttestationSolution | None, int, bool]:
    """The part's best timetable found, its proven bound and whether that is optimal; `start` is a
    whole timetable to hint from, `local_start` one of the part alone."""
    from solver.attestation.solve import build_model

    local_problem = sub_problem(problem, part, busy)
    exact = build_model(local_problem, scenario)
    hint = local_start if local_start is not None else restrict(start, part) if start is not None else None
    if hint is not None:
        exact.hint(hint)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=time_limit, workers=workers, seed=seed
    )
    solved = -int(-(run.bound or 0) // 1) if run.bound is not None else 0
    part_bound = max(solved, static_bound(problem, part, scenario))
    local = exact.decode(run.values) if run.has_solution else None
    return _better(local_problem, scenario, local, hint), part_bound, run.proven_optimal


def _better(
    problem: AttestationProblem,
    scenario: Scenario,
    found: AttestationSolution | None,
    hint: AttestationSolution | None,
) -> AttestationSolution | None:
    """What CP-SAT found, unless the hint it was given (kept when it breaks no rule) costs less:
    in a short solve CP-SAT may stop before it comes back to its hint."""
    import constraints.attestation as sac_rules

    if hint is None:
        return found
    kept = sac_rules.evaluate(problem, hint, scenario)
    if not kept.feasible:
        return found
    if found is None or kept.total < sac_rules.evaluate(problem, found, scenario).total:
        return hint
    return found
