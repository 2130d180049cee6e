"""Lower bounds on a part's cost that need no search: what every timetable of it pays.

CP-SAT proves a commission's cost in seconds when it can; when it cannot, its relaxation is weak,
as it spreads each supervisor's graduates thinly over every day at no cost. These bounds hold at
once, so a part stopped early still brings a fair bound.
"""

from __future__ import annotations

from itertools import product

import constraints.attestation as sac_rules
from models import AttestationProblem, HearingKind, Scenario
from solver.attestation.explain import quorum_days
from solver.attestation.parts import Part

GROUPS_COUNTED = 10  # the largest supervisors' groups; leaving out the rest only lowers the bound


def finish_weight(scenario: Scenario, problem: AttestationProblem) -> int:
    return sac_rules.weights_for(problem, scenario)[sac_rules.finish_early.NAME]


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


def static_bound(
    problem: AttestationProblem,
    part: Part,
    scenario: Scenario,
    prices: dict[tuple[int, int], int] | None = None,
) -> int:
    """The better of the part's finish and, for a single commission, its sitting days (prices
    being what it pays for a lent member's day)."""
    return max(
        finish_weight(scenario, problem) * finish_bound(problem, part),
        commission_bound(problem, part, scenario, prices),
    )


def commission_bound(
    problem: AttestationProblem,
    part: Part,
    scenario: Scenario,
    prices: dict[tuple[int, int], int] | None = None,
) -> int:
    """For a part of one commission: the least, over the number k of days it sits, of what
    splitting its supervisors' graduates over k days costs at least plus the least finish and
    panel cost of any k days it can sit on (each panel the cheapest quorum with a chair or deputy,
    a member off their preferred days costing that criterion's weight, plus any price of their day).
    Recusal, hours away and rooms are left out, which only lowers it; 0 for larger parts."""
    if len(part.commissions) != 1:
        return 0
    commission = part.commissions[0]
    board = problem.commissions[commission]
    prices = prices or {}
    weights = sac_rules.weights_for(problem, scenario)
    preferring = weights[sac_rules.preferred_days.NAME]
    panel_costs: dict[int, int] = {}
    for day in quorum_days(problem, commission):
        costs = {
            person: prices.get((person, day), 0) + preferring * _off_preference(problem, person, day)
            for person in board.members
            if problem.available(person, day)
        }
        panel_costs[day] = min(
            costs[president] + sum(sorted(c for p, c in costs.items() if p != president)[: board.quorum - 1])
            for president in board.presidents
            if president in costs
        )
    hearings = [problem.hearings[h] for h in part.hearings]
    defences = sum(1 for h in hearings if h.kind is HearingKind.DEFENCE)
    longest = max((problem.days[d].slots for d in panel_costs), default=0)
    if not panel_costs or not longest:
        return 0
    fewest = max(
        1,
        -(-defences // board.max_defences_per_day),
        -(-sum(h.slots for h in hearings) // longest),
    )
    groups: dict[int, int] = {}
    for hearing in hearings:
        if hearing.supervisor is not None and hearing.kind is HearingKind.DEFENCE:
            groups[hearing.supervisor] = groups.get(hearing.supervisor, 0) + 1
    splitting = weights[sac_rules.supervisor_days.NAME]
    finishing = weights[sac_rules.finish_early.NAME]
    days = sorted(panel_costs)
    # cheapest[k]: the least cost of k sitting days, the last one's number at the finish weight
    cheapest = _cheapest_days(days, panel_costs, finishing, len(days))
    splits = least_splits(list(groups.values()), board.max_defences_per_day)
    options = [
        cost + splitting * splits[min(k, len(splits) - 1)]
        for k in range(fewest, len(days) + 1)
        if (cost := cheapest[k]) is not None
    ]
    return min(options, default=0)


def _off_preference(problem: AttestationProblem, person: int, day: int) -> bool:
    preferred = problem.people[person].preferred_days
    return bool(preferred) and day not in preferred


def _cheapest_days(
    days: list[int], panel_costs: dict[int, int], finishing: int, most: int
) -> list[int | None]:
    """Per number of days k, the least of finishing x the last day's number plus the panels' costs
    over any k of the days."""
    # ending[j]: the least panel cost of j days chosen so far (any last day seen)
    ending: list[int | None] = [0] + [None] * most
    cheapest: list[int | None] = [0] + [None] * most
    for day in days:
        for j in range(most, 0, -1):
            before = ending[j - 1]
            if before is None:
                continue
            with_day = before + panel_costs[day]
            total = with_day + finishing * day
            if cheapest[j] is None or total < cheapest[j]:  # type: ignore[operator]
                cheapest[j] = total
            if ending[j] is None or with_day < ending[j]:  # type: ignore[operator]
                ending[j] = with_day
    return cheapest


def least_splits(sizes: list[int], limit: int) -> list[int]:
    """Per number of days k (the index, up to one day per defence), the fewest extra days over
    supervisors' groups of these sizes packed into k days of at most `limit` defences each (a
    large number where they cannot fit).

    Groups packed together form components; a component of total s needs ceil(s / limit) days and
    can be packed with one split fewer than its days (filling the days in turn), so the fewest
    splits are the least sum of (days - 1) over the components of a partition fitting in k days.
    """
    kept = sorted((size for size in sizes if size > 1), reverse=True)[:GROUPS_COUNTED]
    count = len(kept)
    total = [0] * (1 << count)
    for mask in range(1, 1 << count):
        low = mask & -mask
        total[mask] = total[mask ^ low] + kept[low.bit_length() - 1]
    need = [-(-size // limit) for size in total]
    # most[mask]: per number of days used, the most components a partition of the groups in mask has
    most: list[dict[int, int]] = [{} for _ in range(1 << count)]
    most[0] = {0: 0}
    for mask in range(1, 1 << count):
        low = mask & -mask
        rest = mask ^ low
        sub = rest
        while True:
            component = sub | low  # the component holding the lowest group of mask
            for used, parts in most[mask ^ component].items():
                days_used = used + need[component]
                if most[mask].get(days_used, -1) < parts + 1:
                    most[mask][days_used] = parts + 1
            if not sub:
                break
            sub = (sub - 1) & rest
    options = most[(1 << count) - 1]
    unreachable = sum(kept) + 1
    return [
        min((used - parts for used, parts in options.items() if used <= k), default=unreachable)
        for k in range(sum(sizes) + 1)
    ]
