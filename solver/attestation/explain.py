"""Why an attestation cannot be timetabled, in words: capacity pre-checks before solving, and a
relaxation naming the hearings no timetable can place when CP-SAT proves the model infeasible."""

from __future__ import annotations

from ortools.sat.python import cp_model

import constraints.attestation as sac_rules
from models import SLOT_MINUTES, AttestationProblem, HearingKind
from solver.attestation.model import AttestationCpModel
from solver.engine import solve_model


def quorum_days(problem: AttestationProblem, commission: int) -> list[int]:
    """Days on which the commission can sit: a quorum and a chair or deputy available, a room free."""
    board = problem.commissions[commission]
    days = []
    for day in problem.days:
        available = [p for p in board.members if problem.available(p, day.index)]
        presiding = any(p in available for p in board.presidents)
        room_free = any(day.index not in room.unavailable_days for room in problem.rooms)
        if len(available) >= board.quorum and presiding and room_free:
            days.append(day.index)
    return days


def capacity_shortfalls(problem: AttestationProblem) -> list[str]:
    """Programmes with more defences or hearing time than their commissions' quorate days can hold."""
    reasons = []
    for programme, commissions in problem.commissions_of.items():
        hearings = [h for h in problem.hearings if h.programme == programme]
        defences = sum(1 for h in hearings if h.kind is HearingKind.DEFENCE)
        days = {c: quorum_days(problem, c) for c in commissions}
        sitting_days = sum(len(d) for d in days.values())
        names = ", ".join(problem.commissions[c].name for c in commissions)
        who = f"Commission {names}" if len(commissions) == 1 else f"Commissions {names} of {programme}"
        verb = ("has", "needs", "has") if len(commissions) == 1 else ("have", "need", "have")
        limit = sum(problem.commissions[c].max_defences_per_day * len(days[c]) for c in commissions)
        if defences > limit:
            reasons.append(
                f"{who} {verb[0]} {defences} defences but can hear only {limit}: {sitting_days} sitting days "
                f"with a quorum present, at most "
                f"{'/'.join(str(problem.commissions[c].max_defences_per_day) for c in commissions)} a day"
            )
        needed = sum(h.slots for h in hearings)
        offered = sum(problem.days[d].slots for c in commissions for d in days[c])
        if needed > offered:
            reasons.append(
                f"{who} {verb[1]} {needed} {SLOT_MINUTES}-minute slots of hearings "
                f"but {verb[2]} only {offered} "
                f"slots with a quorum present ({sitting_days} sitting days)"
            )
        for hearing in hearings:
            longest = max((problem.days[d].slots for c in commissions for d in days[c]), default=0)
            if hearing.slots > longest:
                reasons.append(
                    f"{hearing.name} lasts {hearing.slots * SLOT_MINUTES} minutes, longer than any sitting "
                    f"of {names} with a quorum present ({longest * SLOT_MINUTES} minutes)"
                )
            if all(room.capacity < hearing.students for room in problem.rooms):
                reasons.append(
                    f"{hearing.name} seats {hearing.students} graduates; no room has that many seats"
                )
    return reasons


def unplaceable_hearings(problem: AttestationProblem, time_limit: float, workers: int) -> list[str]:
    """Relax placement (a hearing may be left out), place as many as possible, name those left out."""
    relaxed = AttestationCpModel(problem)
    others = [unit for unit in sac_rules.HARD if unit is not sac_rules.placement]
    relaxed.post(others, {})
    placed = []
    for hearing in problem.hearings:
        options = list(relaxed.heard(hearing.index).values())
        relaxed.model.add_at_most_one(options)
        placed.extend(options)
    relaxed.model.maximize(sum(placed))
    run = solve_model(relaxed.model, placed, time_limit=max(1.0, time_limit), workers=workers, seed=0)
    if not run.has_solution:
        return []
    left_out = [
        hearing
        for hearing in problem.hearings
        if not any(run.values[lit.index] for lit in relaxed.heard(hearing.index).values())
    ]
    by_programme: dict[str, list[str]] = {}
    for hearing in left_out:
        by_programme.setdefault(hearing.programme, []).append(hearing.name)
    proven = "" if run.status == cp_model.OPTIMAL else " (the best found in time, not proven the fewest)"
    reasons = []
    for programme, names in by_programme.items():
        commissions = ", ".join(problem.commissions[c].name for c in problem.commissions_of[programme])
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        reasons.append(
            f"{commissions} ({programme}) cannot hear {len(names)} of its hearings with every hard rule kept"
            f"{proven}: {shown}"
        )
    return reasons
