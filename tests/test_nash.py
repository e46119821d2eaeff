"""The Nash bargaining solution against the brute-force oracle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.nash import nash
from accord.analysis.program import package_program
from accord.analysis.solutions import egalitarian, ideal_gains
from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario
from oracle import conventions
from strategies import reordered_scenarios, scenarios

TOLERANCE = 1e-9
EXAMPLES = settings(max_examples=150, deadline=None)


@EXAMPLES
@given(scenarios())
def test_nash_maximises_the_product_of_gains_on_the_frontier(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        result = nash(compiled)
        optimum = oracle.max_nash_log_product()
        assert (result.outcome is None) == (optimum is None)
        if result.outcome is None:
            assert result.reason
            continue
        assert optimum is not None
        assert not result.reason
        # The proven gap: the tolerance, or the solver's own (about 1e-8) when the bound
        # and the best package meet only up to it.
        assert 0.0 <= result.log_gap <= 1e-8
        assert oracle.is_feasible(result.outcome.package)
        value = oracle.nash_log_product_of(result.outcome.utilities)
        assert value == pytest.approx(optimum, abs=TOLERANCE)
        assert oracle.is_pareto_optimal(result.outcome.utilities, TOLERANCE)


@EXAMPLES
@given(reordered_scenarios())
def test_nash_does_not_depend_on_the_order_of_options(pair: tuple[Scenario, Scenario]) -> None:
    original, reordered = pair
    for (_, oracle), (shuffled, _) in zip(
        conventions(original), conventions(reordered), strict=True
    ):
        outcome = nash(shuffled).outcome
        optimum = oracle.max_nash_log_product()
        assert (outcome is None) == (optimum is None)
        if outcome is not None:
            value = oracle.nash_log_product_of(outcome.utilities)
            assert value == pytest.approx(optimum, abs=TOLERANCE)


def test_small_scenario_nash(small: CompiledScenario) -> None:
    result = nash(small)
    assert result.outcome is not None
    assert small.space.package_dict(result.outcome.package) == {"a": "a1", "b": "b1", "c": "c2"}
    np.testing.assert_allclose(result.outcome.utilities, [17 / 30, 0.68])
    assert result.log_gap <= TOLERANCE
    assert result.rounds >= 1


def test_small_scenario_nash_ignoring_reservation(small: CompiledScenario) -> None:
    # From 0 the products are 0.4 at a1, b1, c3 and 17/30 * 0.68 = 0.385 at a1, b1, c2.
    result = nash(small.ignoring_reservation())
    assert result.outcome is not None
    assert small.space.package_dict(result.outcome.package) == {"a": "a1", "b": "b1", "c": "c3"}
    np.testing.assert_allclose(result.outcome.utilities, [0.5, 0.8])


def test_nash_accepts_precomputed_egalitarian_and_ideal(small: CompiledScenario) -> None:
    program = package_program(small)
    fair = egalitarian(small, program)
    ideal = ideal_gains(small, program)
    result = nash(small, program, fair=fair, ideal=ideal)
    assert result.outcome is not None
    gains = result.outcome.utilities - small.disagreement
    assert math.log(gains.prod()) == pytest.approx(math.log((17 / 30 - 0.3) * 0.38))


def test_nash_without_a_feasible_package(small_text: str) -> None:
    compiled = compile_scenario(
        parse_scenario(small_text.replace("reservation: 0.3", "reservation: 1"))
    )
    result = nash(compiled)
    assert result.outcome is None
    assert result.reason == "no package is feasible"


def test_nash_when_no_package_gives_everyone_a_gain(small_text: str) -> None:
    # With q's reservation at 0.8, a1, b1, c3 (worth exactly 0.8 to q) is the only
    # package both accept: the others q values that much p rejects or its red line forbids.
    text = small_text.replace(
        "reservation: 0.3\n      interactions", "reservation: 0.8\n      interactions"
    )
    compiled = compile_scenario(parse_scenario(text))
    assert compiled.feasible(compiled.space.all_packages()).sum() == 1
    result = nash(compiled)
    assert result.outcome is None
    assert result.reason == (
        "no feasible package gives every voter a gain over its disagreement point"
    )
