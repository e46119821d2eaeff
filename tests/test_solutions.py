"""Feasibility and the bargaining solutions against the brute-force oracle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.program import package_program
from accord.analysis.solutions import (
    Outcome,
    egalitarian,
    find_feasible,
    ideal_gains,
    kalai_smorodinsky,
    utilitarian,
)
from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario
from oracle import Oracle
from strategies import reordered_scenarios, scenarios

TOLERANCE = 1e-9
EXAMPLES = settings(max_examples=150, deadline=None)

SMALL = """
id: small
issues:
  - id: a
    options: [{id: a1}, {id: a2}, {id: a3}]
  - id: b
    options: [{id: b1}, {id: b2}]
  - id: c
    options: [{id: c1}, {id: c2}, {id: c3}]
parties:
  - id: p
    preferences:
      weights: {a: 3, b: 1, c: 2}
      values: {a: {a1: 1, a2: 0.5, a3: 0}, b: {b1: 0, b2: 1}, c: {c1: 1, c2: 0.2, c3: 0}}
      reservation: 0.3
      red_lines:
        - options: {a: a3, c: c3}
  - id: q
    preferences:
      weights: {a: 1, b: 2, c: 2}
      values: {a: {a1: 0, a2: 0.5, a3: 1}, b: {b1: 1, b2: 0}, c: {c1: 0, c2: 0.7, c3: 1}}
      reservation: 0.3
      interactions:
        - options: {a: a3, b: b2}
          value: 0.3
"""


def conventions(scenario: Scenario) -> Iterator[tuple[CompiledScenario, Oracle]]:
    """The scenario as written, then with every package acceptable and disagreement at 0."""
    compiled = compile_scenario(scenario)
    for variant in (compiled, compiled.ignoring_reservation()):
        yield variant, Oracle(scenario, variant)


def check_solution(oracle: Oracle, outcome: Outcome | None, optimum: float | None) -> None:
    """``outcome`` exists exactly when the oracle has an optimum, and is a feasible package."""
    assert (outcome is None) == (optimum is None)
    if outcome is not None:
        assert oracle.is_feasible(outcome.package)
        expected = oracle.compiled.utilities(outcome.package)
        np.testing.assert_allclose(outcome.utilities, expected, rtol=0, atol=1e-12)


@EXAMPLES
@given(scenarios())
def test_find_feasible_finds_a_package_exactly_when_one_exists(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        outcome = find_feasible(compiled)
        assert (outcome is None) == (not oracle.any_feasible)
        if outcome is not None:
            assert oracle.is_feasible(outcome.package)


@EXAMPLES
@given(scenarios())
def test_utilitarian_maximises_the_sum_of_utilities(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        outcome = utilitarian(compiled)
        optimum = oracle.max_utilitarian()
        check_solution(oracle, outcome, optimum)
        if outcome is not None:
            assert optimum is not None
            total = float(outcome.utilities[oracle.voters].sum())
            assert total == pytest.approx(optimum, abs=TOLERANCE)


@EXAMPLES
@given(scenarios())
def test_egalitarian_maximises_the_smallest_gain_on_the_frontier(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        outcome = egalitarian(compiled)
        optimum = oracle.max_min_gain()
        check_solution(oracle, outcome, optimum)
        if outcome is not None:
            assert optimum is not None
            smallest = float(oracle.gain_of(outcome.utilities).min())
            assert smallest == pytest.approx(optimum, abs=TOLERANCE)
            assert oracle.is_pareto_optimal(outcome.utilities, TOLERANCE)


@EXAMPLES
@given(scenarios())
def test_kalai_smorodinsky_maximises_the_smallest_share_on_the_frontier(
    scenario: Scenario,
) -> None:
    for compiled, oracle in conventions(scenario):
        program = package_program(compiled)
        ideal = ideal_gains(compiled, program)
        assert (ideal is None) == (oracle.ideal_gains is None)
        if ideal is not None:
            assert oracle.ideal_gains is not None
            np.testing.assert_allclose(ideal[oracle.voters], oracle.ideal_gains, atol=TOLERANCE)
        outcome = kalai_smorodinsky(compiled, program, ideal)
        optimum = oracle.ks_level()
        check_solution(oracle, outcome, optimum)
        if outcome is not None:
            assert optimum is not None
            assert oracle.ks_level_of(outcome.utilities) == pytest.approx(optimum, abs=TOLERANCE)
            assert oracle.is_pareto_optimal(outcome.utilities, TOLERANCE)


@EXAMPLES
@given(reordered_scenarios())
def test_solutions_do_not_depend_on_the_order_of_options(
    pair: tuple[Scenario, Scenario],
) -> None:
    original, reordered = pair
    for (compiled, oracle), (shuffled, _) in zip(
        conventions(original), conventions(reordered), strict=True
    ):
        assert (find_feasible(compiled) is None) == (find_feasible(shuffled) is None)
        for solve, value in (
            (utilitarian, lambda u: float(u[oracle.voters].sum())),
            (egalitarian, lambda u: float(oracle.gain_of(u).min())),
            (kalai_smorodinsky, oracle.ks_level_of),
        ):
            first, second = solve(compiled), solve(shuffled)
            assert (first is None) == (second is None)
            if first is not None and second is not None:
                # Voters' utilities do not depend on how options are listed, so the
                # reordered answer is valued with the original oracle.
                assert value(second.utilities) == pytest.approx(
                    value(first.utilities), abs=TOLERANCE
                )


@pytest.fixture(scope="module")
def small() -> CompiledScenario:
    return compile_scenario(parse_scenario(SMALL, "small.yaml"))


def chosen(compiled: CompiledScenario, outcome: Outcome | None) -> dict[str, str]:
    assert outcome is not None
    return compiled.space.package_dict(outcome.package)


def test_small_scenario_has_ten_feasible_packages(small: CompiledScenario) -> None:
    packages = small.space.all_packages()
    assert int(small.feasible(packages).sum()) == 10
    assert find_feasible(small) is not None


def test_small_scenario_utilitarian(small: CompiledScenario) -> None:
    outcome = utilitarian(small)
    assert chosen(small, outcome) == {"a": "a1", "b": "b1", "c": "c3"}
    assert outcome is not None
    np.testing.assert_allclose(outcome.utilities, [0.5, 0.8])


def test_small_scenario_egalitarian_and_kalai_smorodinsky(small: CompiledScenario) -> None:
    for solve in (egalitarian, kalai_smorodinsky):
        outcome = solve(small)
        assert chosen(small, outcome) == {"a": "a1", "b": "b1", "c": "c2"}
        assert outcome is not None
        np.testing.assert_allclose(outcome.utilities, [17 / 30, 0.68])


def test_small_scenario_ideal_gains(small: CompiledScenario) -> None:
    ideal = ideal_gains(small)
    assert ideal is not None
    # Each party's best package is vetoed by the other: p's a1, b2, c1 (worth 1) leaves q
    # at 0, q's a3, b1, c3 crosses p's red line. Best feasible: p 25/30 at a1, b1, c1;
    # q 0.8 at a1, b1, c3. Gains are over the reservation value 0.3.
    np.testing.assert_allclose(ideal, [25 / 30 - 0.3, 0.5])


def test_nothing_is_feasible_when_reservations_are_out_of_reach(tmp_path: Path) -> None:
    text = SMALL.replace("reservation: 0.3", "reservation: 0.95")
    compiled = compile_scenario(parse_scenario(text))
    assert find_feasible(compiled) is None
    assert utilitarian(compiled) is None
    assert egalitarian(compiled) is None
    assert kalai_smorodinsky(compiled) is None
    assert ideal_gains(compiled) is None
    # Ignoring reservations and red lines, every package is feasible again.
    assert find_feasible(compiled.ignoring_reservation()) is not None


OUTVOTED = """
id: outvoted
issues:
  - id: a
    options: [{id: a1}, {id: a2}]
  - id: z
    options: [{id: z1}, {id: z2}]
parties:
  - id: p0
    preferences: {weights: {a: 1, z: 0}, values: {a: {a1: 1, a2: 0}}}
  - id: p1
    preferences: {weights: {a: 1, z: 0}, values: {a: {a1: 0, a2: 1}}}
  - id: p2
    required: false
    preferences:
      weights: {a: 0, z: 1}
      values: {z: {z1: 0.5, z2: 1}}
      reservation: 1
      red_lines: [{options: {z: z2}}]
agreement: {kind: quorum, min_parties: 2}
"""


def test_kalai_smorodinsky_breaks_ties_for_a_voter_without_a_share() -> None:
    # p2 accepts no feasible package, so it has no positive ideal gain and no share to
    # equalise; z is free for p0 and p1, and p2 is better off with z2. Regression: the
    # tie-break once ignored p2 and could return the dominated z1.
    scenario = parse_scenario(OUTVOTED)
    compiled = compile_scenario(scenario)
    oracle = Oracle(scenario, compiled)
    outcome = kalai_smorodinsky(compiled)
    assert outcome is not None
    assert compiled.space.package_dict(outcome.package)["z"] == "z2"
    assert oracle.is_pareto_optimal(outcome.utilities)
