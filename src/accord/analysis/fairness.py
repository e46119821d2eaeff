"""Fairness of a package: the smallest gain, the Gini coefficient of gains, the equitability gap.

Gains are the voters' utilities over their disagreement values (their reservation values,
or 0 when every package is acceptable), the same gains the bargaining solutions weigh.

* The **minimum gain** is what the least-satisfied voter gets (the egalitarian solution
  maximises it).
* The **Gini coefficient of gains** (Gini 1912) is the mean absolute difference between
  two voters' gains over twice the mean gain: 0 when everyone gains the same, towards 1
  when one voter takes all the gain. Negative gains are counted as 0.
* The **equitability gap** is the largest gain minus the smallest. Brams & Taylor (1996,
  ch. 4) call an allocation *equitable* when every party values its share equally on its
  own scale; with normalised preferences (each party's best package worth 1) the gap is
  0 exactly for equitable packages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.space import FloatArray


@dataclass(frozen=True)
class Fairness:
    """The three measures of one package's gains."""

    minimum_gain: float
    gini_of_gains: float
    equitability_gap: float

    def to_dict(self) -> dict[str, float]:
        return {
            "minimum_gain": self.minimum_gain,
            "gini_of_gains": self.gini_of_gains,
            "equitability_gap": self.equitability_gap,
        }


def gini(values: FloatArray) -> float:
    """The Gini coefficient of non-negative values (0 when they are all equal or all 0)."""
    clipped = np.clip(np.asarray(values, dtype=np.float64), 0.0, None)
    total = clipped.sum()
    if len(clipped) == 0 or total <= 0:
        return 0.0
    differences = np.abs(clipped[:, None] - clipped[None, :]).sum()
    return float(differences / (2 * len(clipped) * total))


def fairness_of_gains(gains: FloatArray) -> Fairness:
    """The measures of one vector of gains (one entry per voter)."""
    if len(gains) == 0:
        return Fairness(0.0, 0.0, 0.0)
    return Fairness(
        minimum_gain=float(gains.min()),
        gini_of_gains=gini(gains),
        equitability_gap=float(gains.max() - gains.min()),
    )


def fairness(compiled: CompiledScenario, utilities: FloatArray) -> Fairness:
    """The measures of a package, given every party's utility of it (``(P,)``)."""
    voters = compiled.voter_indices
    gains: FloatArray = utilities[voters] - compiled.disagreement[voters]
    return fairness_of_gains(gains)
