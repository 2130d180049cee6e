"""The parts of an attestation: commissions linked by a member they share, by a supervisor whose
graduates go before both, or by hearings that may go before any of them; each part as a problem of
its own, timetables moved between a part and the whole, and sittings seated in rooms.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import AttestationProblem, AttestationSolution, HearingPlace


@dataclass
class Part:
    commissions: list[int]
    hearings: list[int]


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


def restrict(solution: AttestationSolution, part: Part) -> AttestationSolution:
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
