"""Non-dominated filtering of utility vectors (maximisation), keeping ties.

A point is dominated when another is at least as good for every party and better for one.
Points with identical vectors do not dominate each other, so both are kept. Comparisons are
exact: callers that want values within a tolerance to tie pass
:func:`accord.analysis.ties.tie_ranks` of their vectors.

In three or more dimensions the filter is the divide and conquer of Kung, Luccio and
Preparata ("On finding the maxima of a set of vectors", J. ACM 22(4), 1975), in
``O(N log^(d-1) N)`` comparisons instead of the ``O(N K)`` of comparing every point with
every kept one: split the points at the median of one coordinate, filter each half, then
remove from the lower half what the upper half dominates. That last step, "is this point
weakly dominated by one of those", is itself split at medians coordinate by coordinate
until two coordinates are left, where a sort and a running maximum answer it (Bentley,
"Multidimensional divide-and-conquer", CACM 23(4), 1980). Small subproblems are compared
pairwise, vectorised with numpy.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.space import BoolArray, FloatArray, IntArray

_LEAF = 64  # points: below this, compare pairwise
_LEAF_PAIRS = 16_384  # pairs of (candidate, dominator): below this, compare pairwise


def nondominated_mask(points: FloatArray | IntArray) -> BoolArray:
    """``(N,)`` mask of the rows of ``points`` (``(N, d)``) that no other row dominates."""
    count, dims = points.shape
    if count == 0:
        return np.zeros(0, dtype=np.bool_)
    if dims == 1:
        result: BoolArray = points[:, 0] == points[:, 0].max()
        return result
    # Work on distinct vectors of exact ranks: then "at least as good everywhere" means
    # "dominates", and every comparison below is between small integers.
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    ranks = np.stack(
        [np.unique(distinct[:, k], return_inverse=True)[1].ravel() for k in range(dims)], axis=1
    ).astype(np.int64)
    keep = np.zeros(len(distinct), dtype=np.bool_)
    keep[_maxima(ranks, np.arange(len(ranks)), tuple(range(dims)))] = True
    mask: BoolArray = keep[inverse.ravel()]
    return mask


def _maxima(ranks: IntArray, rows: IntArray, dims: tuple[int, ...]) -> IntArray:
    """The rows (distinct on ``dims``) that no other row weakly dominates on ``dims``."""
    if len(rows) <= 1:
        return rows
    if len(dims) == 1:
        column = ranks[rows, dims[0]]
        result: IntArray = rows[column == column.max()]
        return result
    if len(dims) == 2:
        return rows[_two_dimensional_maxima(ranks[rows][:, list(dims)])]
    if len(rows) <= _LEAF:
        sub = ranks[rows][:, list(dims)]
        return rows[~_weakly_dominated(sub, sub, distinct=True)]
    split = dims[0]
    column = ranks[rows, split]
    median = _median_below_top(column)
    if median is None:  # every row ties on this coordinate: it decides nothing
        return _maxima(ranks, rows, dims[1:])
    upper = _maxima(ranks, rows[column > median], dims)
    lower = _maxima(ranks, rows[column <= median], dims)
    # An upper row beats a lower one on ``split`` already: it dominates it when it is at
    # least as good on the others.
    lower = lower[~_dominated_by(ranks, lower, upper, dims[1:])]
    return np.concatenate((upper, lower))


def _dominated_by(
    ranks: IntArray, candidates: IntArray, others: IntArray, dims: tuple[int, ...]
) -> BoolArray:
    """Which ``candidates`` some row of ``others`` is at least as good as on every ``dims``."""
    if len(candidates) == 0 or len(others) == 0:
        return np.zeros(len(candidates), dtype=np.bool_)
    if len(dims) == 1:
        result: BoolArray = ranks[candidates, dims[0]] <= ranks[others, dims[0]].max()
        return result
    if len(dims) == 2:
        return _two_dimensional_dominated(
            ranks[candidates][:, list(dims)], ranks[others][:, list(dims)]
        )
    if len(candidates) * len(others) <= _LEAF_PAIRS:
        return _weakly_dominated(
            ranks[candidates][:, list(dims)], ranks[others][:, list(dims)], distinct=False
        )
    split = dims[0]
    candidate_column = ranks[candidates, split]
    other_column = ranks[others, split]
    median = _median_below_top(np.concatenate((candidate_column, other_column)))
    if median is None:
        return _dominated_by(ranks, candidates, others, dims[1:])
    high_candidates = candidate_column > median
    high_others = others[other_column > median]
    low_others = others[other_column <= median]
    dominated = np.zeros(len(candidates), dtype=np.bool_)
    # A candidate above the median can only be matched by others above it; one at or below
    # is matched by others at or below on every coordinate, or by others above it on
    # ``split`` (already at least as good there) and on the rest.
    dominated[high_candidates] = _dominated_by(
        ranks, candidates[high_candidates], high_others, dims
    )
    low = np.flatnonzero(~high_candidates)
    low_dominated = _dominated_by(ranks, candidates[low], low_others, dims)
    still = low[~low_dominated]
    dominated[low[low_dominated]] = True
    dominated[still] = _dominated_by(ranks, candidates[still], high_others, dims[1:])
    return dominated


def _median_below_top(column: IntArray) -> int | None:
    """A split value with rows on both sides (some above it), or ``None`` if all are equal."""
    top = int(column.max())
    median = int(np.partition(column, len(column) // 2)[len(column) // 2])
    if median < top:
        return median
    below = column[column < top]
    return int(below.max()) if len(below) else None


def _weakly_dominated(candidates: IntArray, others: IntArray, distinct: bool) -> BoolArray:
    """Which candidates some other row is at least as good as everywhere, pairwise.

    With ``distinct`` the two sets are the same rows, all different: a row does not count
    against itself.
    """
    at_least = np.all(others[None, :, :] >= candidates[:, None, :], axis=2)
    if distinct:
        np.fill_diagonal(at_least, False)
    result: BoolArray = at_least.any(axis=1)
    return result


def _two_dimensional_maxima(points: IntArray) -> IntArray:
    """Indices of the distinct 2-d points no other is at least as good as on both."""
    # Sort by the first coordinate descending, then the second descending: a point survives
    # when its second coordinate beats every point before it.
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    second = points[order, 1]
    best_before = np.concatenate(([np.iinfo(np.int64).min], np.maximum.accumulate(second)[:-1]))
    result: IntArray = order[second > best_before]
    return result


def _two_dimensional_dominated(candidates: IntArray, others: IntArray) -> BoolArray:
    """Which candidates some row of ``others`` is at least as good as on both coordinates."""
    # Others sorted by the first coordinate descending; the best second coordinate among
    # those at least as good on the first is a running maximum, found by binary search.
    order = np.argsort(-others[:, 0], kind="stable")
    firsts = -others[order, 0]  # ascending
    best_second = np.maximum.accumulate(others[order, 1])
    reach = np.searchsorted(firsts, -candidates[:, 0], side="right")  # others with first >= c
    dominated = np.zeros(len(candidates), dtype=np.bool_)
    some = reach > 0
    dominated[some] = best_second[reach[some] - 1] >= candidates[some, 1]
    return dominated
