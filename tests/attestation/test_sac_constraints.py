"""Each attestation rule on the hand-made attestation of tests/sac_factory.py, with exact penalties,
and CP-SAT with the timetable fixed pricing it as the checker does."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

import constraints.attestation as sac_rules
from constraints.attestation import (
    balanced_days,
    daily_limit,
    finish_early,
    idle_gaps,
    panel,
    person_double_booking,
    placement,
    preferred_days,
    quorum,
    recusal,
    room_double_booking,
    sitting_hours,
    sitting_room,
    supervisor_days,
)
from models import AttestationProblem, AttestationSolution, Scenario
from solver.attestation.model import AttestationCpModel
from tests.agreement import units_alone, whole_models
from tests.sac_factory import (
    D0,
    D1,
    D2,
    D3,
    E4,
    GOOD,
    GOOD_PANELS,
    GOOD_PLACES,
    place,
    timetable,
    tiny_problem,
)


def cost(unit: ModuleType, solution: AttestationSolution, problem: AttestationProblem | None = None) -> int:
    return sum(violation.cost for violation in unit.count(problem or tiny_problem(), solution))


def with_places(**changes: object) -> AttestationSolution:
    places = dict(GOOD_PLACES)
    places.update({int(key.removeprefix("h")): value for key, value in changes.items()})  # type: ignore[misc]
    return timetable(places, GOOD_PANELS)


def with_panels(
    panels: dict[tuple[int, int], tuple[int, ...]], places: dict | None = None
) -> AttestationSolution:  # type: ignore[type-arg]
    return timetable(places or GOOD_PLACES, {**GOOD_PANELS, **panels})


def fixed_objective(
    problem: AttestationProblem,
    units: list[ModuleType],
    weights: dict[str, int],
    solution: AttestationSolution,
    free: object = None,
    current: object = None,
) -> float | None:
    """CP-SAT's objective with every decision fixed to the timetable's; None when it is refused."""
    exact = AttestationCpModel(problem)
    exact.post(units, weights)
    if not exact.fix(solution):
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(exact.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return round(solver.objective_value)


def test_every_unit_states_its_rule() -> None:
    names = [unit.NAME for unit in sac_rules.UNITS]
    assert len(set(names)) == len(names)
    assert [unit.HARD for unit in sac_rules.UNITS] == sorted(
        (unit.HARD for unit in sac_rules.UNITS), reverse=True
    )
    for unit in sac_rules.UNITS:
        assert unit.__doc__, unit.NAME
        assert unit.weight(tiny_problem()) >= 1


def test_the_good_timetable_breaks_no_hard_rule_and_costs_seven() -> None:
    evaluation = sac_rules.evaluate(tiny_problem(), GOOD)
    assert evaluation.feasible, evaluation.violations(hard=True)
    # Gulnar's two graduates defend on two days (1 x 2); CS-1's day 1 hears one, one short of two
    # (1); Dana sits on day 0, not her preferred day (1); CS-1 last sits on day 1 (1 x 3).
    assert evaluation.breakdown() == {
        "supervisor days": 2,
        "idle gaps": 0,
        "balanced days": 1,
        "preferred days": 1,
        "finish early": 3,
    }
    assert evaluation.total == 7


# placement


def test_placement_counts_unscheduled_hearings_and_wrong_programmes() -> None:
    solution = with_places(h1=None, h3=place(0, 1, 2, 0))
    violations = placement.count(tiny_problem(), solution)
    assert [v.hearings for v in violations] == [(D1,), (D3,)]
    assert "not scheduled" in violations[0].message
    assert "CS-1" in violations[1].message


def test_placement_keeps_a_hearing_before_the_commission_its_order_names() -> None:
    problem = tiny_problem()
    hearings = list(problem.hearings)
    hearings[D3] = hearings[D3].model_copy(update={"commission": 1})
    named = AttestationProblem.model_validate(
        {**problem.model_dump(), "hearings": [h.model_dump() for h in hearings]}
    )
    assert cost(placement, GOOD, named) == 0
    assert named.candidates(D3) == (1,)


# sitting hours


def test_sitting_hours_count_overruns_and_overlaps() -> None:
    assert cost(sitting_hours, GOOD) == 0
    assert cost(sitting_hours, with_places(h2=place(0, 0, 6, 0))) == 1  # 6 + 3 slots > 8
    overlap = with_places(h2=place(0, 0, 1, 0))  # D0 runs 0-2, D2 starts at 1
    violations = sitting_hours.count(tiny_problem(), overlap)
    assert [v.hearings for v in violations] == [(D0, D2)]


# sitting room


def test_sitting_room_counts_split_sittings_unfit_and_taken_rooms() -> None:
    assert cost(sitting_room, GOOD) == 0
    assert cost(sitting_room, with_places(h2=place(0, 0, 2, 1))) == 1  # CS-1 in two rooms on day 0
    seats = with_places(h4=place(1, 0, 0, 0), h3=place(1, 0, 3, 0))  # 20 graduates in a room of 10
    assert [v.hearings for v in sitting_room.count(tiny_problem(), seats)] == [(E4,)]
    taken = with_places(h1=place(0, 1, 0, 1))  # room 1 has exams on day 1
    assert "not free" in sitting_room.count(tiny_problem(), taken)[0].message


# panel


def test_panel_counts_outsiders_absentees_and_idle_panels() -> None:
    assert cost(panel, GOOD) == 0
    assert cost(panel, with_panels({(0, 0): (0, 1, 2, 3, 6)})) == 1  # Gulnar is no member
    problem = tiny_problem()
    people = list(problem.people)
    people[3] = people[3].model_copy(update={"unavailable_days": frozenset({1})})
    away = AttestationProblem.model_validate(
        {**problem.model_dump(), "people": [p.model_dump() for p in people]}
    )
    assert cost(panel, GOOD, away) == 1  # Dana sits on day 1, when she is away
    assert cost(panel, with_panels({(1, 1): (7, 8, 9)})) == 1  # SE-1 hears nothing on day 1


def test_a_member_who_leaves_before_the_sitting_ends_may_not_sit_on_it() -> None:
    problem = tiny_problem()
    ends = max(GOOD_PLACES[h].start + problem.hearings[h].slots for h in (D0, D2))  # CS-1 on day 0

    def leaving(slot: int) -> AttestationProblem:
        people = list(problem.people)
        people[3] = people[3].model_copy(update={"leaves": ((0, slot),)})  # Dana, on day 0
        return AttestationProblem.model_validate(
            {**problem.model_dump(), "people": [p.model_dump() for p in people]}
        )

    early, late = leaving(ends - 1), leaving(ends)
    found = panel.count(early, GOOD)
    assert len(found) == 1 and "Dana leaves before the sitting ends" in found[0].message
    assert cost(panel, GOOD, late) == 0
    # CP-SAT, the hearings packed, refuses the same timetable and keeps the other
    assert fixed_objective(early, [panel], {}, GOOD) is None
    assert fixed_objective(late, [panel], {}, GOOD) is not None


# quorum


def test_quorum_needs_two_thirds_of_the_members() -> None:
    assert tiny_problem().commissions[0].quorum == 4  # two thirds of six
    assert tiny_problem().commissions[1].quorum == 3  # two thirds of four, rounded up
    violations = quorum.count(tiny_problem(), with_panels({(0, 0): (0, 1, 2)}))
    assert len(violations) == 1
    assert violations[0].message.endswith("3 of 6 members present, 4 needed")


def test_quorum_needs_the_chair_or_the_deputy() -> None:
    assert cost(quorum, with_panels({(0, 0): (2, 3, 4, 5)})) == 1
    assert cost(quorum, with_panels({(0, 0): (1, 2, 3, 4)})) == 0  # the deputy presides


def test_quorum_counts_both_failings_of_one_sitting() -> None:
    assert cost(quorum, with_panels({(0, 0): (2, 3, 4)})) == 2


def test_quorum_ignores_outsiders_on_the_panel() -> None:
    assert cost(quorum, with_panels({(0, 0): (0, 1, 2, 6, 7)})) == 1


# recusal


def test_recusal_allows_a_supervisor_on_the_panel_when_the_rest_make_a_quorum() -> None:
    # Erlan supervises D0 and D2; without him CS-1 still has Aida, Bolat, Chingis and Dana.
    assert cost(recusal, with_panels({(0, 0): (0, 1, 2, 3, 4)})) == 0


def test_recusal_counts_each_hearing_left_without_a_quorum() -> None:
    # The sitting has its four, but Erlan supervises D0 and D2, and Farida reviews D0.
    solution = with_panels({(0, 0): (0, 2, 4, 5)})
    assert cost(quorum, solution) == 0
    violations = recusal.count(tiny_problem(), solution)
    assert [v.hearings for v in violations] == [(D0,), (D2,)]
    assert violations[0].people == (4, 5)
    assert "without Erlan, Farida (recused) 2 members remain, 4 needed" in violations[0].message


def test_recusal_of_the_chair_needs_the_deputy() -> None:
    # Aida reviews D1; without her Chingis, Dana and Erlan remain: no quorum and no one to preside.
    solution = with_panels({(0, 1): (0, 2, 3, 4)})
    assert cost(quorum, solution) == 0
    violations = recusal.count(tiny_problem(), solution)
    assert [v.hearings for v in violations] == [(D1,)]
    assert violations[0].message.endswith("3 members remain, 4 needed, and no chair or deputy")
    assert cost(recusal, with_panels({(0, 1): (0, 1, 2, 3, 4)})) == 0


# daily limit


def test_daily_limit_counts_sittings_over_the_limit_of_defences() -> None:
    crowded = with_places(h1=place(0, 0, 5, 0))  # D0, D2 and D1 on day 0: three defences, limit two
    violations = daily_limit.count(tiny_problem(), crowded)
    assert [v.hearings for v in violations] == [(D0, D2, D1)]
    # a state exam is not a defence
    assert cost(daily_limit, GOOD) == 0


# double booking


def test_person_double_booking_counts_panels_beyond_the_first() -> None:
    solution = with_panels({(1, 0): (7, 8, 2)})  # Chingis also sits with CS-1 on day 0
    violations = person_double_booking.count(tiny_problem(), solution)
    assert [(v.people, v.commissions, v.cost) for v in violations] == [((2,), (0, 1), 1)]


def test_room_double_booking_counts_sittings_beyond_the_first() -> None:
    solution = with_places(h4=place(1, 0, 0, 0), h3=place(1, 0, 3, 0))
    violations = room_double_booking.count(tiny_problem(), solution)
    assert [(v.rooms, v.commissions, v.cost) for v in violations] == [((0,), (0, 1), 1)]


# soft rules


def test_supervisor_days_counts_extra_days() -> None:
    assert cost(supervisor_days, GOOD) == 1  # Gulnar: D1 on day 1, D3 on day 0
    split = with_places(h2=place(0, 1, 2, 0))  # Erlan's D0 on day 0, D2 on day 1
    assert cost(supervisor_days, split) == 2


def test_idle_gaps_count_slots_between_hearings() -> None:
    assert cost(idle_gaps, GOOD) == 0
    assert cost(idle_gaps, with_places(h2=place(0, 0, 4, 0))) == 2  # D0 ends at 2, D2 starts at 4


def test_balanced_days_count_hearings_short_of_two_thirds_of_the_limit() -> None:
    assert balanced_days.least(tiny_problem().commissions[0]) == 2
    assert cost(balanced_days, GOOD) == 1
    three = timetable({**GOOD_PLACES, D1: place(0, 0, 5, 0)}, {(0, 0): (0, 1, 2, 3), (1, 0): (7, 8, 9)})
    assert cost(balanced_days, three) == 0


def test_preferred_days_count_members_sitting_on_other_days() -> None:
    assert cost(preferred_days, GOOD) == 1
    assert cost(preferred_days, with_panels({(0, 0): (0, 1, 2, 4)})) == 0


def test_finish_early_counts_each_commissions_last_day() -> None:
    assert cost(finish_early, GOOD) == 1
    later = with_places(h4=None, h3=None)
    assert cost(finish_early, later) == 1
    assert cost(finish_early, with_places(h1=place(0, 0, 5, 0))) == 0


def test_a_scenario_reweighs_and_switches_off_soft_rules() -> None:
    scenario = Scenario(weights={"finish early": 10}, disabled=frozenset({"preferred days"}))
    evaluation = sac_rules.evaluate(tiny_problem(), GOOD, scenario)
    assert evaluation.total == 2 + 1 + 10
    assert "preferred days" not in evaluation.breakdown()


# CP-SAT with the timetable fixed agrees with the checker

CASES = [
    (0, GOOD),
    (1, with_panels({(0, 0): (0, 1, 2)})),  # no quorum
    (2, with_panels({(0, 0): (0, 2, 4, 5)})),  # recusal leaves D0 and D2 short
    (3, with_panels({(0, 1): (0, 2, 3, 4)})),  # the chair reviews D1 and no deputy
    (4, with_panels({(1, 0): (7, 8, 2)})),  # Chingis on two panels
    (5, with_places(h2=place(0, 1, 2, 0))),  # Erlan's graduates on two days
    (
        6,
        timetable({**GOOD_PLACES, D1: place(0, 0, 5, 0)}, {(0, 0): (0, 1, 2, 3), (1, 0): (7, 8, 9)}),
    ),  # limit
    (7, with_panels({(0, 0): (0, 1, 2, 4)})),  # Dana stays home, but Erlan may not judge D0 and D2
    (
        8,
        timetable(
            {**GOOD_PLACES, E4: place(1, 0, 0, 1), D3: place(1, 0, 3, 1)},
            {**GOOD_PANELS, (0, 1): (1, 3, 4, 5)},
        ),
    ),
]


def test_each_unit_alone_prices_a_timetable_as_its_checker_counts() -> None:
    cases = [(seed, tiny_problem(), solution) for seed, solution in CASES]
    compared, faulted = units_alone(cases, sac_rules.units_for, fixed_objective)
    assert compared == len(CASES) * len(sac_rules.UNITS)
    for name in (
        "quorum",
        "recusal",
        "person double booking",
        "daily limit",
        "supervisor days",
        "preferred days",
    ):
        assert faulted[name] > 0, name


def test_the_whole_model_prices_feasible_timetables_and_refuses_the_others() -> None:
    cases = [(seed, tiny_problem(), solution) for seed, solution in CASES]
    compared, refused, priced = whole_models(cases, sac_rules.units_for, sac_rules.evaluate, fixed_objective)
    assert compared >= 2 and refused >= 5
    assert {"supervisor days", "balanced days", "preferred days", "finish early"} <= set(priced)
