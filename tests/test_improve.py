"""Post-settlement improvement against the exact rational brute force."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.improve import improve, package_of
from accord.errors import AnalysisError
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from oracle_analyses import RationalOracle, dominates, improvements, pareto_optimal_rows
from strategies import scenarios


def _changes(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def _nash_product(oracle: RationalOracle, row: int) -> Fraction:
    product = Fraction(1)
    for pid in oracle.scenario.voter_ids:
        gain = oracle.utilities[pid][row] - oracle.reservation(pid)
        if gain <= 0:
            return Fraction(0)
        product *= gain
    return product


@settings(max_examples=80)
@given(scenarios(), st.integers(0, 10**6))
def test_improve_matches_the_rational_brute_force(scenario: Scenario, pick: int) -> None:
    compiled = compile_scenario(scenario)
    oracle = RationalOracle(scenario)
    package = oracle.packages[pick % len(oracle.packages)]
    result = improve(compiled, np.array(package, dtype=np.int64), limit=10**6)
    better = improvements(oracle, package)
    assert result.is_pareto_optimal == (not better)
    assert result.package_feasible == oracle.feasible[oracle.packages.index(package)]
    voters = scenario.voter_ids
    base = oracle.vector(voters, oracle.packages.index(package))
    if not better:
        assert result.nearest is None and not result.pareto_improvements
        return
    # The nearest improvement changes as few points as any improvement can.
    assert result.nearest is not None
    nearest_row = oracle.packages.index(tuple(int(k) for k in result.nearest.outcome.package))
    assert nearest_row in better
    fewest = min(_changes(oracle.packages[row], package) for row in better)
    assert len(result.nearest.changed) == fewest == _changes(oracle.packages[nearest_row], package)
    # ... and has the largest Nash product among those (up to the solver's tolerance).
    at_fewest = [row for row in better if _changes(oracle.packages[row], package) == fewest]
    best_product = max(_nash_product(oracle, row) for row in at_fewest)
    assert float(_nash_product(oracle, nearest_row)) >= float(best_product) * (1 - 1e-6)
    # The Pareto-optimal improvements are exactly the frontier points above the package.
    assert result.exact
    expected = {oracle.vector(voters, row) for row in pareto_optimal_rows(oracle, better, voters)}
    listed = set()
    for item in result.pareto_improvements:
        row = oracle.packages.index(tuple(int(k) for k in item.outcome.package))
        vector = oracle.vector(voters, row)
        assert oracle.feasible[row] and dominates(vector, base)
        assert len(item.changed) == _changes(oracle.packages[row], package)
        listed.add(vector)
    assert listed == expected
    assert result.pareto_count == len(expected)
    changes = [len(item.changed) for item in result.pareto_improvements]
    assert changes == sorted(changes)


@settings(max_examples=40)
@given(scenarios(), st.integers(0, 10**6))
def test_the_summary_lists_pareto_optimal_improvements(scenario: Scenario, pick: int) -> None:
    compiled = compile_scenario(scenario)
    oracle = RationalOracle(scenario)
    package = oracle.packages[pick % len(oracle.packages)]
    result = improve(compiled, np.array(package, dtype=np.int64), whole_frontier=False)
    better = improvements(oracle, package)
    assert result.is_pareto_optimal == (not better)
    optimal = pareto_optimal_rows(oracle, better, scenario.voter_ids)
    for item in result.pareto_improvements:
        assert oracle.packages.index(tuple(int(k) for k in item.outcome.package)) in optimal
    if better:
        assert result.pareto_improvements and result.pareto_count is None and not result.exact


@settings(max_examples=40)
@given(scenarios())
def test_a_frontier_package_has_no_improvement(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    frontier = pareto_frontier(compiled)
    for package in frontier.packages[:3]:
        assert improve(compiled, package).is_pareto_optimal


def test_camp_david_draft_improves_by_changing_the_settlements_and_west_bank() -> None:
    compiled = compile_scenario(load_scenario("examples/camp-david-1978.yaml"))
    draft = package_of(
        compiled,
        {
            "sinai": "full-return",
            "settlements": "kept",
            "airfields": "evacuated",
            "security": "demilitarised",
            "palestinian": "self-determination",
            "jerusalem": "excluded",
        },
    )
    result = improve(compiled, draft)
    assert not result.is_pareto_optimal and result.package_feasible
    assert result.nearest is not None
    names = [compiled.space.issue_ids[i] for i in result.nearest.changed]
    assert names == ["settlements", "palestinian"]
    assert result.nearest.outcome.utilities[:2] == pytest.approx([0.75, 0.67])
    assert result.pareto_count == 2


def test_package_of_names_what_is_wrong() -> None:
    compiled = compile_scenario(load_scenario("examples/camp-david-1978.yaml"))
    with pytest.raises(AnalysisError, match="unknown issue 'gaza'"):
        package_of(compiled, {"gaza": "x"})
    with pytest.raises(AnalysisError, match="no option for 6 issue"):
        package_of(compiled, {})
    chosen = dict.fromkeys(compiled.space.issue_ids, "kept") | {"sinai": "all"}
    with pytest.raises(AnalysisError, match="issue 'sinai' has no option 'all'"):
        package_of(compiled, chosen)
