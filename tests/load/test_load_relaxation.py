"""The load LP bound: its programme prices a distribution exactly as the checkers do, any row prices
give a lower bound, and the bound never passes a proven optimum while beating the static bounds."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

import constraints.load as load_rules
from datasets.load_generator import generate_load
from models import Evaluation, Scenario
from models.load import LoadProblem, LoadSolution
from solver.engine import solve_model
from solver.load.bounds import static_bound
from solver.load.components import split
from solver.load.greedy import greedy_load
from solver.load.model import LoadCpModel
from solver.load.relaxation import LinearProgramme, formulate, relaxation_bound
from tests.load_factory import ALTERNATIVE, GOOD, tiny_problem

SCENARIOS = (
    Scenario(),
    Scenario(
        weights={"term balance": 4, "courses prepared": 3, "wanted courses": 7, "changes from last year": 1}
    ),
)


def _pinned_price(problem: LoadProblem, solution: LoadSolution, weights: dict[str, int]) -> float | None:
    return formulate(problem, weights, None, fixed=[set(given) for given in solution.teachers]).bound(10)


def _tiny_optimum(problem: LoadProblem, weights: dict[str, int]) -> int:
    """The least checker total over every distribution keeping the hard rules, by enumeration."""
    scenario = Scenario(weights=weights, disabled=frozenset(load_rules.SOFT_NAMES - set(weights)))
    choices = [
        list(itertools.combinations(candidates, item.teachers))
        for item, candidates in zip(problem.items, problem.candidates, strict=True)
    ]
    totals = []
    for teams in itertools.product(*choices):
        evaluation = load_rules.evaluate(
            problem, LoadSolution(problem_name=problem.name, teachers=teams), scenario
        )
        if evaluation.feasible:
            totals.append(evaluation.total)
    return min(totals)


def _cp_sat_optimum(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None = None,
    start: LoadSolution | None = None,
    seconds: float = 20,
) -> int | None:
    """The engine's CP-SAT model's optimum over the hard rules (and the cap), None unless proven."""
    exact = LoadCpModel(problem, cap=cap)
    exact.post(load_rules.units_for(problem), weights)
    if start is not None:
        exact.hint(start)
    run = solve_model(exact.model, exact.decision_variables(), time_limit=seconds, workers=2, seed=0)
    return round(run.objective) if run.proven_optimal and run.objective is not None else None


def co_taught_split(problem: LoadProblem, evaluation: Evaluation) -> bool:
    """Whether a co-taught lecture counts as split (which the bounds leave out)."""
    return any(
        violation.constraint == load_rules.lecture_practice_split.NAME
        and problem.items[violation.sections[0]].teachers > 1
        for score in evaluation.scores
        for violation in score.violations
    )


def test_the_programme_prices_a_distribution_as_the_checkers_do() -> None:
    problem = tiny_problem()
    for scenario in SCENARIOS:
        weights = load_rules.weights_for(problem, scenario)
        for solution in (GOOD, ALTERNATIVE):
            assert (
                _pinned_price(problem, solution, weights)
                == load_rules.evaluate(problem, solution, scenario).total
            )
    generated = generate_load(teachers=40, sections=200, seed=3)
    priced = 0
    for part in split(generated):
        start = greedy_load(part.problem)
        evaluation = load_rules.evaluate(part.problem, start)
        if not evaluation.feasible:
            continue
        weights = load_rules.weights_for(part.problem, Scenario())
        price = _pinned_price(part.problem, start, weights)
        assert price is not None and round(price) <= evaluation.total
        if not co_taught_split(part.problem, evaluation):  # the one criterion the programme leaves out
            assert round(price) == evaluation.total
            priced += 1
    assert priced >= 10


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-200, max_value=200), min_size=200, max_size=200))
def test_any_row_prices_give_a_lower_bound(prices: list[float]) -> None:
    problem = tiny_problem()
    weights = load_rules.weights_for(problem, Scenario())
    programme = formulate(problem, weights, None)
    optimum = _tiny_optimum(problem, weights)
    assert len(programme.rows) <= len(prices)
    assert programme.dual_bound(prices[: len(programme.rows)]) <= optimum
    bound = relaxation_bound(problem, weights, None)
    assert bound is not None and bound <= optimum


def test_the_bound_holds_below_proven_optima_and_beats_the_static_bounds() -> None:
    problem = generate_load(teachers=40, sections=200, seed=3)
    proven = better = 0
    for part in split(problem):
        weights = load_rules.weights_for(part.problem, Scenario())
        rest = {name: weight for name, weight in weights.items() if name != load_rules.largest_deviation.NAME}
        start = greedy_load(part.problem)
        if not load_rules.evaluate(part.problem, start).feasible:
            continue
        bound = relaxation_bound(part.problem, rest, None)
        assert bound is not None
        better += bound > static_bound(part.problem, rest)
        if proven < 3:  # CP-SAT alone proves the optimum
            optimum = _cp_sat_optimum(part.problem, rest, seconds=10)
            if optimum is not None:
                assert bound <= optimum
                proven += 1
    assert proven >= 1 and better >= 5


def _integral_optimum(programme: LinearProgramme, seconds: float) -> float | None:
    """The programme with its 0/1 variables whole, solved by SCIP (None unless proven optimal)."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    solver.SetTimeLimit(int(seconds * 1000))
    variables = [
        solver.IntVar(low, high, "") if low >= 0 and high <= 1 else solver.NumVar(low, high, "")
        for low, high in zip(programme.lower, programme.upper, strict=True)
    ]
    for low, high, coefficients in programme.rows:
        row = solver.Constraint(low, high)
        for index, coefficient in coefficients.items():
            row.SetCoefficient(variables[index], coefficient)
    objective = solver.Objective()
    for variable, cost in zip(variables, programme.costs, strict=True):
        objective.SetCoefficient(variable, cost)
    objective.SetOffset(programme.constant)
    objective.SetMinimization()
    return objective.Value() if solver.Solve() == pywraplp.Solver.OPTIMAL else None


def test_the_programme_made_whole_has_the_checkers_optimum() -> None:
    """With whole decisions the programme is the part itself (findings, twenty-second stop: SCIP over
    it settled departments): its optimum is the checkers' least total, by enumeration on the tiny
    problem and against CP-SAT's proven optimum, within a cap, on generated departments."""
    problem = tiny_problem()
    for scenario in SCENARIOS:
        weights = load_rules.weights_for(problem, scenario)
        optimum = _integral_optimum(formulate(problem, weights, None), 30)
        assert optimum is not None and round(optimum) == _tiny_optimum(problem, weights)
    generated = generate_load(teachers=40, sections=200, seed=3)
    compared = 0
    for part in split(generated):
        if compared == 2:
            break
        if any(part.problem.items[lecture].teachers > 1 for lecture in part.problem.practices_of):
            continue  # the programme leaves a co-taught lecture's split out
        weights = load_rules.weights_for(part.problem, Scenario())
        rest = {name: weight for name, weight in weights.items() if name != load_rules.largest_deviation.NAME}
        start = greedy_load(part.problem)
        if not load_rules.evaluate(part.problem, start).feasible:
            continue
        # Within the least largest deviation, where the cap binds (as in the engine's second phase).
        cap = _cp_sat_optimum(part.problem, {load_rules.largest_deviation.NAME: 1}, start=start)
        if cap is None:
            continue
        proven = _cp_sat_optimum(part.problem, rest, cap, start)
        if proven is None:
            continue
        optimum = _integral_optimum(formulate(part.problem, rest, cap), 60)
        assert optimum is not None and round(optimum) == proven
        compared += 1
    assert compared == 2
