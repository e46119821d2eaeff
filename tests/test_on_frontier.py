"""Solutions read off the exact frontier equal the optima of the exact programs."""

from __future__ import annotations

from hypothesis import given, settings

from accord.analysis.frontier import pareto_frontier
from accord.analysis.on_frontier import solutions_on_frontier
from accord.scenario.model import Scenario
from oracle import conventions
from strategies import scenarios

TOLERANCE = 1e-9


@settings(max_examples=150)
@given(scenarios())
def test_frontier_solutions_reach_the_oracle_optima(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        frontier = pareto_frontier(compiled)
        if not len(frontier.packages):
            assert not oracle.any_feasible
            continue
        solutions, nash, ideal = solutions_on_frontier(compiled, frontier)
        for name, value_of, best in (
            ("utilitarian", oracle.total_of, oracle.max_utilitarian()),
            ("egalitarian", oracle.min_gain_of, oracle.max_min_gain()),
            ("kalai_smorodinsky", oracle.ks_level_of, oracle.ks_level()),
        ):
            outcome = solutions[name]
            assert outcome is not None and best is not None
            assert oracle.is_feasible(outcome.package)
            assert abs(value_of(outcome.utilities) - best) <= TOLERANCE, name
            assert oracle.is_pareto_optimal(outcome.utilities, TOLERANCE), name
        optimum = oracle.max_nash_log_product()
        assert (nash.outcome is None) == (optimum is None)
        if nash.outcome is not None and optimum is not None:
            assert abs(oracle.nash_log_product_of(nash.outcome.utilities) - optimum) <= TOLERANCE
        expected_ideal = oracle.ideal_gains
        assert expected_ideal is not None
        assert abs(ideal[oracle.voters] - expected_ideal).max() <= TOLERANCE
