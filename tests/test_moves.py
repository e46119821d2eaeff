"""One-point moves against the compiled utilities and acceptance of each moved package."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from accord.analysis.compiled import compile_scenario
from accord.analysis.moves import (
    NashStarts,
    log_nash_products,
    move_table,
    moved,
    nash_climb,
    one_point_moves,
)
from accord.scenario.model import Scenario
from strategies import scenarios


@settings(max_examples=80)
@given(scenarios())
def test_every_move_is_evaluated_as_the_moved_package(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    table = move_table(compiled)
    packages = compiled.space.all_packages()
    package = packages[len(packages) // 2]
    moves, utilities, accepts = one_point_moves(table, package)
    expected_moves = [
        compiled.space.flat(i, k)
        for i, count in enumerate(compiled.space.option_counts)
        for k in range(count)
        if k != package[i]
    ]
    assert sorted(moves.tolist()) == expected_moves
    if len(moves):
        rows = np.array([moved(table, package, int(f)) for f in moves])
        assert all(int((row != package).sum()) == 1 for row in rows)
        assert np.allclose(utilities, compiled.utilities(rows), atol=1e-12)
        assert np.array_equal(accepts, compiled.acceptance(rows))


@settings(max_examples=60)
@given(scenarios())
def test_the_climb_never_loses_nash_product(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    table = move_table(compiled)
    packages = compiled.space.all_packages()
    values = log_nash_products(
        compiled, compiled.utilities(packages), compiled.acceptance(packages)
    )
    start = packages[0]
    end = nash_climb(table, compiled, start)
    index = {tuple(row): n for n, row in enumerate(packages.tolist())}
    assert values[index[tuple(end.tolist())]] >= values[index[tuple(start.tolist())]]
    # A local optimum: no single move improves it.
    moves, utilities, accepts = one_point_moves(table, end)
    if len(moves):
        assert log_nash_products(compiled, utilities, accepts).max() <= (
            values[index[tuple(end.tolist())]] + 1e-12
        )


@settings(max_examples=60)
@given(scenarios())
def test_a_start_is_feasible_with_a_gain_for_every_voter(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario)
    starts = NashStarts(compiled)
    assert starts.start(compiled) is None  # nothing met yet
    packages = compiled.space.all_packages()
    for package in packages[:: max(1, len(packages) // 5)]:
        starts.add(package)
    voters = compiled.voter_indices
    for fixed in ({}, {0: 0}):
        start = starts.start(compiled, fixed)
        feasible = compiled.feasible(packages)
        gains = compiled.utilities(packages)[voters] - compiled.disagreement[voters][:, None]
        candidates = feasible & (gains > 1e-12).all(axis=0)
        if start is None:
            continue
        assert compiled.feasible(start.package)[0] and all(
            start.package[i] == k for i, k in fixed.items()
        )
        assert (start.utilities[voters] - compiled.disagreement[voters]).min() > 1e-12
        assert candidates.any()
