"""The numeric form of a scenario: utilities, normalisation, red lines and the rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.nash import nash
from accord.analysis.solutions import utilitarian
from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario
from oracle import Oracle, utilities_by_definition
from strategies import reordered_scenarios, scenarios

EXAMPLES = settings(max_examples=150, deadline=None)


def package(compiled: CompiledScenario, **chosen: str) -> np.ndarray:
    return compiled.space.package_from_dict(chosen)


def test_utilities_by_hand(small: CompiledScenario) -> None:
    # p: weights 3, 1, 2 over 6; q: weights 1, 2, 2 over 5, and 0.3 when a3 meets b2.
    # Both best packages are worth exactly 1 already, so nothing is rescaled.
    cases = {
        ("a1", "b1", "c2"): ((3 * 1 + 1 * 0 + 2 * 0.2) / 6, (1 * 0 + 2 * 1 + 2 * 0.7) / 5),
        ("a2", "b2", "c3"): ((3 * 0.5 + 1 * 1 + 2 * 0) / 6, (1 * 0.5 + 2 * 0 + 2 * 1) / 5),
        ("a3", "b2", "c1"): ((3 * 0 + 1 * 1 + 2 * 1) / 6, (1 * 1 + 0 + 0) / 5 + 0.3),
        ("a3", "b2", "c3"): ((0 + 1 + 0) / 6, (1 + 0 + 2) / 5 + 0.3),
    }
    for (a, b, c), expected in cases.items():
        np.testing.assert_allclose(small.utilities(package(small, a=a, b=b, c=c)), expected)


def test_utilities_of_one_package_and_of_rows(small: CompiledScenario) -> None:
    rows = small.space.all_packages()
    table = small.utilities(rows)
    assert table.shape == (2, 18)
    for n, row in enumerate(rows):
        single = small.utilities(row)
        assert single.shape == (2,)
        np.testing.assert_array_equal(single, table[:, n])


def test_points_are_taken_as_written() -> None:
    text = """
id: points
issues:
  - {id: a, options: [{id: a1}, {id: a2}]}
  - {id: b, options: [{id: b1}, {id: b2}, {id: b3}]}
parties:
  - id: p
    preferences:
      scale: points
      weights: {a: 2, b: 1}
      values: {a: {a1: 10, a2: -5}, b: {b1: 0, b2: 3, b3: 7}}
      interactions: [{options: {a: a2, b: b3}, value: 4}]
      reservation: 12
  - id: q
    preferences:
      scale: points
      values: {a: {a1: 1, a2: 2}, b: {b1: 3, b2: 4, b3: 5}}
"""
    compiled = compile_scenario(parse_scenario(text))
    table = compiled.utilities(compiled.space.all_packages())
    # Rows: a1 b1, a1 b2, a1 b3, a2 b1, a2 b2, a2 b3.
    np.testing.assert_array_equal(table[0], [20, 23, 27, -10, -7, -3 + 4])
    np.testing.assert_array_equal(table[1], [4, 5, 6, 5, 6, 7])
    np.testing.assert_array_equal(compiled.reservation, [12, 0])


def test_normalisation_with_interactions_makes_the_best_package_worth_one(small_text: str) -> None:
    # The bonus for a3 with b2 lifts q's best package above its linear best: 0.2 + 0 + 0.4
    # + 0.9 = 1.5 at a3, b2, c3 (its linear best a3, b1, c3 is worth 1.0), so q's numbers are
    # divided by 1.5.
    text = small_text.replace("value: 0.3", "value: 0.9")
    compiled = compile_scenario(parse_scenario(text))
    table = compiled.utilities(compiled.space.all_packages())
    assert table.max(axis=1).tolist() == pytest.approx([1.0, 1.0], abs=1e-12)
    best = package(compiled, a="a3", b="b2", c="c3")
    assert compiled.utilities(best)[1] == pytest.approx(1.0, abs=1e-12)
    assert compiled.utilities(package(compiled, a="a3", b="b1", c="c3"))[1] == pytest.approx(
        1.0 / 1.5
    )


def test_normalisation_with_a_penalty_on_the_linear_best(small_text: str) -> None:
    # A penalty of 0.5 whenever a1 meets b2 brings p's linear best (a1, b2, c1: worth 1)
    # down to 0.5; the best is now a1, b1, c1 (25/30), which becomes 1.
    text = small_text.replace(
        "      red_lines:",
        "      interactions:\n        - options: {a: a1, b: b2}\n          value: -0.5\n"
        "      red_lines:",
    )
    compiled = compile_scenario(parse_scenario(text))
    table = compiled.utilities(compiled.space.all_packages())
    assert table[0].max() == pytest.approx(1.0, abs=1e-12)
    assert compiled.utilities(package(compiled, a="a1", b="b1", c="c1"))[0] == pytest.approx(1.0)


@EXAMPLES
@given(scenarios())
def test_utilities_follow_the_definition(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    table = compiled.utilities(packages)
    np.testing.assert_allclose(table, utilities_by_definition(scenario, packages), atol=1e-9)
    for p, party_id in enumerate(compiled.party_ids):
        preferences = scenario.party(party_id).preferences
        assert preferences is not None
        if preferences.scale == "normalised" and table[p].max() > 1e-12:
            assert table[p].max() == pytest.approx(1.0, abs=1e-9)


@EXAMPLES
@given(scenarios())
def test_feasibility_follows_the_definition(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    packages = compiled.space.all_packages()
    oracle = Oracle(scenario, compiled)
    np.testing.assert_array_equal(compiled.voter_indices, oracle.voters)
    np.testing.assert_array_equal(compiled.feasible(packages), oracle.feasible)
    ignoring = compiled.ignoring_reservation()
    assert ignoring.feasible(packages).all()
    np.testing.assert_array_equal(ignoring.disagreement, np.zeros(compiled.party_count))


@EXAMPLES
@given(reordered_scenarios())
def test_utilities_do_not_depend_on_the_order_of_options(pair: tuple[Scenario, Scenario]) -> None:
    original, reordered = pair
    first, second = compile_scenario(original), compile_scenario(reordered)
    packages = first.space.all_packages()
    moved = np.array(
        [second.space.package_from_dict(first.space.package_dict(row)) for row in packages]
    )
    np.testing.assert_allclose(second.utilities(moved), first.utilities(packages), atol=1e-12)
    np.testing.assert_array_equal(second.feasible(moved), first.feasible(packages))


def test_red_lines_on_the_option_axis(small: CompiledScenario) -> None:
    (red_line,) = small.red_lines
    assert red_line.party == 0
    assert red_line.clauses == ((0, (2,)), (2, (2,)))
    assert red_line.issues == (0, 2)
    assert red_line.label == "a = a3 and c = c3"
    crossed = small.crossed_red_lines(small.space.all_packages())[0]
    chosen = [small.space.package_dict(row) for row in small.space.all_packages()[crossed]]
    assert chosen == [{"a": "a3", "b": "b1", "c": "c3"}, {"a": "a3", "b": "b2", "c": "c3"}]


def test_red_line_with_a_list_of_options(small_text: str) -> None:
    text = small_text.replace(
        "- options: {a: a3, c: c3}", "- options: {c: [c3, c1]}\n          label: no c"
    )
    compiled = compile_scenario(parse_scenario(text))
    (red_line,) = compiled.red_lines
    assert red_line.clauses == ((2, (0, 2)),)
    assert red_line.label == "no c"
    accepts = compiled.acceptance(compiled.space.all_packages())
    chosen = compiled.space.all_packages()[:, 2]
    assert not accepts[0][chosen != 1].any()


def test_agreement_rule(small: CompiledScenario) -> None:
    assert small.party_ids == ("p", "q")
    assert small.voters.tolist() == [True, True]
    assert small.required.tolist() == [True, True]
    assert small.min_accept == 2
    assert small.is_unanimity
    assert small.voter_indices.tolist() == [0, 1]


def test_quorum_rule_with_an_observer(small_text: str) -> None:
    text = (
        small_text
        + """
  - id: r
    role: observer
    preferences:
      values: {a: {a1: 1, a2: 0, a3: 0}, b: {b1: 1, b2: 1}, c: {c1: 1, c2: 1, c3: 1}}
  - id: s
    required: false
    preferences:
      values: {a: {a1: 1, a2: 0, a3: 0}, b: {b1: 1, b2: 1}, c: {c1: 1, c2: 1, c3: 1}}
  - id: m
    role: mediator
agreement: {kind: quorum, min_parties: 2, veto: [q]}
"""
    )
    compiled = compile_scenario(parse_scenario(text))
    # The mediator has no preferences, so it has no row; the observer has one but no vote.
    assert compiled.party_ids == ("p", "q", "r", "s")
    assert compiled.voters.tolist() == [True, True, False, True]
    assert compiled.required.tolist() == [True, True, False, False]
    assert compiled.min_accept == 2
    assert not compiled.is_unanimity


def test_ignoring_reservation(small: CompiledScenario) -> None:
    ignoring = small.ignoring_reservation()
    packages = small.space.all_packages()
    assert ignoring.every_package_acceptable
    assert ignoring.acceptance(packages).all()
    np.testing.assert_array_equal(ignoring.reservation, [0.0, 0.0])
    np.testing.assert_array_equal(small.reservation, [0.3, 0.3])
    np.testing.assert_array_equal(ignoring.utilities(packages), small.utilities(packages))


def test_status_quo_and_blocks(small_text: str) -> None:
    text = small_text.replace(
        "  - id: a\n", "  - id: a\n    block: core\n    status_quo: a2\n"
    ).replace("issues:", "blocks:\n  - {id: core, title: Core, participants: [q]}\nissues:")
    compiled = compile_scenario(parse_scenario(text))
    assert compiled.status_quo == (1, None, None)
    assert compiled.blocks == (("core", "Core", (0,)),)
    assert compiled.block_participants == ((1,),)


def test_a_red_line_listing_an_option_twice_counts_it_once() -> None:
    text = """
id: repeated
issues:
  - {id: a, options: [{id: a1}, {id: a2}]}
parties:
  - id: p
    preferences: {values: {a: {a1: 1, a2: 0}}}
  - id: q
    preferences: {values: {a: {a1: 1, a2: 0}}}
  - id: r
    required: false
    preferences:
      values: {a: {a1: 1, a2: 0}}
      red_lines: [{options: {a: [a1, a1]}}]
agreement: {kind: quorum, min_parties: 2}
"""
    scenario = parse_scenario(text)
    compiled = compile_scenario(scenario)
    assert compiled.red_lines[0].clauses == ((0, (0,)),)
    # r refuses a1, but p and q make the quorum: a1 is feasible and the best for all.
    outcome = utilitarian(compiled)
    assert outcome is not None
    assert compiled.space.package_dict(outcome.package) == {"a": "a1"}
    assert Oracle(scenario, compiled).feasible.tolist() == [True, True]


def test_a_best_total_of_rounding_noise_divides_nothing() -> None:
    # 0.1 + 0.2 - 0.3 is 5.6e-17, not 0: dividing by it made coefficients of 1e16, which
    # HiGHS refuses (a hypothesis case of the Nash test found it).
    scenario = parse_scenario(
        """
id: noise
issues:
  - {id: x, options: [{id: a}, {id: b}]}
  - {id: y, options: [{id: c}, {id: d}]}
parties:
  - id: p
    preferences:
      values: {x: {a: 0, b: 0}, y: {c: 0, d: 0}}
      interactions:
        - {options: {x: a}, value: 0.1}
        - {options: {x: a}, value: 0.2}
        - {options: {x: a}, value: -0.3}
  - id: q
    preferences:
      values: {x: {a: 1, b: 0}, y: {c: 0, d: 1}}
""",
        "noise.yaml",
    )
    compiled = compile_scenario(scenario)
    assert 0 < float(compiled.term_values[0].sum()) < 1e-15  # the noise, not divided
    assert np.abs(compiled.linear).max() <= 1.0
    best = utilitarian(compiled)  # a program HiGHS now accepts
    assert best is not None and compiled.utilities(best.package)[1] == 1.0
    assert nash(compiled).reason  # p gains nothing anywhere: no Nash package, said why
