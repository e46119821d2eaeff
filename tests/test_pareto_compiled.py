"""The compiled k-d tree filter against the definition and against the numpy filter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.analysis.frontier as frontier_module
import accord.analysis.pareto as pareto_module
from accord.analysis.compiled import compile_scenario
from accord.analysis.pareto import nondominated_mask
from accord.analysis.pareto_compiled import compiled_maxima
from accord.analysis.ties import distinct_rows
from accord.scenario.generate import random_additive_scenario


def weakly_dominated_by_another(points: np.ndarray) -> np.ndarray:
    """The definition, for distinct rows: some other row is at least as good everywhere."""
    at_least = np.all(points[None, :, :] >= points[:, None, :], axis=2)
    np.fill_diagonal(at_least, False)
    return np.asarray(at_least.any(axis=1))


def distinct(rows: list[list[int]]) -> np.ndarray:
    points = np.array(rows, dtype=np.int64)
    first, _ = distinct_rows(points)
    return points[np.sort(first)]  # distinct rows, in the order drawn


@settings(max_examples=300)
@given(
    st.integers(1, 6).flatmap(
        lambda dims: st.lists(
            st.lists(st.integers(0, 4), min_size=dims, max_size=dims), min_size=1, max_size=400
        )
    )
)
def test_compiled_filter_matches_the_definition_on_tie_heavy_rows(rows: list[list[int]]) -> None:
    points = distinct(rows)
    assert np.array_equal(compiled_maxima(points), ~weakly_dominated_by_another(points))


@settings(max_examples=40)
@given(st.integers(3, 6), st.integers(2, 40), st.integers(0, 2**32 - 1))
def test_compiled_filter_matches_the_numpy_filter(dims: int, values: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = distinct(rng.integers(0, values, (3000, dims)).tolist())
    assert np.array_equal(compiled_maxima(points), pareto_module._maxima(points))


def test_compiled_filter_on_a_frontier_like_surface() -> None:
    # Rows near the simplex's surface: most survive, as in the frontier's last steps.
    rng = np.random.default_rng(3)
    raw = rng.dirichlet(np.ones(4), 20_000) + rng.normal(0, 0.002, (20_000, 4))
    ranks = np.stack([np.unique(raw[:, k], return_inverse=True)[1] for k in range(4)], axis=1)
    points = ranks[np.sort(distinct_rows(ranks)[0])]
    expected = pareto_module._maxima(points.astype(np.int32))
    assert 0 < expected.sum() < len(points)
    assert np.array_equal(compiled_maxima(points), expected)


def test_single_and_empty_inputs() -> None:
    assert compiled_maxima(np.zeros((0, 4), dtype=np.int64)).shape == (0,)
    assert compiled_maxima(np.zeros((1, 4), dtype=np.int64)).tolist() == [True]


@pytest.mark.parametrize("path", ["compiled", "numpy", "numba missing"])
def test_nondominated_mask_is_the_same_on_every_path(
    monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setattr(pareto_module, "COMPILED_FROM", 10**12 if path == "numpy" else 1)
    if path == "numba missing":
        monkeypatch.setattr(pareto_module, "_compiled_filter", lambda: None)
    else:
        assert pareto_module._compiled_filter() is compiled_maxima
    rng = np.random.default_rng(11)
    points = np.round(rng.random((2000, 4)), 1)
    keep = np.ones(len(points), dtype=bool)
    for i, point in enumerate(points):
        at_least = np.all(points >= point, axis=1)
        keep[i] = not np.any(at_least & np.any(points > point, axis=1))
    assert np.array_equal(nondominated_mask(points), keep)


@pytest.mark.parametrize(("voters", "issues", "options"), [(3, 7, 4), (4, 6, 3), (5, 5, 3)])
def test_frontiers_are_the_same_with_the_compiled_filter(
    monkeypatch: pytest.MonkeyPatch, voters: int, issues: int, options: int
) -> None:
    compiled = compile_scenario(random_additive_scenario(voters, issues, options, seed=issues))
    monkeypatch.setattr(pareto_module, "COMPILED_FROM", 10**12)
    plain = frontier_module.pareto_frontier(compiled)
    monkeypatch.setattr(pareto_module, "COMPILED_FROM", 2)
    fast = frontier_module.pareto_frontier(compiled)
    assert fast.exact and plain.exact and fast.size == plain.size
    assert np.array_equal(fast.packages, plain.packages)
    assert fast.multiplicity == plain.multiplicity
