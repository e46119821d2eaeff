"""The frontier built factor by factor equals the brute-force frontier of every package."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import frontier as frontier_module
from accord.analysis.compiled import compile_scenario
from accord.analysis.frontier import RESOLUTION, acceptance_sets, factors_of, pareto_frontier
from accord.analysis.frontier_sweep import sweep_two_party_frontier
from accord.analysis.pareto import nondominated_mask
from accord.scenario.generate import random_additive_scenario
from accord.scenario.model import Scenario
from oracle import ExactOracle, Oracle, conventions
from strategies import scenarios


def vector_set(vectors: np.ndarray) -> set[tuple[float, ...]]:
    return {tuple(row) for row in np.round(vectors, RESOLUTION)}


@settings(max_examples=150)
@given(scenarios())
def test_frontier_equals_the_oracle(scenario: Scenario) -> None:
    for compiled, oracle in conventions(scenario):
        frontier = pareto_frontier(compiled)
        assert frontier.exact
        voters = oracle.voters
        feasible_vectors = np.round(oracle.utilities[voters][:, oracle.feasible].T, RESOLUTION)
        on_frontier = nondominated_mask(feasible_vectors)
        assert vector_set(frontier.utilities[:, voters]) == vector_set(
            feasible_vectors[on_frontier]
        )
        if frontier.size is not None:
            assert frontier.size == int(on_frontier.sum())
        for package, utilities in zip(frontier.packages, frontier.utilities, strict=True):
            assert oracle.is_feasible(package)
            np.testing.assert_allclose(compiled.utilities(package), utilities, atol=1e-12)


@settings(max_examples=60)
@given(scenarios())
def test_thinned_frontier_covers_every_point_within_epsilon(scenario: Scenario) -> None:
    compiled = compile_scenario(scenario).ignoring_reservation()
    exact = pareto_frontier(compiled)
    thinned = pareto_frontier(compiled, max_points=2)
    voters = compiled.voter_indices
    if thinned.exact:
        assert vector_set(thinned.utilities[:, voters]) == vector_set(exact.utilities[:, voters])
        return
    assert thinned.epsilon > 0
    assert thinned.size is None
    kept = thinned.utilities[:, voters]
    for point in exact.utilities[:, voters]:
        assert np.any(np.all(kept >= point - thinned.epsilon - 1e-9, axis=1))


@settings(max_examples=100)
@given(scenarios(), st.sampled_from([1, 2, 3, 5, 8]))
def test_thinning_certifies_its_epsilon_against_brute_force(
    scenario: Scenario, max_points: int
) -> None:
    # Every Pareto-optimal feasible package of the brute force is within epsilon, per
    # voter, of a listed point (up to the caveat the reason states, for packages within
    # epsilon of a reservation value), and every listed point is a feasible package.
    for compiled, oracle in conventions(scenario):
        thinned = pareto_frontier(compiled, max_points=max_points)
        voters = oracle.voters
        for package in thinned.packages:
            assert oracle.is_feasible(package)
        if thinned.exact:
            continue
        assert 0 < thinned.epsilon < np.inf and thinned.size is None
        assert f"within {thinned.epsilon:.3g} per party" in thinned.reason
        kept = thinned.utilities[:, voters]
        reservations = oracle.disagreement
        for row in np.flatnonzero(oracle.frontier):
            point = oracle.utilities[voters, row]
            if np.any(point < reservations + thinned.epsilon) and (
                "reservation value" in thinned.reason
            ):
                continue  # the stated exception
            assert np.any(np.all(kept >= point - thinned.epsilon - 1e-9, axis=1))
        sets = 1 if compiled.every_package_acceptable else len(acceptance_sets(compiled))
        assert thinned.point_count <= max_points * sets


@pytest.mark.parametrize("parties", [3, 4, 5, 6])
@pytest.mark.parametrize("max_points", [4, 16, 64])
@pytest.mark.parametrize("reservation", [0.0, 0.45])
def test_thinned_frontiers_of_generated_scenarios_against_brute_force(
    parties: int, max_points: int, reservation: float
) -> None:
    scenario = random_additive_scenario(parties, 6, 3, seed=parties, reservation=reservation)
    compiled = compile_scenario(scenario)
    oracle = Oracle(scenario, compiled)
    thinned = pareto_frontier(compiled, max_points=max_points)
    assert not thinned.exact and 0 < thinned.epsilon < np.inf
    assert thinned.point_count <= max_points
    kept = thinned.utilities[:, oracle.voters]
    covered = near_floor = 0
    for row in np.flatnonzero(oracle.frontier):
        point = oracle.utilities[oracle.voters, row]
        if reservation > 0 and np.any(point < oracle.disagreement + thinned.epsilon):
            near_floor += 1  # the stated exception
            continue
        assert np.any(np.all(kept >= point - thinned.epsilon - 1e-9, axis=1))
        covered += 1
    assert covered > 0 or reservation > 0
    assert (near_floor > 0) <= ("reservation value" in thinned.reason)


@pytest.mark.parametrize("parties", [3, 4, 5, 6])
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("reservation", [0.0, 0.4])
def test_many_party_frontiers_equal_the_exact_oracle(
    parties: int, seed: int, reservation: float
) -> None:
    # Factors are added in merge order (most local points first), and running frontiers
    # past the working limit are thinned: with the default limit neither may change an
    # exact answer. Values are six-decimal numbers, which the oracle reads exactly; the
    # weights are normalised, so points are compared to nine decimals.
    scenario = random_additive_scenario(parties, 5, 3, seed=seed, reservation=reservation)
    compiled = compile_scenario(scenario)
    for game, oracle in (
        (compiled, ExactOracle(scenario)),
        (compiled.ignoring_reservation(), ExactOracle(scenario, ignoring_reservation=True)),
    ):
        frontier = pareto_frontier(game)
        assert frontier.exact
        assert frontier.size == len(oracle.frontier)
        listed = {tuple(row) for row in np.round(frontier.utilities[:, game.voter_indices], 9)}
        assert listed == {
            tuple(round(float(u), 9) for u in point) for point in oracle.frontier_points
        }


def test_two_party_frontier_at_plan_scale_without_enumeration() -> None:
    # 5**30 packages: far beyond enumeration; the frontier is built from the issues.
    compiled = compile_scenario(random_additive_scenario(2, 30, 5, seed=3))
    frontier = pareto_frontier(compiled)
    assert frontier.exact
    assert frontier.size is not None and frontier.size > 0
    vectors = frontier.utilities[:, compiled.voter_indices]
    assert nondominated_mask(np.round(vectors, RESOLUTION)).all()
    # Each party's best package (all of its favourite options) is on the frontier.
    assert np.isclose(vectors[:, 0].max(), 1.0)
    assert np.isclose(vectors[:, 1].max(), 1.0)


def test_interactions_and_combination_red_lines_join_issues(small) -> None:  # type: ignore[no-untyped-def]
    assert factors_of(small) == [(0, 1, 2)]
    assert factors_of(compile_scenario(random_additive_scenario(2, 4, 3, seed=1))) == [
        (0,),
        (1,),
        (2,),
        (3,),
    ]


# A scenario on which HiGHS's presolve once called a feasible sweep step infeasible (and,
# ignoring reservations, stopped with "solve error"): the sweep now solves without it.
PRESOLVE_TRAP = {
    "id": "presolve-trap",
    "issues": [
        {"id": "i0", "options": [{"id": "i0o0"}]},
        {"id": "i1", "options": [{"id": "i1o0"}, {"id": "i1o1"}, {"id": "i1o2"}]},
        {"id": "i2", "options": [{"id": "i2o0"}, {"id": "i2o1"}, {"id": "i2o2"}]},
        {"id": "i3", "options": [{"id": f"i3o{k}"} for k in range(4)]},
        {"id": "i4", "options": [{"id": f"i4o{k}"} for k in range(4)]},
    ],
    "parties": [
        {
            "id": "p0",
            "preferences": {
                "scale": "points",
                "values": {
                    "i0": {"i0o0": 0.0},
                    "i1": {"i1o0": 0.0, "i1o1": 0.0, "i1o2": -1.0},
                    "i2": {"i2o0": 0.0, "i2o1": 0.0, "i2o2": 0.0},
                    "i3": {"i3o0": 0.0, "i3o1": 1.0, "i3o2": 0.0, "i3o3": 0.0},
                    "i4": {"i4o0": 0.0, "i4o1": 0.0, "i4o2": 1.0, "i4o3": -1.0},
                },
            },
        },
        {
            "id": "p1",
            "preferences": {
                "values": {
                    "i0": {"i0o0": 0.0},
                    "i1": {"i1o0": 0.0, "i1o1": 0.0, "i1o2": 0.05},
                    "i2": {"i2o0": 0.938, "i2o1": 0.0, "i2o2": 0.4},
                    "i3": {"i3o0": 0.0, "i3o1": 0.0, "i3o2": 0.3, "i3o3": 0.5},
                    "i4": {"i4o0": 0.0, "i4o1": 0.0, "i4o2": 0.0, "i4o3": 1.0},
                }
            },
        },
    ],
}


def test_two_party_sweep_equals_the_oracle() -> None:
    for scenario in (Scenario.model_validate(PRESOLVE_TRAP),):
        for compiled, oracle in conventions(scenario):
            (packages, utilities), finished = sweep_two_party_frontier(compiled)
            assert finished
            voters = oracle.voters
            feasible_vectors = np.round(oracle.utilities[voters][:, oracle.feasible].T, 9)
            expected = {tuple(v) for v in feasible_vectors[nondominated_mask(feasible_vectors)]}
            assert {tuple(v) for v in np.round(utilities[:, voters], 9)} == expected
            assert len(packages) == len(expected)
            for package in packages:
                assert oracle.is_feasible(package)


def test_large_joined_groups_fall_back_to_the_sweep(small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(frontier_module, "MAX_FACTOR_PACKAGES", 5)
    frontier = pareto_frontier(small)
    assert frontier.exact and frontier.size is None
    assert "swept" in frontier.reason
    # The four frontier points of small.yaml, as the factor method finds them.
    expected = {(0.5, 0.8), (17 / 30, 0.68), (7 / 12, 0.5), (5 / 6, 0.4)}
    assert vector_set(frontier.utilities) == vector_set(np.array(sorted(expected)))
