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

From :data:`COMPILED_FROM` rows on, and when numba is installed, the filter is
:mod:`accord.analysis.pareto_compiled` instead: a compiled k-d tree search with the same
answer, two to three times faster on the frontiers' last steps (the divide and conquer's
recursion is tens of thousands of numpy calls there). Below that size importing numba
would cost more than it saves.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable

import numpy as np

from accord.analysis.space import BoolArray, FloatArray
from accord.analysis.ties import RankArray as IntArray
from accord.analysis.ties import distinct_rows

_LEAF = 256  # points: below this, compare pairwise
_LEAF_PAIRS = 65_536  # pairs of (candidate, dominator): below this, compare pairwise
_THIN_SIDE = 64  # ... or when one side has at most this many rows (splitting gains little)
COMPILED_FROM = 50_000  # rows (of three or more columns) from which the compiled filter runs


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
    ranks = np.stack(
        [np.unique(points[:, k], return_inverse=True)[1].ravel() for k in range(dims)], axis=1
    ).astype(np.int32)  # ranks are below the row count: halve the memory traffic
    first, inverse = distinct_rows(ranks)
    mask: BoolArray = _distinct_maxima(ranks[first])[inverse]
    return mask


def nondominated_distinct_ranks(ranks: IntArray) -> BoolArray:
    """As :func:`nondominated_mask`, for rows already distinct non-negative integer ranks
    (as :func:`accord.analysis.ties.tie_ranks` and ``distinct_rows`` make them)."""
    if len(ranks) == 0:
        return np.zeros(0, dtype=np.bool_)
    return _distinct_maxima(ranks.astype(np.int32))


def _distinct_maxima(ranks: IntArray) -> BoolArray:
    """:func:`_maxima`, compiled for large inputs when numba is installed."""
    count, dims = ranks.shape
    if count >= COMPILED_FROM and dims >= 3:
        compiled = _compiled_filter()
        if compiled is not None:
            return compiled(ranks)
    return _maxima(ranks)


@functools.cache
def _compiled_filter() -> Callable[[IntArray], BoolArray] | None:
    """The compiled filter, or ``None`` when numba is not installed or cannot load it."""
    if importlib.util.find_spec("numba") is None:
        return None
    try:
        from accord.analysis.pareto_compiled import compiled_maxima
    except (ImportError, RuntimeError):  # a broken install, or nowhere to cache its code
        return None
    return compiled_maxima


def _maxima(points: IntArray) -> BoolArray:
    """Mask of the rows (all distinct) that no other row weakly dominates on every column."""
    count, dims = points.shape
    if count <= 1:
        return np.ones(count, dtype=np.bool_)
    if dims == 1:
        result: BoolArray = points[:, 0] == points[:, 0].max()
        return result
    if dims == 2:
        mask = np.zeros(count, dtype=np.bool_)
        mask[_two_dimensional_maxima(points)] = True
        return mask
    if count <= _LEAF:
        return ~_weakly_dominated(points, points, distinct=True)
    column = points[:, 0]
    median = _median_below_top(column)
    if median is None:  # every row ties on this coordinate: it decides nothing
        return _maxima(np.ascontiguousarray(points[:, 1:]))
    is_upper = column > median
    upper_rows = np.flatnonzero(is_upper)
    lower_rows = np.flatnonzero(~is_upper)
    upper = points[upper_rows]
    lower = points[lower_rows]
    upper_kept = _maxima(upper)
    lower_kept = _maxima(lower)
    # An upper row beats a lower one on this coordinate already: it dominates it when it is
    # at least as good on the others.
    survivors = np.flatnonzero(lower_kept)
    beaten = _dominated_by(
        np.ascontiguousarray(lower[survivors, 1:]), np.ascontiguousarray(upper[upper_kept, 1:])
    )
    mask = np.zeros(count, dtype=np.bool_)
    mask[upper_rows[upper_kept]] = True
    mask[lower_rows[survivors[~beaten]]] = True
    return mask


def _dominated_by(candidates: IntArray, others: IntArray) -> BoolArray:
    """Which ``candidates`` some row of ``others`` is at least as good as on every column."""
    count, dims = candidates.shape
    if count == 0 or len(others) == 0:
        return np.zeros(count, dtype=np.bool_)
    if dims == 1:
        result: BoolArray = candidates[:, 0] <= others[:, 0].max()
        return result
    if dims == 2:
        return _two_dimensional_dominated(candidates, others)
    if count * len(others) <= _LEAF_PAIRS or min(count, len(others)) <= _THIN_SIDE:
        return _weakly_dominated(candidates, others, distinct=False)
    candidate_column = candidates[:, 0]
    other_column = others[:, 0]
    median = _median_below_top(np.concatenate((candidate_column, other_column)))
    if median is None:
        return _dominated_by(candidates[:, 1:], others[:, 1:])
    high = candidate_column > median
    high_others = others[other_column > median]
    low_others = others[other_column <= median]
    dominated = np.zeros(count, dtype=np.bool_)
    # A candidate above the median can only be matched by others above it; one at or below
    # is matched by others at or below on every coordinate, or by others above it on this
    # one (already at least as good there) and on the rest.
    dominated[high] = _dominated_by(candidates[high], high_others)
    low = np.flatnonzero(~high)
    low_candidates = candidates[low]
    low_dominated = _dominated_by(low_candidates, low_others)
    dominated[low[low_dominated]] = True
    still = ~low_dominated
    dominated[low[still]] = _dominated_by(
        np.ascontiguousarray(low_candidates[still, 1:]), np.ascontiguousarray(high_others[:, 1:])
    )
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
    # One coordinate at a time: a 2-d table of pairs instead of a 3-d one.
    at_least: BoolArray = others[None, :, 0] >= candidates[:, None, 0]
    if distinct:
        np.fill_diagonal(at_least, False)
    for k in range(1, candidates.shape[1]):
        np.logical_and(at_least, others[None, :, k] >= candidates[:, None, k], out=at_least)
    return np.asarray(at_least.any(axis=1), dtype=np.bool_)


def _two_dimensional_maxima(points: IntArray) -> IntArray:
    """Indices of the distinct 2-d points no other is at least as good as on both."""
    # Sort by the first coordinate descending, then the second descending: a point survives
    # when its second coordinate beats every point before it.
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    second = points[order, 1]
    best_before = np.concatenate(([-1], np.maximum.accumulate(second)[:-1]))
    result: IntArray = order[second > best_before]
    return result


def _two_dimensional_dominated(candidates: IntArray, others: IntArray) -> BoolArray:
    """Which candidates some row of ``others`` is at least as good as on both coordinates."""
    # Others sorted by the first coordinate descending; the best second coordinate among
    # those at least as good on the first is a running maximum, found by binary search.
    order = np.argsort(-others[:, 0])
    firsts = -others[order, 0]  # ascending
    best_second = np.maximum.accumulate(others[order, 1])
    reach = np.searchsorted(firsts, -candidates[:, 0], side="right")  # others with first >= c
    dominated = np.zeros(len(candidates), dtype=np.bool_)
    some = reach > 0
    dominated[some] = best_second[reach[some] - 1] >= candidates[some, 1]
    return dominated
