"""Each teaching-load rule on a hand-made load of three teachers, with the exact penalty it must give,
and the CP-SAT model agreeing with the checkers."""

from __future__ import annotations

import random
from types import ModuleType

import constraints.load as load_rules
from constraints.load import (
    changes,
    courses_prepared,
    coverage,
    fixed,
    largest_deviation,
    lecture_practice_split,
    load_limits,
    qualification,
    term_balance,
    total_deviation,
    unwanted_courses,
    wanted_courses,
)
from models import Scenario
from models.load import LoadProblem, LoadSolution
from solver.load.explain import RELAXED
from tests.agreement import units_alone, whole_models
from tests.load_factory import (
    ALIYA,
    ALTERNATIVE,
    BOLAT,
    DANA,
    GOOD,
    OVERLOADED,
    UNQUALIFIED,
    distribution,
    fixed_objective,
    tiny_problem,
)

PROBLEM = tiny_problem()


def cost(unit: ModuleType, solution: LoadSolution, problem: LoadProblem = PROBLEM) -> int:
    return sum(violation.cost for violation in unit.count(problem, solution))


def test_every_unit_states_its_rule() -> None:
    names = [unit.NAME for unit in load_rules.UNITS]
    assert len(set(names)) == len(names)
    hard = [unit.HARD for unit in load_rules.UNITS]
    assert hard == sorted(hard, reverse=True), "hard rules come first"
    for unit in load_rules.UNITS:
        assert unit.__doc__, unit.NAME
        assert unit.weight(PROBLEM) >= 0


def test_candidates_are_qualified_speak_the_language_and_are_there() -> None:
    assert PROBLEM.candidates == ((ALIYA,), (ALIYA, BOLAT, DANA), (ALIYA, DANA), (ALIYA, BOLAT), (DANA,))


def test_a_good_distribution_breaks_no_hard_rule() -> None:
    evaluation = load_rules.evaluate(PROBLEM, GOOD)
    assert evaluation.feasible and evaluation.hard_violations == 0


def test_coverage_counts_seats_left_empty() -> None:
    assert cost(coverage, UNQUALIFIED) == 1  # MAT102 needs two teachers
    assert cost(coverage, distribution((ALIYA,), (), (ALIYA,), (ALIYA, BOLAT), (DANA, DANA))) == 2


def test_qualification_names_course_language_and_term() -> None:
    messages = [violation.message for violation in qualification.count(PROBLEM, UNQUALIFIED)]
    assert len(messages) == 3
    assert "Bolat (Mathematics) teaches MAT101 L1" in messages[0]
    assert messages[0].endswith("is not qualified for MAT101 lecture")
    assert messages[1].endswith("does not teach in Kazakh")
    assert messages[2].endswith("is not qualified for Mathematics thesis supervision")
    lecturing = tiny_problem(dana={"qualifications": frozenset({("MAT102", "lecture")})})
    away = distribution((ALIYA,), (BOLAT,), (ALIYA,), (BOLAT, DANA), (DANA,))
    assert [v.message.split(" but ")[-1] for v in qualification.count(lecturing, away)] == [
        "is away in term 2",
        "is not qualified for Mathematics thesis supervision",
    ]


def test_fixed_teachers_must_teach_their_item() -> None:
    assert cost(fixed, GOOD) == 0
    assert cost(fixed, UNQUALIFIED) == 1


def test_load_limits_cost_the_hours_outside() -> None:
    assert cost(load_limits, GOOD) == 0
    violations = load_limits.count(PROBLEM, OVERLOADED)
    assert [v.cost for v in violations] == [10]
    assert violations[0].message == "Aliya (Mathematics) is overloaded: 110 h against a norm of 100 h"
    strict = tiny_problem(bolat={"minimum": 60})
    assert [v.message for v in load_limits.count(strict, ALTERNATIVE)] == [
        "Bolat (Mathematics) is underloaded: 20 h against a minimum of 60 h"
    ]
    assert cost(load_limits, ALTERNATIVE, strict) == 40


def test_the_norm_scales_with_the_rate_and_stops_at_the_cap() -> None:
    assert [PROBLEM.maximum(t) for t in PROBLEM.teachers] == [100, 60, 80]
    capped = tiny_problem(aliya={"norm": 900})
    assert capped.maximum(capped.teachers[ALIYA]) == 680


def test_largest_deviation_names_the_teacher_furthest_from_target() -> None:
    assert cost(largest_deviation, GOOD) == 60  # Dana: 20 h of 80
    assert cost(largest_deviation, ALTERNATIVE) == 50  # Aliya: 50 h of 100
    assert largest_deviation.count(PROBLEM, GOOD)[0].teachers == (DANA,)
    assert largest_deviation.weight(PROBLEM) == 4


def test_total_deviation_sums_hours_off_target_either_side() -> None:
    assert cost(total_deviation, GOOD) == 20 + 10 + 60
    assert cost(total_deviation, ALTERNATIVE) == 50 + 40 + 0
    targeted = tiny_problem(dana={"target": 10})
    assert cost(total_deviation, GOOD, targeted) == 20 + 10 + 10


def test_courses_prepared_count_distinct_class_courses() -> None:
    assert cost(courses_prepared, GOOD) == 2 + 2  # the thesis is no course to prepare
    assert cost(courses_prepared, ALTERNATIVE) == 2 + 1 + 1


def test_unwanted_courses_cost_each_item() -> None:
    assert cost(unwanted_courses, GOOD) == 1  # Aliya on MAT102


def test_wanted_courses_cost_each_wish_left_unmet() -> None:
    assert cost(wanted_courses, GOOD) == 0
    assert [v.teachers for v in wanted_courses.count(PROBLEM, ALTERNATIVE)] == [(BOLAT,)]


def test_a_lecturer_should_teach_in_their_stream() -> None:
    assert cost(lecture_practice_split, GOOD) == 0
    assert cost(lecture_practice_split, ALTERNATIVE) == 1


def test_changes_count_last_years_teachers_gone() -> None:
    assert cost(changes, GOOD) == 0
    assert cost(changes, ALTERNATIVE) == 1


def test_term_balance_counts_hours_beyond_a_fifth_of_the_target() -> None:
    assert cost(term_balance, GOOD) == 20  # Aliya 60 h and 20 h, 20 allowed; Dana is away in term 2
    assert cost(term_balance, ALTERNATIVE) == 8  # Bolat 0 h and 20 h, 12 allowed


def test_a_load_of_one_term_alone_is_not_judged_on_term_balance() -> None:
    # MAT102 moved to term 1: every item in term 1, as when one semester alone is stored.
    items = tuple(item.model_copy(update={"term": 1}) for item in PROBLEM.items)
    one_term = PROBLEM.model_copy(update={"items": items})
    assert cost(term_balance, GOOD, one_term) > 0  # the unit alone would charge the empty term 2
    assert load_rules.weights_for(one_term, Scenario(weights={"term balance": 3}))["term balance"] == 0
    assert "term balance" not in load_rules.evaluate(one_term, GOOD).breakdown()
    assert load_rules.weights_for(PROBLEM, Scenario())["term balance"] == 1


def test_evaluate_weighs_and_scenarios_switch_off() -> None:
    evaluation = load_rules.evaluate(PROBLEM, GOOD)
    assert evaluation.breakdown() == {
        "largest deviation": 240,
        "total deviation": 90,
        "courses prepared": 40,
        "unwanted courses": 50,
        "wanted courses": 0,
        "lecture and practice split": 0,
        "changes from last year": 0,
        "term balance": 20,
    }
    assert evaluation.total == 440
    scenario = Scenario(weights={"term balance": 3}, disabled=frozenset({"unwanted courses"}))
    assert load_rules.evaluate(PROBLEM, GOOD, scenario).total == 440 - 50 + 40
    # The running total's part: the criteria named, without the hard rules.
    assert load_rules.soft_total(PROBLEM, GOOD, {"term balance": 3, "courses prepared": 10}) == 60 + 40
    assert load_rules.soft_total(PROBLEM, OVERLOADED, load_rules.weights_for(PROBLEM, Scenario())) == (
        load_rules.evaluate(PROBLEM, OVERLOADED).total
    )


def _random_cases(count: int) -> list[tuple[int, LoadProblem, LoadSolution]]:
    """Random distributions drawn from each item's candidates, some with too few or too many."""
    cases = []
    for seed in range(count):
        rng = random.Random(seed)
        teams = []
        for item, candidates in zip(PROBLEM.items, PROBLEM.candidates, strict=True):
            size = max(0, min(len(candidates), item.teachers + rng.choice((-1, 0, 0, 0, 1))))
            teams.append(tuple(rng.sample(candidates, size)))
        cases.append((seed, PROBLEM, distribution(*teams)))
    return cases


CASES = [(-1, PROBLEM, GOOD), (-2, PROBLEM, ALTERNATIVE), (-3, PROBLEM, OVERLOADED), *_random_cases(40)]


def test_each_unit_posted_alone_prices_as_its_checker_counts() -> None:
    compared, faulted = units_alone(CASES, load_rules.units_for, fixed_objective)
    assert compared == len(CASES) * len(load_rules.UNITS)
    assert all(faulted[unit.NAME] for unit in (coverage, load_limits, term_balance, changes)), faulted


def test_the_whole_model_prices_as_the_checker_and_refuses_what_breaks_hard_rules() -> None:
    compared, refused, priced = whole_models(
        CASES, load_rules.units_for, load_rules.evaluate, fixed_objective
    )
    assert compared >= 3 and refused >= 3
    assert priced["largest deviation"] and priced["term balance"]


def test_a_distribution_outside_the_candidates_is_refused() -> None:
    assert fixed_objective(PROBLEM, load_rules.UNITS, {}, UNQUALIFIED) is None


def test_relaxed_hard_rules_price_their_breaches() -> None:
    weights = {name: 1 for name in RELAXED}
    for _, problem, solution in CASES:
        hard = sum(score.penalty for score in load_rules.evaluate(problem, solution).scores if score.hard)
        relaxed = fixed_objective(problem, load_rules.HARD_UNITS, weights, solution, RELAXED)
        assert relaxed == hard
