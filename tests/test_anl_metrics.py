"""The ANL 2023 organisers' "kalai" point and "opposition" on small hand-made frontiers.

The oracle is the organisers' own loop (``Domain.calculate_specials`` in
``utils/create_domains.py`` of github.com/brenting/ANL-2023-example-agent), written out
literally: the front in their enumeration order, sorted by party A's utility, and a pick
replaced only by a strictly smaller ``|uA - uB|``.
"""

from __future__ import annotations

import math
from random import Random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis.anl_metrics import anl_kalai_point, anl_opposition
from accord.analysis.frontier import Frontier
from accord.errors import AnalysisError


def frontier(
    points: list[tuple[float, ...]], packages: list[list[int]] | None = None, parties: int = 2
) -> Frontier:
    """A frontier of these utility vectors; package ``[i]`` for the ``i``-th by default."""
    rows = packages if packages is not None else [[index] for index in range(len(points))]
    return Frontier(
        packages=np.array(rows, dtype=np.int64).reshape(len(points), -1 if points else 1),
        utilities=np.array(points, dtype=np.float64).reshape(len(points), parties),
        multiplicity=(1,) * len(points),
        exact=True,
        epsilon=0.0,
        size=len(points),
    )


def organisers_kalai(points: list[tuple[float, float]]) -> int:
    """Index of their "kalai" pick; ``points`` are in their enumeration order."""
    front = sorted(range(len(points)), key=lambda index: points[index][0])
    kalai_diff, kalai = 10.0, -1
    for index in front:
        utility_a, utility_b = points[index]
        if abs(utility_a - utility_b) < kalai_diff:
            kalai, kalai_diff = index, abs(utility_a - utility_b)
    return kalai


def test_the_point_with_the_smallest_difference() -> None:
    points = [(0.2, 1.0), (0.5, 0.7), (0.7, 0.45), (1.0, 0.1)]
    point = anl_kalai_point(frontier(points))
    assert point is not None
    assert point.utilities.tolist() == [0.5, 0.7]
    assert point.package.tolist() == [1]
    assert anl_opposition(frontier(points)) == pytest.approx(math.sqrt(0.5**2 + 0.3**2))


def test_a_tie_goes_to_the_smaller_utility_of_party_a() -> None:
    # Listed with the larger uA first: the walk is by uA, not by the frontier's order.
    point = anl_kalai_point(frontier([(0.75, 0.25), (0.25, 0.75)]))
    assert point is not None
    assert point.utilities.tolist() == [0.25, 0.75]


def test_differences_equal_to_rounding_are_a_tie_but_larger_ones_are_not() -> None:
    near = anl_kalai_point(frontier([(0.75, 0.25), (0.25, 0.75 + 1e-14)]))
    assert near is not None
    assert near.utilities[0] == 0.25
    apart = anl_kalai_point(frontier([(0.75, 0.25), (0.25, 0.75 + 1e-6)]))
    assert apart is not None
    assert apart.utilities[0] == 0.75


def test_equal_utilities_of_a_go_in_package_order() -> None:
    # Two parties out of three: the same (uA, uB) can come with different packages.
    points = [(0.5, 0.9, 0.5), (0.5, 0.1, 0.5)]
    point = anl_kalai_point(frontier(points, [[1, 0], [0, 1]], parties=3), parties=(0, 2))
    assert point is not None
    assert point.package.tolist() == [0, 1]


def test_the_parties_are_columns_and_a_comes_first() -> None:
    # As (A, B) = (column 2, column 0) the tied points are (0.25, 0.75) and (0.75, 0.25).
    points = [(0.75, 0.0, 0.25), (0.25, 0.0, 0.75)]
    point = anl_kalai_point(frontier(points, parties=3), parties=(2, 0))
    assert point is not None
    assert point.utilities.tolist() == [0.75, 0.0, 0.25]
    assert anl_opposition(frontier(points, parties=3), parties=(2, 0)) == math.sqrt(
        0.75**2 + 0.25**2
    )


def test_the_corner_is_one_one_whatever_the_best_utilities() -> None:
    # Neither party can reach 1: the distance is still measured from (1, 1).
    assert anl_opposition(frontier([(0.5, 0.5)])) == math.sqrt(0.5)


def test_an_empty_frontier_has_no_point() -> None:
    empty = frontier([])
    assert anl_kalai_point(empty) is None
    assert anl_opposition(empty) is None


def test_an_approximate_frontier_is_refused() -> None:
    thinned = frontier([(0.5, 0.5)])
    object.__setattr__(thinned, "exact", False)
    with pytest.raises(AnalysisError, match="whole Pareto front"):
        anl_kalai_point(thinned)


@pytest.mark.parametrize("parties", [(0, 0), (0, 2), (-1, 0)])
def test_parties_must_be_two_different_columns(parties: tuple[int, int]) -> None:
    with pytest.raises(AnalysisError, match="two different party columns"):
        anl_kalai_point(frontier([(0.5, 0.5)]), parties=parties)


# Multiples of 1/64 add and subtract exactly, so ties are exact ties for both sides.
dyadic = st.integers(0, 64).map(lambda numerator: numerator / 64)


@given(st.lists(st.tuples(dyadic, dyadic), min_size=1, max_size=30), st.randoms())
def test_the_organisers_loop_picks_the_same_point(
    outcomes: list[tuple[float, float]], rng: Random
) -> None:
    # Their front: non-dominated outcomes, the first of equal ones, in enumeration order.
    front = [
        index
        for index, (a, b) in enumerate(outcomes)
        if not any(
            (c >= a and d >= b) and ((c, d) != (a, b) or other < index)
            for other, (c, d) in enumerate(outcomes)
            if other != index
        )
    ]
    points = [outcomes[index] for index in front]
    expected = front[organisers_kalai(points)]
    shuffled = list(range(len(front)))
    rng.shuffle(shuffled)
    ours = frontier([points[i] for i in shuffled], [[front[i]] for i in shuffled])
    point = anl_kalai_point(ours)
    assert point is not None
    assert point.package.tolist() == [expected]
    utility_a, utility_b = outcomes[expected]
    assert anl_opposition(ours) == math.sqrt((utility_a - 1.0) ** 2 + (utility_b - 1.0) ** 2)
