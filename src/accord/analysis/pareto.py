"""Non-dominated filtering of utility vectors (maximisation), keeping ties.

A point is dominated when another is at least as good for every party and better for one.
Points with identical vectors do not dominate each other, so both are kept. Callers pass
vectors already rounded to the resolution at which ties should count as ties.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.space import BoolArray, FloatArray

_CHUNK = 512


def nondominated_mask(points: FloatArray) -> BoolArray:
    """``(N,)`` mask of the rows of ``points`` (``(N, d)``) that no other row dominates."""
    count, dims = points.shape
    if count == 0:
        return np.zeros(0, dtype=np.bool_)
    if dims == 1:
        result: BoolArray = points[:, 0] == points[:, 0].max()
        return result
    if dims == 2:
        return _two_dimensional(points)
    return _by_sum_order(points)


def _two_dimensional(points: FloatArray) -> BoolArray:
    # Sort by first utility descending, then second descending. A point survives when it
    # has the largest second utility within its group of equal first utilities and that
    # value beats every group with a larger first utility.
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    first = points[order, 0]
    second = points[order, 1]
    new_group = np.empty(len(first), dtype=np.bool_)
    new_group[0] = True
    new_group[1:] = first[1:] != first[:-1]
    group = np.cumsum(new_group) - 1
    group_best = second[new_group]  # sorted descending within group: the first is the max
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(group_best)[:-1]))
    keep_sorted = (second == group_best[group]) & (second > best_before[group])
    mask = np.zeros(len(points), dtype=np.bool_)
    mask[order] = keep_sorted
    return mask


def _by_sum_order(points: FloatArray) -> BoolArray:
    # Work on distinct vectors: then "at least as good everywhere" means "dominates".
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    alive = ~_dominated_by(distinct, _anchors(distinct))
    rows = np.flatnonzero(alive)
    # A dominating vector has a strictly larger sum, so in order of decreasing sum a vector
    # can only be dominated by vectors before it; those dropped earlier are dominated by
    # ones kept, so comparing with the kept ones suffices.
    rows = rows[np.argsort(-distinct[rows].sum(axis=1), kind="stable")]
    kept_rows: list[int] = []
    kept = np.zeros((0, points.shape[1]))
    for start in range(0, len(rows), _CHUNK):
        chunk_rows = rows[start : start + _CHUNK]
        chunk = distinct[chunk_rows]
        survive = ~_dominated_by(chunk, kept) & ~_dominated_by(chunk, chunk)
        kept_rows.extend(chunk_rows[survive].tolist())
        kept = np.concatenate((kept, chunk[survive]))
    keep_distinct = np.zeros(len(distinct), dtype=np.bool_)
    keep_distinct[kept_rows] = True
    result: BoolArray = keep_distinct[inverse.ravel()]
    return result


def _anchors(points: FloatArray, count: int = 64) -> FloatArray:
    """Non-dominated vectors spread over the frontier: maximisers of positive weightings.

    Each maximiser of a strictly positive weighted sum is non-dominated; most dominated
    candidates are dominated by one of them, which makes the exact pass small.
    """
    dims = points.shape[1]
    weights = np.random.default_rng(0).dirichlet(np.ones(dims), size=count) + 1e-3
    chosen = np.unique(np.argmax(points @ weights.T, axis=0))
    anchors: FloatArray = points[chosen]
    return anchors


def _dominated_by(candidates: FloatArray, others: FloatArray) -> BoolArray:
    """Which candidates a *different* row of ``others`` weakly dominates (all rows distinct)."""
    if len(others) == 0 or len(candidates) == 0:
        return np.zeros(len(candidates), dtype=np.bool_)
    dominated = np.zeros(len(candidates), dtype=np.bool_)
    step = max(1, 2_000_000 // (len(candidates) * candidates.shape[1]))
    for start in range(0, len(others), step):
        block = others[start : start + step]
        at_least = np.all(block[None, :, :] >= candidates[:, None, :], axis=2)
        same = np.all(block[None, :, :] == candidates[:, None, :], axis=2)
        dominated |= np.any(at_least & ~same, axis=1)
    return dominated
