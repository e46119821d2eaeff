"""Answers that must not change when each party's utilities are rescaled.

Nash and Kalai–Smorodinsky are invariant under a positive rescaling of each party's
utilities (and of its reservation value with them); the frontier is too. Utilitarian and
egalitarian are invariant under a rescaling common to all parties. Normalised preferences
do not change at all when a party's option values are all multiplied by a constant.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import compile_scenario
from accord.analysis.frontier import RESOLUTION, pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.solutions import egalitarian, kalai_smorodinsky, utilitarian
from accord.scenario.model import Scenario
from oracle import Oracle
from strategies import scenarios


def rescaled(scenario: Scenario, factors: dict[str, float]) -> Scenario:
    """Each party's values, interactions and reservation multiplied by its factor.

    On the normalised scale only the option values can move (and must change nothing);
    on the points scale everything is multiplied.
    """
    data: dict[str, Any] = scenario.model_dump()
    for party in data["parties"]:
        preferences = party["preferences"]
        if preferences is None:
            continue
        factor = factors[party["id"]]
        points = preferences["scale"] == "points"
        scale = factor if points else min(factor, 1.0)
        preferences["values"] = {
            issue: {option: value * scale for option, value in values.items()}
            for issue, values in preferences["values"].items()
        }
        if points:
            for interaction in preferences["interactions"]:
                interaction["value"] *= factor
            preferences["reservation"] *= factor
    return Scenario.model_validate(data)


@st.composite
def rescaled_pairs(draw: st.DrawFn, common: bool) -> tuple[Scenario, Scenario]:
    scenario = draw(scenarios())
    shared = draw(st.sampled_from([0.25, 0.5, 2.0, 8.0]))
    factors = {
        party.id: shared if common else draw(st.sampled_from([0.25, 0.5, 2.0, 8.0]))
        for party in scenario.parties
    }
    return scenario, rescaled(scenario, factors)


def frontier_packages(scenario: Scenario) -> set[tuple[int, ...]]:
    compiled = compile_scenario(scenario)
    frontier = pareto_frontier(compiled)
    oracle = Oracle(scenario, compiled)
    vectors = np.round(oracle.utilities[oracle.voters].T, RESOLUTION)
    kept = {tuple(np.round(v, RESOLUTION)) for v in frontier.utilities[:, oracle.voters]}
    return {
        tuple(package)
        for package, vector, feasible in zip(oracle.packages, vectors, oracle.feasible, strict=True)
        if feasible and tuple(vector) in kept
    }


@settings(max_examples=100)
@given(rescaled_pairs(common=False))
def test_nash_ks_and_frontier_survive_rescaling_each_party(pair: tuple[Scenario, Scenario]) -> None:
    original, scaled = pair
    oracle = Oracle(original, compile_scenario(original))
    scaled_compiled = compile_scenario(scaled)
    scaled_nash = nash(scaled_compiled).outcome
    best = oracle.max_nash_log_product()
    if best is None:
        assert scaled_nash is None
    else:
        assert scaled_nash is not None
        value = oracle.nash_log_product_of(oracle.utilities[:, _row(oracle, scaled_nash.package)])
        assert abs(value - best) <= 1e-7
    scaled_ks = kalai_smorodinsky(scaled_compiled)
    level = oracle.ks_level()
    assert (scaled_ks is None) == (level is None)
    if scaled_ks is not None and level is not None:
        utilities = oracle.utilities[:, _row(oracle, scaled_ks.package)]
        assert abs(oracle.ks_level_of(utilities) - level) <= 1e-7
    assert frontier_packages(original) == frontier_packages(scaled)


@settings(max_examples=100)
@given(rescaled_pairs(common=True))
def test_utilitarian_and_egalitarian_survive_a_common_rescaling(
    pair: tuple[Scenario, Scenario],
) -> None:
    original, scaled = pair
    oracle = Oracle(original, compile_scenario(original))
    scaled_compiled = compile_scenario(scaled)
    for solve, best, value_of in (
        (utilitarian, oracle.max_utilitarian(), oracle.total_of),
        (egalitarian, oracle.max_min_gain(), oracle.min_gain_of),
    ):
        outcome = solve(scaled_compiled)
        assert (outcome is None) == (best is None)
        if outcome is not None and best is not None:
            utilities = oracle.utilities[:, _row(oracle, outcome.package)]
            assert abs(value_of(utilities) - best) <= 1e-7


def _row(oracle: Oracle, package: np.ndarray) -> int:
    counts = tuple(oracle.compiled.space.option_counts)
    return int(np.ravel_multi_index(tuple(package), counts))
