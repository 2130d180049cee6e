"""What the two double-booking rules share: finding who or what is booked by several commissions a
day, and allowing one booking a day in the model."""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from models import AttestationProblem


def clashes(
    problem: AttestationProblem, bookings: Iterable[tuple[int, int, int]]
) -> list[tuple[int, int, tuple[int, ...], str]]:
    """From (booked, day, commission) triples, each (booked, day) taken by several commissions,
    with the commissions and their names listed."""
    found: dict[tuple[int, int], set[int]] = {}
    for booked, day, commission in bookings:
        if day < len(problem.days) and commission < len(problem.commissions):
            found.setdefault((booked, day), set()).add(commission)
    return [
        (
            booked,
            day,
            tuple(sorted(commissions)),
            ", ".join(problem.commissions[c].name for c in sorted(commissions)),
        )
        for (booked, day), commissions in sorted(found.items())
        if len(commissions) > 1
    ]


def once_a_day(model: cp_model.CpModel, bookings: Iterable[tuple[int, int, cp_model.IntVar]]) -> None:
    """At most one of the literals of each (booked, day) is true."""
    groups: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for booked, day, literal in bookings:
        groups.setdefault((booked, day), []).append(literal)
    for literals in groups.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)
