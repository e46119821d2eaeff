"""Fairness measures against their definitions, in exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.compiled import compile_scenario
from accord.analysis.fairness import fairness, fairness_of_gains, gini
from accord.scenario.loader import load_scenario

gains = st.lists(st.integers(-5, 40).map(lambda k: k / 8), min_size=1, max_size=6)


def _gini_by_definition(values: list[float]) -> Fraction:
    clipped = [max(Fraction(v), Fraction(0)) for v in values]
    total = sum(clipped, Fraction(0))
    if total == 0:
        return Fraction(0)
    pairs = sum((abs(a - b) for a in clipped for b in clipped), Fraction(0))
    return pairs / (2 * len(clipped) * total)


@given(gains)
def test_measures_match_their_definitions(values: list[float]) -> None:
    measures = fairness_of_gains(np.array(values))
    assert measures.minimum_gain == min(values)
    assert measures.equitability_gap == max(values) - min(values)
    assert measures.gini_of_gains == pytest.approx(float(_gini_by_definition(values)), abs=1e-12)
    assert 0 <= measures.gini_of_gains < 1


@given(st.integers(0, 40).map(lambda k: k / 8), st.integers(1, 6))
def test_equal_gains_are_perfectly_fair(value: float, count: int) -> None:
    measures = fairness_of_gains(np.full(count, value))
    assert measures.gini_of_gains == 0 and measures.equitability_gap == 0


def test_one_voter_taking_everything() -> None:
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)


def test_camp_david_nash_package_gains() -> None:
    compiled = compile_scenario(load_scenario("examples/camp-david-1978.yaml"))
    nash = compiled.space.package_from_dict(
        {
            "sinai": "full-return",
            "settlements": "removed",
            "airfields": "evacuated",
            "security": "demilitarised",
            "palestinian": "autonomy",
            "jerusalem": "excluded",
        }
    )
    # Egypt 0.75 - 0.59 = 0.16, Israel 0.67 - 0.55 = 0.12 (the United States does not vote).
    measures = fairness(compiled, compiled.utilities(nash))
    assert measures.minimum_gain == pytest.approx(0.12)
    assert measures.equitability_gap == pytest.approx(0.04)
    # Gini: (pairs in both orders) 0.08 / (2 * 2 voters * total 0.28).
    assert measures.gini_of_gains == pytest.approx(0.08 / 1.12)
