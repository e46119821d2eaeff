"""Non-dominated filtering against the definition, in one to four dimensions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.pareto import nondominated_mask


def brute_force(points: np.ndarray) -> np.ndarray:
    keep = np.ones(len(points), dtype=bool)
    for i, point in enumerate(points):
        at_least = np.all(points >= point, axis=1)
        better = np.any(points > point, axis=1)
        keep[i] = not np.any(at_least & better)
    return keep


@settings(max_examples=200)
@given(
    st.integers(1, 4).flatmap(
        lambda dims: st.lists(
            st.lists(st.integers(0, 6), min_size=dims, max_size=dims), min_size=1, max_size=300
        )
    )
)
def test_mask_matches_the_definition_with_ties(rows: list[list[int]]) -> None:
    points = np.array(rows, dtype=float)
    assert np.array_equal(nondominated_mask(points), brute_force(points))


def test_large_random_sets_in_three_and_four_dimensions() -> None:
    rng = np.random.default_rng(7)
    for dims in (3, 4):
        points = np.round(rng.random((3000, dims)), 2)
        assert np.array_equal(nondominated_mask(points), brute_force(points))


def test_empty_input() -> None:
    assert nondominated_mask(np.zeros((0, 3))).shape == (0,)
