"""Thinning a frontier on a grid, with the certified epsilon of what it drops.

When the running frontier of :mod:`accord.analysis.frontier` outgrows its limit, the
utility space is cut into cubes and one vector is kept per occupied cube: an
epsilon-Pareto set (Papadimitriou and Yannakakis, "On the approximability of trade-offs",
FOCS 2000) whose epsilon, the cube side, is certified by the proof in :func:`thin`.
"""

from __future__ import annotations

import math

import numpy as np

from accord.analysis.space import FloatArray, IntArray
from accord.analysis.ties import distinct_rows


def thin(vectors: FloatArray, max_points: int) -> tuple[IntArray, float]:
    """At most ``max_points`` of the mutually non-dominated ``vectors``, and the epsilon.

    The vectors' space is cut into cubes of side ``step`` (anchored at the smallest values);
    in each cube the vector with the largest sum is kept.

    Guarantee: every dropped vector ``p`` has a kept ``q`` with ``q_i > p_i - step`` for
    every voter ``i``. Proof: ``p`` shares a cube with the vector ``q`` kept there, so
    ``|q_i - p_i| < step`` for all ``i``. Later steps add the same factor vector to ``p``
    and ``q``, which keeps the inequality, and a later thinning adds its own step: after
    several, every point of the true running frontier is within the sum of the steps of a
    kept one. The kept vectors are a subset of non-dominated ones, so they need no second
    dominance filter.
    """
    step = thinning_step(vectors, max_points)
    order = np.argsort(-vectors.sum(axis=1), kind="stable")
    first, _ = distinct_rows(_cells(vectors[order], vectors.min(axis=0), step))
    return np.sort(order[first]), step


def thinning_step(vectors: FloatArray, max_points: int) -> float:
    """Nearly the smallest cube side leaving at most ``max_points`` occupied cubes.

    Found by bisection on a logarithmic scale (to within 5 %), so that the certified
    epsilon is as small as the bound allows: a frontier barely above ``max_points`` is
    thinned on a fine grid, not on one sized for a surface of ``max_points`` cells.
    """
    low = vectors.min(axis=0)
    span = float(np.max(vectors.max(axis=0) - low)) or 1.0

    def fits(step: float) -> bool:
        return _occupied(_cells(vectors, low, step)) <= max_points

    # A (dims-1)-dimensional surface crossed by cubes of side s meets about
    # (span/s)**(dims-1) of them: start there, then halve or double to bracket the side.
    dims = vectors.shape[1]
    fitting = span / max(max_points ** (1.0 / max(dims - 1, 1)), 1.0)
    while not fits(fitting):
        fitting *= 2.0
    too_small = fitting / 2.0
    while fits(too_small) and too_small > span * 1e-9:
        fitting, too_small = too_small, too_small / 2.0
    while fitting / too_small > 1.05:
        middle = math.sqrt(fitting * too_small)
        if fits(middle):
            fitting = middle
        else:
            too_small = middle
    return float(fitting)


def _cells(vectors: FloatArray, low: FloatArray, step: float) -> IntArray:
    """The cube of each vector: non-negative integer coordinates."""
    return np.floor((vectors - low) / step).astype(np.int64)


def _occupied(cells: IntArray) -> int:
    """How many distinct rows ``cells`` has (one sort of packed keys when they fit)."""
    sizes = cells.max(axis=0) + 1
    if float(np.sum(np.log2(sizes))) >= 62:
        return len(distinct_rows(cells)[0])
    keys = np.zeros(len(cells), dtype=np.int64)
    for k, size in enumerate(sizes):
        keys = keys * int(size) + cells[:, k]
    keys.sort()
    return int(np.count_nonzero(np.diff(keys))) + 1 if len(keys) else 0
