"""Grid thinning keeps at most the target number of points and certifies its epsilon."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.frontier import HEADROOM, WORKING_LIMIT, _thinning_target
from accord.analysis.pareto import nondominated_mask
from accord.analysis.thinning import thin


@settings(max_examples=150)
@given(
    st.integers(2, 6),
    st.integers(1, 400),
    st.integers(1, 60),
    st.integers(0, 2**32 - 1),
)
def test_every_dropped_point_is_within_the_step_of_a_kept_one(
    dims: int, count: int, max_points: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    cloud = np.round(rng.random((count, dims)), rng.integers(1, 4))
    vectors = cloud[nondominated_mask(cloud)]
    chosen, step = thin(vectors, max_points)
    assert len(chosen) <= max_points
    assert len(np.unique(chosen)) == len(chosen)
    kept = vectors[chosen]
    for point in vectors:
        assert np.any(np.all(kept > point - step, axis=1))


@given(st.integers(1, 10**6), st.floats(0.5, 8.0), st.integers(0, 30))
def test_the_thinning_target_lies_between_its_floor_and_the_limit(
    max_points: int, growth: float, remaining: int
) -> None:
    target = _thinning_target(max_points, growth, remaining)
    if remaining == 0:
        assert target == max_points
    else:
        assert max(int(WORKING_LIMIT * max_points) // HEADROOM, 1) <= target <= max_points
