"""The attestation CP-SAT model: which sitting (commission, day) hears each hearing, in which room,
with which members present; the hearings of a sitting are then packed from its start."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

from constraints.attestation.view import Sitting
from models import (
    AttestationProblem,
    AttestationSolution,
    HearingKind,
    HearingPlace,
    Panel,
)
from solver.engine import post_units


class AttestationCpModel:
    """The decisions of one attestation, posted by the rules given; implements AttestationModelView."""

    def __init__(self, problem: AttestationProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self._heard: dict[int, dict[Sitting, cp_model.IntVar]] = {}
        self._at: dict[Sitting, list[tuple[int, cp_model.IntVar]]] = {}
        for hearing in problem.hearings:
            self._heard[hearing.index] = {}
            for commission in problem.candidates(hearing.index):
                for attestation_day in problem.days:
                    sitting = (commission, attestation_day.index)
                    heard = self.model.new_bool_var(
                        f"heard[{hearing.index},{commission},{attestation_day.index}]"
                    )
                    self._heard[hearing.index][sitting] = heard
                    self._at.setdefault(sitting, []).append((hearing.index, heard))
        self._sits: dict[Sitting, cp_model.IntVar] = {}
        self._present: dict[Sitting, dict[int, cp_model.IntVar]] = {}
        self._rooms: dict[Sitting, dict[int, cp_model.IntVar]] = {}
        for (commission, day), hearings in self._at.items():
            sits = self.model.new_bool_var(f"sits[{commission},{day}]")
            self._sits[(commission, day)] = sits
            for _, heard in hearings:
                self.model.add_implication(heard, sits)
            self.model.add(sum(heard for _, heard in hearings) >= sits)
            self._present[(commission, day)] = {
                person: self.model.new_bool_var(f"present[{person},{commission},{day}]")
                for person in problem.commissions[commission].members
                if problem.available(person, day)
            }
            self._rooms[(commission, day)] = {
                room.index: self.model.new_bool_var(f"room[{room.index},{commission},{day}]")
                for room in problem.rooms
                if day not in room.unavailable_days
            }
        self.terms: list[tuple[int, cp_model.LinearExprT]] = []

    # The view a constraint sees.
    def heard(self, hearing: int) -> dict[Sitting, cp_model.IntVar]:
        return self._heard[hearing]

    def hearings_at(self, sitting: Sitting) -> list[tuple[int, cp_model.IntVar]]:
        return self._at.get(sitting, [])

    def sits(self) -> dict[Sitting, cp_model.IntVar]:
        return self._sits

    def present(self, sitting: Sitting) -> dict[int, cp_model.IntVar]:
        return self._present[sitting]

    def rooms(self, sitting: Sitting) -> dict[int, cp_model.IntVar]:
        return self._rooms[sitting]

    def post(self, units: list[ModuleType] | tuple[ModuleType, ...], weights: dict[str, int]) -> None:
        self.terms = post_units(self, units, weights)

    def decision_variables(self) -> list[cp_model.IntVar]:
        variables = [lit for options in self._heard.values() for lit in options.values()]
        variables += [lit for present in self._present.values() for lit in present.values()]
        variables += [lit for rooms in self._rooms.values() for lit in rooms.values()]
        return variables

    def hint(self, solution: AttestationSolution) -> None:
        for hearing, options in self._heard.items():
            place = solution.places[hearing]
            for (commission, day), lit in options.items():
                self.model.add_hint(
                    lit, place is not None and (place.commission, place.day) == (commission, day)
                )
        for sitting, present in self._present.items():
            panel = solution.panel_of.get(sitting, frozenset())
            for person, lit in present.items():
                self.model.add_hint(lit, person in panel)
        rooms_used = _rooms_of(solution)
        for sitting, rooms in self._rooms.items():
            for room, lit in rooms.items():
                self.model.add_hint(lit, rooms_used.get(sitting) == room)

    def fix(self, solution: AttestationSolution) -> bool:
        """Fix every decision to the solution's; False when it uses a choice the model does not offer."""
        chosen = {
            hearing: (place.commission, place.day)
            for hearing, place in enumerate(solution.places)
            if place is not None
        }
        for hearing, sitting in chosen.items():
            if sitting not in self._heard.get(hearing, {}):
                return False
        for hearing, options in self._heard.items():
            for sitting, lit in options.items():
                self.model.add(lit == int(chosen.get(hearing) == sitting))
        for sitting, members in solution.panel_of.items():
            if sitting not in self._present or not members <= set(self._present[sitting]):
                return False
        for sitting, present in self._present.items():
            panel = solution.panel_of.get(sitting, frozenset())
            for person, lit in present.items():
                self.model.add(lit == int(person in panel))
        rooms_used = _rooms_of(solution)
        for sitting, hearings in solution.sittings.items():
            used = {place.room for h in hearings if (place := solution.places[h]) is not None}
            if len(used) > 1 or rooms_used[sitting] not in self._rooms.get(sitting, {}):
                return False
        for sitting, rooms in self._rooms.items():
            for room, lit in rooms.items():
                self.model.add(lit == int(rooms_used.get(sitting) == room))
        return True

    def decode(self, values: dict[int, int]) -> AttestationSolution:
        """Read the sittings back and pack each one's hearings from its start, a supervisor's together."""
        problem = self.problem
        at: dict[Sitting, list[int]] = {}
        for hearing, options in self._heard.items():
            for sitting, lit in options.items():
                if values[lit.index]:
                    at.setdefault(sitting, []).append(hearing)
        places: list[HearingPlace | None] = [None] * len(problem.hearings)
        panels = []
        for sitting, hearings in sorted(at.items()):
            room = next(r for r, lit in self._rooms[sitting].items() if values[lit.index])
            start = 0
            for hearing in sorted(hearings, key=lambda h: _packing_order(problem, h)):
                places[hearing] = HearingPlace(commission=sitting[0], day=sitting[1], start=start, room=room)
                start += problem.hearings[hearing].slots
            members = tuple(p for p, lit in self._present[sitting].items() if values[lit.index])
            panels.append(Panel(commission=sitting[0], day=sitting[1], members=members))
        return AttestationSolution(problem_name=problem.name, places=tuple(places), panels=tuple(panels))


def _packing_order(problem: AttestationProblem, hearing: int) -> tuple[int, int, int]:
    """State exams first, then defences grouped by supervisor."""
    item = problem.hearings[hearing]
    supervisor = -1 if item.supervisor is None else item.supervisor
    return (item.kind is HearingKind.DEFENCE, supervisor, hearing)


def _rooms_of(solution: AttestationSolution) -> dict[Sitting, int]:
    """The room of each sitting (the first hearing's, when a timetable spreads a sitting over rooms)."""
    rooms: dict[Sitting, int] = {}
    for place in solution.places:
        if place is not None:
            rooms.setdefault((place.commission, place.day), place.room)
    return rooms
