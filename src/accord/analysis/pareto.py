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
    # A dominating point has a strictly larger sum, so in order of decreasing sum a point
    # can only be dominated by points before it; points dropped earlier are dominated by
    # points kept, so comparing with the kept ones suffices.
    order = np.argsort(-points.sum(axis=1), kind="stable")
    kept_rows: list[int] = []
    kept = np.zeros((0, points.shape[1]))
    for start in range(0, len(order), _CHUNK):
        rows = order[start : start + _CHUNK]
        chunk = points[rows]
        alive = ~_dominated_by(chunk, kept)
        inside = _dominated_by(chunk, chunk)
        alive &= ~inside
        kept_rows.extend(rows[alive].tolist())
        kept = np.concatenate((kept, chunk[alive]))
    mask = np.zeros(len(points), dtype=np.bool_)
    mask[kept_rows] = True
    return mask


def _dominated_by(candidates: FloatArray, others: FloatArray) -> BoolArray:
    """Which candidates some row of ``others`` dominates."""
    if len(others) == 0:
        return np.zeros(len(candidates), dtype=np.bool_)
    dominated = np.zeros(len(candidates), dtype=np.bool_)
    for start in range(0, len(others), 4096):
        block = others[start : start + 4096]
        at_least = (block[None, :, :] >= candidates[:, None, :]).all(axis=2)
        better = np.any(block[None, :, :] > candidates[:, None, :], axis=2)
        dominated |= (at_least & better).any(axis=1)
    return dominated
