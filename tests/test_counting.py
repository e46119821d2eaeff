"""Counting feasible and unanimously accepted packages, against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from accord.analysis.compiled import compile_scenario
from accord.analysis.counting import count_packages
from accord.scenario.generate import random_additive_scenario
from accord.scenario.model import Scenario
from oracle import conventions
from strategies import scenarios


@settings(max_examples=150)
@given(scenarios())
def test_counts_equal_brute_force(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        counts = count_packages(compiled)
        assert counts.feasible == int(oracle.feasible.sum())
        accepts = compiled.acceptance(oracle.packages)[oracle.voters]
        assert counts.unanimous == int(accepts.all(axis=0).sum())


def test_counts_of_a_larger_space_without_listing_it() -> None:
    compiled = compile_scenario(random_additive_scenario(2, 8, 5, seed=1, reservation=0.5))
    counts = count_packages(compiled)
    packages = compiled.space.all_packages()  # 390,625: the oracle can still list them
    expected = int(compiled.feasible(packages).sum())
    assert counts.feasible == expected == counts.unanimous
    assert 0 < expected < len(packages)


def test_too_many_states_gives_a_reason() -> None:
    compiled = compile_scenario(random_additive_scenario(2, 10, 5, seed=1, reservation=0.5))
    counts = count_packages(compiled, max_states=1_000)
    assert counts.feasible is None and counts.unanimous is None
    assert "distinct partial states" in counts.reason


def test_every_package_acceptable_counts_them_all() -> None:
    compiled = compile_scenario(random_additive_scenario(3, 30, 5, seed=2))
    counts = count_packages(compiled.ignoring_reservation())
    assert counts.feasible == counts.unanimous == 5**30
    assert np.isfinite(compiled.reservation).all()
