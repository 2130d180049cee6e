"""Solve and bound an attestation part by part: a part is a set of commissions linked by a member
they share, by a supervisor whose graduates go before both, or by hearings that may go before any
of them (those the registrar's order does not send to one commission); most parts are a single
commission.

Parts are linked only by rooms. Dropping those links relaxes the problem, so the sum of the
parts' proven bounds bounds the whole. Each part is a small model CP-SAT solves in a moment.
Sittings are then seated in rooms day by day; should a person still sit on two panels a day, one
is excused where the panel keeps its quorum, or the later part is solved again around the days
taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from models import (
    AttestationProblem,
    AttestationSolution,
    HearingKind,
    HearingPlace,
    Panel,
    Scenario,
)
from solver.attestation.explain import quorum_days
from solver.engine import Clock, solve_model

BOUND_WEIGHT = "finish early"
FIRST_PASS = 0.5  # of the time per part, in the first pass over all parts
PAIR_FIRST_SECONDS = 1.0  # a linked part's first solve, after its commissions alone


@dataclass
class Part:
    commissions: list[int]
    hearings: list[int]


@dataclass
class Decomposition:
    solution: AttestationSolution | None  # None when a part found nothing or rooms ran out
    bound: int
    proven_parts: int
    parts: int


def parts_of(problem: AttestationProblem) -> list[Part]:
    """Commissions linked by a shared member, a shared supervisor or hearings that may go before
    either form a part."""
    leader = list(range(len(problem.commissions)))

    def find(commission: int) -> int:
        while leader[commission] != commission:
            leader[commission] = leader[leader[commission]]
            commission = leader[commission]
        return commission

    def join(first: int, second: int) -> None:
        leader[find(first)] = find(second)

    sitting_with: dict[int, int] = {}
    for board in problem.commissions:
        for person in board.members:
            join(board.index, sitting_with.setdefault(person, board.index))
    supervised_by: dict[int, int] = {}
    for hearing in problem.hearings:
        first = problem.candidates(hearing.index)[0]
        for commission in problem.candidates(hearing.index):
            join(commission, first)
        if hearing.supervisor is not None:  # a supervisor's days are counted over all their graduates
            join(first, supervised_by.setdefault(hearing.supervisor, first))
    groups: dict[int, list[int]] = {}
    for board in problem.commissions:
        groups.setdefault(find(board.index), []).append(board.index)
    parts = [
        Part(
            commissions,
            [h.index for h in problem.hearings if set(problem.candidates(h.index)) & set(commissions)],
        )
        for commissions in groups.values()
    ]
    # single commissions first: they are quick to prove, and leave their time to the larger parts
    return sorted(
        (part for part in parts if part.hearings),
        key=lambda part: (len(part.commissions), -len(part.hearings)),
    )


def sub_problem(problem: AttestationProblem, part: Part, busy: dict[int, set[int]]) -> AttestationProblem:
    """The part's commissions and hearings, re-numbered from 0; people are away on their busy days."""
    renumber = {commission: index for index, commission in enumerate(part.commissions)}
    people = [
        person.model_copy(update={"unavailable_days": person.unavailable_days | busy[person.index]})
        if busy.get(person.index)
        else person
        for person in problem.people
    ]
    hearings = [
        problem.hearings[h].model_copy(
            update={"index": i, "commission": _renumbered(problem.hearings[h].commission, renumber)}
        )
        for i, h in enumerate(part.hearings)
    ]
    document = {
        **problem.model_dump(),
        "name": f"{problem.name}/{'+'.join(problem.commissions[c].name for c in part.commissions)}",
        "people": [person.model_dump() for person in people],
        "commissions": [
            problem.commissions[c].model_copy(update={"index": i}).model_dump() for c, i in renumber.items()
        ],
        "hearings": [hearing.model_dump() for hearing in hearings],
    }
    return AttestationProblem.model_validate(document)


def _renumbered(commission: int | None, renumber: dict[int, int]) -> int | None:
    return None if commission is None else renumber[commission]


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
    for position, part in enumerate(parts):
        if clock.elapsed() >= ends_at:  # out of time: the part keeps its start, bounded by its finish
            solved.append(_restrict(start, part) if start is not None else None)
            bounds.append(_finish_weight(scenario) * finish_bound(problem, part))
            open_parts.append(position)
            continue
        share = max(0.2, FIRST_PASS * (ends_at - clock.elapsed()) / (len(parts) - position))
        hint, singles_bound = start, 0
        if len(part.commissions) > 1 and _separable(problem, part):
            # Each commission alone first: their bounds add up to one of the part, and their
            # timetables together hint the part (its members shared, they may clash there).
            hint, singles_bound = _singles(problem, part, scenario, share / 2, workers, seed, start)
            # a pair is seldom proven in a first-pass share: a timetable now, its time later
            share = min(share / 2, PAIR_FIRST_SECONDS)
        local, part_bound, optimal = _solve_part(problem, part, {}, scenario, share, workers, seed, hint)
        bounds.append(max(part_bound, singles_bound))
        solved.append(local)
        if not optimal and part_bound < singles_bound:
            optimal = local is not None and _cost(problem, part, local, scenario) <= singles_bound
        if not optimal:
            open_parts.append(position)
    # The time left goes to the parts not proven optimal, each starting from its timetable, in
    # shares by what they may still gain (cost above bound): single commissions first, as they
    # are the quickest to prove.
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
        if clock.elapsed() >= ends_at:
            break
        left = sum(gains[later] for later in open_parts[count:])
        share = max(0.2, 0.95 * (ends_at - clock.elapsed()) * gains[position] / left)
        if len(parts[position].commissions) == 1:  # a commission alone: worth half the time left
            share = max(share, 0.5 * (ends_at - clock.elapsed()))
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
        if (local is None or not merged.add(part, local)) and clock.elapsed() < ends_at:
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


def _singles(
    problem: AttestationProblem,
    part: Part,
    scenario: Scenario,
    time_limit: float,
    workers: int,
    seed: int,
    start: AttestationSolution | None,
) -> tuple[AttestationSolution | None, int]:
    """Solve each of the part's commissions alone: their timetables as one whole one, and the sum
    of their bounds."""
    places: list[HearingPlace | None] = [None] * len(problem.hearings)
    panels: list[Panel] = []
    total = 0
    for commission in part.commissions:
        single = Part(
            [commission], [h for h in part.hearings if problem.hearings[h].commission == commission]
        )
        share = time_limit / len(part.commissions)
        local, bound, _ = _solve_part(problem, single, {}, scenario, share, workers, seed, start)
        total += bound
        for index, place in enumerate(local.places if local is not None else ()):
            if place is not None:
                places[single.hearings[index]] = place.model_copy(update={"commission": commission})
        panels += [p.model_copy(update={"commission": commission}) for p in (local.panels if local else ())]
    whole = AttestationSolution(problem_name=problem.name, places=tuple(places), panels=tuple(panels))
    return whole, total


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
    hint = local_start if local_start is not None else _restrict(start, part) if start is not None else None
    if hint is not None:
        exact.hint(hint)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=time_limit, workers=workers, seed=seed
    )
    solved = -int(-(run.bound or 0) // 1) if run.bound is not None else 0
    part_bound = max(solved, _finish_weight(scenario) * finish_bound(problem, part))
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


def _finish_weight(scenario: Scenario) -> int:
    return 0 if BOUND_WEIGHT in scenario.disabled else scenario.weight_of(BOUND_WEIGHT, 3)


def _restrict(solution: AttestationSolution, part: Part) -> AttestationSolution:
    """A part of a timetable, numbered as in the part's sub-problem."""
    renumber = {commission: index for index, commission in enumerate(part.commissions)}
    places: list[HearingPlace | None] = []
    for hearing in part.hearings:
        place = solution.places[hearing]
        if place is not None and place.commission in renumber:
            places.append(place.model_copy(update={"commission": renumber[place.commission]}))
        else:
            places.append(None)
    panels = tuple(
        panel.model_copy(update={"commission": renumber[panel.commission]})
        for panel in solution.panels
        if panel.commission in renumber
    )
    return AttestationSolution(problem_name=solution.problem_name, places=tuple(places), panels=panels)


def finish_bound(problem: AttestationProblem, part: Part) -> int:
    """The least sum of last-day numbers of the part's commissions that can hear all its hearings,
    each programme on its own (a commission alone when the order names all its hearings)."""
    total = 0
    for commissions in problem.commissions_of.values():
        mine = [c for c in commissions if c in part.commissions]
        hearings = [h for h in part.hearings if set(problem.candidates(h)) <= set(mine)]
        if all(problem.hearings[h].commission is not None for h in hearings):
            total += sum(
                _finish(problem, [c], [h for h in hearings if problem.hearings[h].commission == c])
                for c in mine
            )
        else:
            total += _finish(problem, mine, hearings)
    return total


def _finish(problem: AttestationProblem, commissions: list[int], hearings: list[int]) -> int:
    if len(commissions) > 3 or not hearings:
        return 0
    defences = sum(1 for h in hearings if problem.hearings[h].kind is HearingKind.DEFENCE)
    slots = sum(problem.hearings[h].slots for h in hearings)
    days = [quorum_days(problem, c) for c in commissions]
    best: int | None = None
    for counts in product(*(range(len(d) + 1) for d in days)):
        pairs = list(zip(commissions, days, counts, strict=True))
        limit = sum(problem.commissions[c].max_defences_per_day * k for c, _, k in pairs)
        length = sum(
            sum(sorted((problem.days[d].slots for d in quorate), reverse=True)[:k]) for _, quorate, k in pairs
        )
        if limit >= defences and length >= slots:
            cost = sum(quorate[k - 1] for _, quorate, k in pairs if k)
            best = cost if best is None else min(best, cost)
    return best or 0


def seat(problem: AttestationProblem, places: list[HearingPlace | None]) -> list[HearingPlace | None] | None:
    """Give each sitting a room of its day, the largest needs first; None when rooms run out."""
    needs: dict[tuple[int, int], int] = {}
    for hearing, place in enumerate(places):
        if place is not None:
            key = (place.commission, place.day)
            needs[key] = max(needs.get(key, 0), problem.hearings[hearing].students)
    room_of: dict[tuple[int, int], int] = {}
    for day in problem.days:
        free = sorted(
            (r for r in problem.rooms if day.index not in r.unavailable_days), key=lambda r: r.capacity
        )
        for sitting, seats in sorted(needs.items(), key=lambda item: -item[1]):
            if sitting[1] != day.index:
                continue
            room = next((r for r in free if r.capacity >= seats), None)
            if room is None:
                return None
            free.remove(room)
            room_of[sitting] = room.index
    return [
        None if place is None else place.model_copy(update={"room": room_of[(place.commission, place.day)]})
        for place in places
    ]
