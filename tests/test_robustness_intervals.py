"""The Wilson score interval, against SciPy's and against its closed form at the ends."""

from __future__ import annotations

import pytest
from scipy.stats import binomtest

from accord.robustness.intervals import estimate, wilson_interval


@pytest.mark.parametrize(("count", "samples"), [(0, 10), (1, 10), (5, 10), (57, 100), (999, 1000)])
def test_wilson_matches_scipy(count: int, samples: int) -> None:
    reference = binomtest(count, samples).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(count, samples)
    assert low == pytest.approx(reference.low, abs=1e-12)
    assert high == pytest.approx(reference.high, abs=1e-12)


def test_never_seen_still_has_an_upper_bound() -> None:
    z2 = 1.959963984540054**2
    assert wilson_interval(0, 1000) == (0.0, pytest.approx(z2 / (1000 + z2)))
    assert wilson_interval(1000, 1000) == (pytest.approx(1000 / (1000 + z2)), 1.0)


def test_a_certain_input_gives_an_exact_share() -> None:
    share = estimate(0, 500, exact=True)
    assert (share.value, share.low, share.high) == (0.0, 0.0, 0.0)
    share = estimate(500, 500, exact=True)
    assert (share.value, share.low, share.high) == (1.0, 1.0, 1.0)
    assert estimate(3, 4).to_dict() == {
        "count": 3,
        "frequency": 0.75,
        "interval": list(wilson_interval(3, 4)),
    }
