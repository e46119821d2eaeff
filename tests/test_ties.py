"""Ties are decided on the final sums, the same way everywhere, as exact arithmetic says.

Scenarios whose values are decimals such as 0.1, 0.2, 0.3 and thirds (written to full
float precision) produce sums that are mathematically equal but differ in their last bits.
Every answer is checked against :class:`oracle.ExactOracle`, which works in ``fractions``.
"""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.counting import count_packages
from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.analysis.solutions import Outcome, egalitarian, kalai_smorodinsky, utilitarian
from accord.analysis.ties import TIE_TOLERANCE, tie_ranks
from accord.formats.genius import load_genius_folder
from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario
from oracle import ExactOracle

# Sixths and tenths: sums of them tie in exact arithmetic and often not in floating point.
DECIMALS = [0.0, 1 / 6, 1 / 3, 0.5, 2 / 3, 5 / 6, 1.0, 0.1, 0.2, 0.3, 0.7]
WEIGHTS = [0.1, 0.2, 0.3, 0.5, 1.0, 1 / 3, 2 / 3]
RESERVATIONS = [0.0, 0.3, 0.5, 0.6, 1 / 3, 2 / 3, 0.9, 1.0, 1.2, 1.5]

ROUNDING_TIE = """\
id: rounding-tie
issues: [{id: x, options: [{id: x1},{id: x2}]}, {id: y, options: [{id: y1},{id: y2}]}]
parties:
  - {id: a, preferences: {scale: points, values: {x: {x1: 0.16666666666666666, x2: 0.5},
      y: {y1: 0.3333333333333333, y2: 0.6666666666666666}}}}
  - {id: b, preferences: {scale: points, values: {x: {x1: 0.6, x2: 0.5}, y: {y1: 1.0, y2: 0.0}}}}
"""


@st.composite
def decimal_scenarios(draw: st.DrawFn) -> Scenario:
    """2–4 voters, 2–4 issues of 2–3 options, decimal and third values, sometimes weights,
    red lines, reservation values and a quorum."""
    counts = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    issues = [
        {"id": f"i{i}", "options": [{"id": f"i{i}o{k}"} for k in range(count)]}
        for i, count in enumerate(counts)
    ]
    parties: list[dict[str, Any]] = []
    for index in range(draw(st.integers(2, 4))):
        preferences: dict[str, Any] = {"scale": draw(st.sampled_from(["points", "normalised"]))}
        preferences["values"] = {
            issue["id"]: {o["id"]: draw(st.sampled_from(DECIMALS)) for o in issue["options"]}
            for issue in issues
        }
        if draw(st.booleans()):
            preferences["weights"] = {
                issue["id"]: draw(st.sampled_from(WEIGHTS)) for issue in issues
            }
        if draw(st.integers(0, 2)) == 0:
            issue = draw(st.sampled_from(issues))
            option = draw(st.sampled_from(issue["options"]))
            preferences["red_lines"] = [{"options": {issue["id"]: option["id"]}}]
        if draw(st.booleans()):
            preferences["reservation"] = draw(st.sampled_from(RESERVATIONS))
        parties.append({"id": f"p{index}", "preferences": preferences})
    data: dict[str, Any] = {"id": "decimal", "issues": issues, "parties": parties}
    if len(parties) > 2 and draw(st.integers(0, 3)) == 0:
        data["agreement"] = {"kind": "quorum", "min_parties": len(parties) - 1}
    return Scenario.model_validate(data)


def variants(scenario: Scenario) -> list[tuple[CompiledScenario, ExactOracle]]:
    compiled = compile_scenario(scenario)
    return [
        (compiled, ExactOracle(scenario)),
        (compiled.ignoring_reservation(), ExactOracle(scenario, ignoring_reservation=True)),
    ]


def as_exact(utilities: np.ndarray) -> tuple[Fraction, ...]:
    """Floating-point utilities read back as the oracle's fractions (they are within 1e-12)."""
    return tuple(Fraction(float(u)).limit_denominator(10**6) for u in utilities)


def voter_utilities(compiled: CompiledScenario, outcome: Outcome) -> tuple[Fraction, ...]:
    return as_exact(outcome.utilities[compiled.voter_indices])


@settings(max_examples=200)
@given(decimal_scenarios())
def test_frontier_size_and_points_equal_the_exact_oracle(scenario: Scenario) -> None:
    for compiled, oracle in variants(scenario):
        frontier = pareto_frontier(compiled)
        assert frontier.exact
        points = {as_exact(row) for row in frontier.utilities[:, compiled.voter_indices]}
        assert points == oracle.frontier_points
        assert frontier.point_count == len(oracle.frontier_points)
        if frontier.size is not None:
            assert frontier.size == len(oracle.frontier)
        elif compiled.is_unanimity or compiled.every_package_acceptable:
            raise AssertionError("the size is known under unanimity")


@settings(max_examples=200)
@given(decimal_scenarios())
def test_counts_equal_the_exact_oracle(scenario: Scenario) -> None:
    for compiled, oracle in variants(scenario):
        counts = count_packages(compiled)
        assert counts.feasible == len(oracle.feasible)
        if not compiled.every_package_acceptable:
            assert counts.unanimous == oracle.unanimous


@settings(max_examples=100)
@given(decimal_scenarios())
def test_every_solution_equals_the_exact_oracle(scenario: Scenario) -> None:
    for compiled, oracle in variants(scenario):
        frontier = pareto_frontier(compiled)
        if not oracle.feasible:
            assert frontier.point_count == 0
            assert utilitarian(compiled) is None
            continue
        expected = {
            "utilitarian": oracle.utilitarian(),
            "egalitarian": oracle.egalitarian(),
            "kalai_smorodinsky": oracle.kalai_smorodinsky(),
            "nash": oracle.nash(),
        }
        on_frontier, nash_on_frontier, _ = solutions_on_frontier(compiled, frontier)
        by_programs = {
            "utilitarian": utilitarian(compiled),
            "egalitarian": egalitarian(compiled),
            "kalai_smorodinsky": kalai_smorodinsky(compiled),
            "nash": nash(compiled).outcome,
        }
        for name, allowed in expected.items():
            for found in (on_frontier[name], by_programs[name]):
                if not allowed:
                    assert found is None, name
                    continue
                assert found is not None, name
                assert voter_utilities(compiled, found) in allowed, name
        assert (nash_on_frontier.outcome is None) == (not expected["nash"])


def test_a_tie_in_the_last_bits_does_not_keep_a_dominated_package() -> None:
    # (x2, y1) and (x1, y2) are worth 5/6 to a, and b prefers (x2, y1): three points, not
    # four, though 0.5 + 0.333... and 0.1666... + 0.666... differ by 1e-16 in floating point.
    compiled = compile_scenario(parse_scenario(ROUNDING_TIE, "tie.yaml"))
    frontier = pareto_frontier(compiled)
    assert frontier.exact
    assert frontier.size == 3
    assert frontier.point_count == 3
    chosen = {tuple(int(k) for k in package) for package in frontier.packages}
    assert chosen == {(0, 0), (1, 0), (1, 1)}


def test_tie_ranks_join_values_within_the_tolerance_only() -> None:
    values = np.array([[0.3], [0.1 + 0.2], [0.3 + 2 * TIE_TOLERANCE], [0.0]])
    assert tie_ranks(values)[:, 0].tolist() == [1, 1, 2, 0]


EVALUATIONS = [1, 2, 3, 5, 6, 7, 9]
GENIUS = Path(__file__).resolve().parents[2] / "shared" / "external" / "genius"
ENGLAND_ZIMBABWE = GENIUS / "anac2010-EnglandZimbabwe"


def england_zimbabwe_variant(folder: Path, seed: int) -> Path:
    """England–Zimbabwe with new additive profiles: evaluations 1–6, binary weights.

    Evaluations over a top of 3 or 6 give thirds and sixths, the values of GENIUS's
    "long-term" profiles of this domain, where packages that tie for one side used to
    differ in the last bits and a dominated one survived.
    """
    if not ENGLAND_ZIMBABWE.is_dir():
        pytest.fail(f"GENIUS data not found at {GENIUS} (see shared/external/README.md)")
    rng = np.random.default_rng(seed)
    folder.mkdir()
    shutil.copy(ENGLAND_ZIMBABWE / "EnglandZimbabwe_domain.xml", folder)
    for name in ("England.xml", "Zimbabwe.xml"):
        text = (ENGLAND_ZIMBABWE / name).read_text(encoding="utf-8")
        text = re.sub(
            r'evaluation="\d+"', lambda _: f'evaluation="{rng.choice(EVALUATIONS)}"', text
        )
        weights = iter(rng.permutation([0.25, 0.25, 0.25, 0.125, 0.125]).tolist())
        text = re.sub(
            r'(<weight index="\d+" value=")[^"]+',
            lambda match, weights=weights: match[1] + str(next(weights)),
            text,
        )
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("seed", [13, 48, 5, 52])
def test_additive_genius_profiles_keep_no_dominated_package(tmp_path: Path, seed: int) -> None:
    scenario = load_genius_folder(england_zimbabwe_variant(tmp_path / "variant", seed))
    for compiled, oracle in variants(scenario):
        frontier = pareto_frontier(compiled)
        points = {as_exact(row) for row in frontier.utilities[:, compiled.voter_indices]}
        assert points == oracle.frontier_points
        assert frontier.size == len(oracle.frontier)
