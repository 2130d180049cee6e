"""A quick first timetable to hint CP-SAT with, built programme by programme.

Each commission takes its share of the programme's hearings and sits on its earliest days with a
quorum; the supervisors' groups of defences are packed into those days, the largest first into
the emptiest day, so a supervisor comes once and the days fill evenly. Panels are everyone free,
less the members who would rather not sit that day and whom no hearing needs.
"""

from __future__ import annotations

from models import (
    AttestationProblem,
    AttestationSolution,
    Commission,
    Hearing,
    HearingKind,
    HearingPlace,
    Panel,
)


def greedy_attestation(problem: AttestationProblem) -> AttestationSolution | None:
    """A timetable keeping every hard rule, or None when this simple plan leaves a hearing out."""
    plan: dict[tuple[int, int], list[Hearing]] = {}
    for programme, commissions in problem.commissions_of.items():
        hearings = [h for h in problem.hearings if h.programme == programme]
        for commission, share in zip(commissions, _shares(hearings, commissions), strict=True):
            for day_index, heard in _pack(problem, problem.commissions[commission], share).items():
                plan[(commission, day_index)] = heard
    places: list[HearingPlace | None] = [None] * len(problem.hearings)
    panels: list[Panel] = []
    for day in problem.days:
        busy: set[int] = set()
        rooms = sorted(
            (r for r in problem.rooms if day.index not in r.unavailable_days), key=lambda r: r.capacity
        )
        for board in problem.commissions:
            heard = plan.get((board.index, day.index), [])
            if not heard:
                continue
            ends = sum(h.slots for h in heard)
            free = {
                p
                for p in board.members
                if problem.available(p, day.index) and p not in busy and _stays(problem, p, day.index, ends)
            }
            panel = _trim(problem, board, day.index, free, heard)
            seats = max(h.students for h in heard)
            room = next((r for r in rooms if r.capacity >= seats), None)
            if panel is None or room is None:
                # a member lent to another commission is busy, or rooms ran out: sit on a later day
                later = [
                    d for d in _quorate_days(problem, board) if d > day.index and (board.index, d) not in plan
                ]
                if not later:
                    return None
                plan[(board.index, later[0])] = heard
                continue
            rooms.remove(room)
            busy |= panel
            start = 0
            for hearing in heard:
                places[hearing.index] = HearingPlace(
                    commission=board.index, day=day.index, start=start, room=room.index
                )
                start += hearing.slots
            panels.append(Panel(commission=board.index, day=day.index, members=tuple(sorted(panel))))
    if any(place is None for place in places):
        return None
    return AttestationSolution(problem_name=problem.name, places=tuple(places), panels=tuple(panels))


def _stays(problem: AttestationProblem, person: int, day: int, ends: int) -> bool:
    """Whether the person is there until the sitting's hearings end."""
    leaves = problem.people[person].leaves_at(day)
    return leaves is None or leaves >= ends


def _shares(hearings: list[Hearing], commissions: tuple[int, ...]) -> list[list[Hearing]]:
    """Split a programme's hearings among its commissions: as the order names, and the others with a
    supervisor's defences together where there is least to hear."""
    shares: list[list[Hearing]] = [[h for h in hearings if h.commission == c] for c in commissions]
    free = [h for h in hearings if h.commission is None]
    for group in sorted(_groups(free), key=lambda g: -sum(h.slots for h in g)):
        min(shares, key=lambda share: sum(h.slots for h in share)).extend(group)
    return shares


def _groups(hearings: list[Hearing]) -> list[list[Hearing]]:
    """State exams alone, defences by supervisor."""
    groups: dict[object, list[Hearing]] = {}
    for hearing in hearings:
        key = ("exam", hearing.index) if hearing.kind is HearingKind.STATE_EXAM else hearing.supervisor
        groups.setdefault(key, []).append(hearing)
    return list(groups.values())


def _quorate_days(problem: AttestationProblem, board: Commission) -> list[int]:
    days = []
    for day in problem.days:
        available = {p for p in board.members if problem.available(p, day.index)}
        if len(available) >= board.quorum and available & set(board.presidents):
            days.append(day.index)
    return days


def _pack(problem: AttestationProblem, board: Commission, share: list[Hearing]) -> dict[int, list[Hearing]]:
    """Pack a commission's hearings into as few of its earliest quorate days as hold them."""
    days = _quorate_days(problem, board)
    defences = sum(1 for h in share if h.kind is HearingKind.DEFENCE)
    slots = sum(h.slots for h in share)
    needed = max(1, -(-defences // board.max_defences_per_day))
    while needed <= len(days):
        packed = _try_pack(problem, board, share, days[:needed], slots)
        if packed is not None:
            return packed
        needed += 1
    return {}


def _try_pack(
    problem: AttestationProblem, board: Commission, share: list[Hearing], days: list[int], slots: int
) -> dict[int, list[Hearing]] | None:
    loads: dict[int, list[Hearing]] = {day: [] for day in days}
    for group in sorted(_groups(share), key=lambda g: -sum(h.slots for h in g)):
        for hearing in group:
            fits = [day for day in days if _fits(problem, board, loads[day], hearing, day)]
            if not fits:
                return None
            # stay with the group's day when possible, otherwise the emptiest day
            home = next((day for day in fits if any(h in loads[day] for h in group)), None)
            loads[home if home is not None else min(fits, key=lambda d: len(loads[d]))].append(hearing)
    return {day: sorted(heard, key=_order) for day, heard in loads.items() if heard}


def _fits(
    problem: AttestationProblem, board: Commission, heard: list[Hearing], hearing: Hearing, day: int
) -> bool:
    if sum(h.slots for h in heard) + hearing.slots > problem.days[day].slots:
        return False
    defences = sum(1 for h in heard if h.kind is HearingKind.DEFENCE)
    if hearing.kind is HearingKind.DEFENCE and defences >= board.max_defences_per_day:
        return False
    left = {p for p in board.members if problem.available(p, day)} - hearing.recused
    return len(left) >= board.quorum and bool(left & set(board.presidents))


def _trim(
    problem: AttestationProblem, board: Commission, day: int, free: set[int], heard: list[Hearing]
) -> set[int] | None:
    """The free members, less those who would rather not sit today and are not needed; None if no quorum."""

    def valid(panel: set[int]) -> bool:
        for hearing in heard or []:
            left = panel - hearing.recused
            if len(left) < board.quorum or not left & set(board.presidents):
                return False
        return len(panel) >= board.quorum and bool(panel & set(board.presidents))

    if not valid(free):
        return None
    panel = set(free)
    for person in sorted(free):
        preferred = problem.people[person].preferred_days
        if preferred and day not in preferred and valid(panel - {person}):
            panel.discard(person)
    return panel


def _order(hearing: Hearing) -> tuple[bool, int, int]:
    supervisor = -1 if hearing.supervisor is None else hearing.supervisor
    return (hearing.kind is HearingKind.DEFENCE, supervisor, hearing.index)
