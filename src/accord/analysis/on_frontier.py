"""The bargaining solutions read off an exact frontier.

Each solution is Pareto-optimal and maximises a function that is monotone in the voters'
utilities, so it lies on the frontier of the feasible packages; every voter's ideal gain
is attained there too. When the frontier is exact these are exact maxima over its points,
with no program to solve. The tie rules are those of :mod:`accord.analysis.solutions`: the
egalitarian and Kalai–Smorodinsky solutions break ties (within ``TIE_TOLERANCE``) by the
sum of gains (or of shares).
"""

from __future__ import annotations

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import Frontier
from accord.analysis.nash import POSITIVE_GAIN, NashResult
from accord.analysis.solutions import Outcome
from accord.analysis.space import FloatArray
from accord.analysis.ties import TIE_TOLERANCE


def solutions_on_frontier(
    compiled: CompiledScenario, frontier: Frontier
) -> tuple[dict[str, Outcome | None], NashResult, FloatArray]:
    """Nash, Kalai–Smorodinsky, egalitarian and utilitarian packages, and the ideal gains.

    ``frontier`` must be exact and non-empty.
    """
    if not frontier.exact or not len(frontier.packages):
        raise ValueError("solutions_on_frontier needs an exact, non-empty frontier")
    voters = compiled.voter_indices
    gains = frontier.utilities[:, voters] - compiled.disagreement[voters]
    ideal = np.full(compiled.party_count, np.nan)
    ideal[voters] = gains.max(axis=0)

    def pick(row: int) -> Outcome:
        return Outcome(frontier.packages[row], frontier.utilities[row])

    utilitarian = pick(int(np.argmax(gains.sum(axis=1))))
    egalitarian = pick(_lexicographic(gains.min(axis=1), gains.sum(axis=1)))
    sharing = [k for k, p in enumerate(voters) if ideal[p] > TIE_TOLERANCE]
    if sharing:
        shares = gains[:, sharing] / ideal[voters][sharing]
        ks_first = shares.min(axis=1)
    else:
        shares = np.zeros((len(gains), 0))
        ks_first = np.zeros(len(gains))
    # The second stage weighs voters without a share by 1, as the program does.
    weights = np.where(ideal[voters] > TIE_TOLERANCE, ideal[voters], 1.0)
    kalai = pick(_lexicographic(ks_first, (gains / weights).sum(axis=1)))
    positive = np.all(gains > POSITIVE_GAIN, axis=1)
    if positive.any():
        safe = np.where(positive[:, None], gains, 1.0)
        logs = np.where(positive, np.log(safe).sum(axis=1), -np.inf)
        nash = NashResult(pick(int(np.argmax(logs))), 0.0, 0)
    else:
        nash = NashResult(
            None, 0.0, 0, "no feasible package gives every voter a gain over its disagreement point"
        )
    solutions: dict[str, Outcome | None] = {
        "nash": nash.outcome,
        "kalai_smorodinsky": kalai,
        "egalitarian": egalitarian,
        "utilitarian": utilitarian,
    }
    return solutions, nash, ideal


def _lexicographic(first: FloatArray, second: FloatArray) -> int:
    """The row maximising ``first`` (within the tie tolerance), then ``second``."""
    best = first.max()
    candidates = np.flatnonzero(first >= best - TIE_TOLERANCE)
    return int(candidates[np.argmax(second[candidates])])
