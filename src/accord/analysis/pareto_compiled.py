"""A compiled non-dominated filter for large inputs: a k-d tree of dominance boxes.

Used by :mod:`accord.analysis.pareto` for inputs of many rows, on the same input (distinct
rows of non-negative integer ranks) and with the same answer as its divide and conquer.
The rows are put in a k-d tree (split at the median of the widest column, down to leaves
of :data:`_LEAF` rows), each node holding the box of its rows: its least and greatest
value in each column. A row is dominated when some other row is at least as good in
every column; the search for one skips a node whose greatest values fall below the row
in some column, and stops at a node whose least values are all at least the row's (any
other row in it dominates). The rows of a frontier lie on a surface, and a row's search
meets only the boxes near it on that surface: about a hundred nodes for a few hundred
thousand four-dimensional rows, against the ``log^3`` passes of the divide and conquer,
and each visit is a few compiled comparisons instead of numpy calls.

Measured on saved inputs of 4 x 27 x 4's last steps and found no faster, so not kept: the
divide and conquer itself compiled, searching only the rows already found not dominated
(taken by decreasing sum), pruning nodes by their largest row sum, and a tree over rows
in Morton order (cheaper to build, but its boxes are looser).

Using it costs a fixed amount per process: importing numba (about 0.3 s of CPU) and
loading the cached machine code (about 0.6 s; numba imports scipy then, when installed).
The first use on a machine, or after this file changes, compiles it (about 15 s of CPU;
numba caches the code beside this file). :mod:`accord.analysis.pareto` therefore uses it
only for inputs large enough to gain, and works without it when numba is not installed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from accord.analysis.space import BoolArray
from accord.analysis.ties import RankArray

_LEAF = 32  # rows in a leaf, compared one by one (measured: 8 to 48 within 20 %, 32 ahead)


def compiled_maxima(points: RankArray) -> BoolArray:
    """Mask of the rows (distinct, non-negative integers) no other row weakly dominates."""
    ranks = np.ascontiguousarray(points, dtype=np.int64)
    if ranks.shape[0] <= 1:
        return np.ones(ranks.shape[0], dtype=np.bool_)
    result: BoolArray = _kd_maxima(ranks, _LEAF)
    return result


@njit(cache=True, nogil=True)
def _kd_maxima(points, leaf):  # type: ignore[no-untyped-def]
    count, dims = points.shape
    # The rows, reordered into the tree's order as it is built: a node is a range of them.
    tree = points.copy()
    order = np.arange(count)
    capacity = 4 * (count // leaf + 1) + 1
    start = np.empty(capacity, dtype=np.int64)
    end = np.empty(capacity, dtype=np.int64)
    children = np.full(capacity, -1, dtype=np.int64)  # the lower child; the upper is next
    least = np.empty((capacity, dims), dtype=np.int64)
    greatest = np.empty((capacity, dims), dtype=np.int64)
    scratch = np.empty((count, dims), dtype=np.int64)
    scratch_order = np.empty(count, dtype=np.int64)
    nodes = 1
    start[0], end[0] = 0, count
    stack = np.empty(capacity, dtype=np.int64)
    stack[0] = 0
    depth = 1
    while depth:
        depth -= 1
        node = stack[depth]
        first, last = start[node], end[node]
        for k in range(dims):
            least[node, k] = tree[first, k]
            greatest[node, k] = tree[first, k]
        for position in range(first + 1, last):
            for k in range(dims):
                value = tree[position, k]
                if value < least[node, k]:
                    least[node, k] = value
                elif value > greatest[node, k]:
                    greatest[node, k] = value
        if last - first <= leaf:
            continue
        widest = 0
        for k in range(1, dims):
            if greatest[node, k] - least[node, k] > greatest[node, widest] - least[node, widest]:
                widest = k
        if greatest[node, widest] == least[node, widest]:
            continue  # all rows equal (cannot happen for distinct rows): a leaf
        half = (last - first) // 2
        median = np.partition(tree[first:last, widest].copy(), half)[half]
        # Rows below the median, then equal to it, then above; the halves split at ``half``.
        placed = 0
        for side in range(3):
            for position in range(first, last):
                value = tree[position, widest]
                if (
                    (side == 0 and value < median)
                    or (side == 1 and value == median)
                    or (side == 2 and value > median)
                ):
                    for k in range(dims):
                        scratch[placed, k] = tree[position, k]
                    scratch_order[placed] = order[position]
                    placed += 1
        for offset in range(placed):
            for k in range(dims):
                tree[first + offset, k] = scratch[offset, k]
            order[first + offset] = scratch_order[offset]
        middle = first + half
        children[node] = nodes
        start[nodes], end[nodes] = first, middle
        start[nodes + 1], end[nodes + 1] = middle, last
        stack[depth] = nodes
        stack[depth + 1] = nodes + 1
        depth += 2
        nodes += 2
    kept_in_tree_order = np.ones(count, dtype=np.bool_)
    for row in range(count):  # in the tree's order: neighbours search the same nodes
        depth = 1
        stack[0] = 0
        found = False
        while depth and not found:
            depth -= 1
            node = stack[depth]
            reaches = True
            covers = True
            for k in range(dims):
                if greatest[node, k] < tree[row, k]:
                    reaches = False
                    break
                if least[node, k] < tree[row, k]:
                    covers = False
            if not reaches:
                continue
            first, last = start[node], end[node]
            if covers:  # every row here is at least as good: one other than ``row`` will do
                found = last - first >= 2 or not (first <= row < last)
                continue
            if children[node] < 0:
                for other in range(first, last):
                    if other == row:
                        continue
                    beats = True
                    for k in range(dims):
                        if tree[other, k] < tree[row, k]:
                            beats = False
                            break
                    if beats:
                        found = True
                        break
                continue
            stack[depth] = children[node]
            stack[depth + 1] = children[node] + 1  # the upper half first
            depth += 2
        kept_in_tree_order[row] = not found
    kept = np.empty(count, dtype=np.bool_)
    kept[order] = kept_in_tree_order
    return kept
