"""When two utilities count as equal: one rule for every comparison the analysis makes.

Utilities are sums of floating-point numbers, so two packages worth the same to a party can
differ in the last bits depending on the order in which their terms were added (0.1 + 0.2
is not 0.3). Every comparison of final or partial sums in the frontier, the counts, the
solutions and the blockers therefore treats two values as equal when they are within
:data:`TIE_TOLERANCE`. Rounding each term first would not do: two sums of rounded terms
can still straddle a rounding boundary, which is how a dominated package used to survive.

The answers are exact whenever the distinct values a party can reach differ by more than
the tolerance, which holds for inputs given as decimals with up to about eight digits (or
fractions such as thirds written to full float precision): the rounding error of a sum of
a few hundred such terms is below 1e-13, far inside 1e-9, while two different sums of them
differ by far more.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.space import FloatArray, IntArray

RankArray = NDArray[np.signedinteger[Any]]
"""Integer ranks (int32 or int64): comparing them is exact."""

TIE_TOLERANCE = 1e-9
"""Utilities (and gains, shares, sums of them) closer than this are ties."""


def tie_ranks(values: FloatArray, tolerance: float = TIE_TOLERANCE) -> IntArray:
    """Each column's values replaced by their rank, values within ``tolerance`` sharing one.

    ``values`` is ``(N, d)``. In each column, sorted values are cut into groups wherever two
    neighbours are more than ``tolerance`` apart; a value's rank is its group's position.
    Comparing ranks is then exact and transitive, which comparing floats with a tolerance is
    not: larger rank means larger by more than the tolerance, equal rank means tied.
    """
    count, dims = values.shape
    ranks = np.empty((count, dims), dtype=np.int64)
    if count == 0:
        return ranks
    for column in range(dims):
        # Equal values fall in one group in any order, so an unstable sort (several times
        # faster than a stable one) gives the same ranks.
        order = np.argsort(values[:, column])
        ordered = values[order, column]
        new_group = np.empty(count, dtype=np.int64)
        new_group[0] = 0
        new_group[1:] = np.diff(ordered) > tolerance
        ranks[order, column] = np.cumsum(new_group)
    return ranks


def distinct_rows(ranks: RankArray) -> tuple[IntArray, IntArray]:
    """``(first, inverse)`` of the distinct rows of non-negative integer ``ranks``.

    As ``np.unique(ranks, axis=0, return_index=True, return_inverse=True)`` (rows in
    lexicographic order, ``first`` the first row of each), but rows are packed into one
    int64 key each, which sorts an order of magnitude faster than rows compared as records.
    When the columns' sizes do not fit in 62 bits together, the columns packed so far are
    replaced by their dense rank (which keeps their order) before the next is added.
    """
    count, dims = ranks.shape
    if count == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = np.asarray(ranks[:, 0], dtype=np.int64)
    bits = math.log2(int(keys.max()) + 1)
    for k in range(1, dims):
        size = int(ranks[:, k].max()) + 1
        if bits + math.log2(size) >= 62:
            keys = _distinct_keys(keys)[1]
            bits = math.log2(int(keys.max()) + 1)
        keys = keys * size + ranks[:, k]
        bits += math.log2(size)
    return _distinct_keys(keys)


def _distinct_keys(keys: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(keys, return_index=True, return_inverse=True)[1:]``, without its stable
    sort: an unstable one, and each group's first row as the least row index in it."""
    order = np.argsort(keys)
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    first = np.minimum.reduceat(order, starts)
    group = np.cumsum(np.concatenate(([0], (ordered[1:] != ordered[:-1]).astype(np.int64))))
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = group
    return first.astype(np.int64), inverse
