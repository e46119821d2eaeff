"""Confidence intervals for a share estimated from independent samples.

The Wilson score interval (Wilson 1927; recommended over the normal approximation by
Brown, Cai & DasGupta 2001, "Interval estimation for a binomial proportion"): it stays
inside [0, 1] and does not collapse to a point when a share is 0 or 1, so "never seen in
1,000 samples" still gets an honest upper bound (about 0.4 % at 95 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Share:
    """``count`` of ``samples``, with its confidence interval ``[low, high]``."""

    count: int
    samples: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.count / self.samples if self.samples else 0.0

    def to_dict(self) -> dict[str, float | int | list[float]]:
        return {
            "count": self.count,
            "frequency": self.value,
            "interval": [self.low, self.high],
        }


def wilson_interval(
    count: int, samples: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """The Wilson score interval for ``count`` successes in ``samples`` trials."""
    if samples <= 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    share = count / samples
    spread = z * z / samples
    centre = (share + spread / 2) / (1 + spread)
    half = z * math.sqrt(share * (1 - share) / samples + spread / (4 * samples)) / (1 + spread)
    # At 0 and at 1 one end is exactly the observed share; rounding must not move it.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == samples else min(1.0, centre + half)
    return low, high


def estimate(count: int, samples: int, exact: bool = False) -> Share:
    """``count`` of ``samples`` with its interval; ``exact`` when every sample is the same
    profile (certain input): the share is then known, not estimated."""
    if exact and samples:
        share = count / samples
        return Share(count, samples, share, share)
    low, high = wilson_interval(count, samples)
    return Share(count, samples, low, high)
