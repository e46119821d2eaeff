"""Pure functions over a trace: how a run ended, measured against the analysis.

Without an agreement every party gets its disagreement value (its reservation value), and
the distances are measured from that point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.fairness import gini
from accord.analysis.frontier import Frontier
from accord.analysis.space import FloatArray
from accord.negotiation.trace import Trace

__all__ = ["RunMetrics", "distance_to_points", "gini", "outcome_utilities", "run_metrics"]


@dataclass(frozen=True)
class RunMetrics:
    """The measures of one run; utilities and gains by party id."""

    agreement: bool
    rounds: int
    utilities: dict[str, float]
    social_welfare: float  # sum of the voters' utilities
    distance_to_frontier: float | None  # Euclidean, voters' utilities; None: no frontier
    distance_to_nash: float | None  # None when there is no Nash package
    minimum_gain: float  # the smallest voter gain over its disagreement value
    gini_of_gains: float  # 0: equal gains; 1: one voter gains everything


def outcome_utilities(compiled: CompiledScenario, trace: Trace) -> FloatArray:
    """Every party's utility of the run's result (its disagreement value without a deal)."""
    if trace.agreement is None:
        return compiled.disagreement.copy()
    return compiled.utilities(np.array(trace.agreement, dtype=np.int64))


def distance_to_points(point: FloatArray, points: FloatArray) -> float | None:
    """Euclidean distance from ``point`` to the nearest row of ``points``."""
    if len(points) == 0:
        return None
    return float(np.sqrt(((points - point) ** 2).sum(axis=1)).min())


def run_metrics(
    compiled: CompiledScenario,
    trace: Trace,
    frontier: Frontier | None = None,
    nash_utilities: FloatArray | None = None,
) -> RunMetrics:
    """Agreement, rounds, utilities, welfare, distances to the frontier and Nash, fairness."""
    utilities = outcome_utilities(compiled, trace)
    voters = compiled.voter_indices
    gains = utilities[voters] - compiled.disagreement[voters]
    return RunMetrics(
        agreement=trace.agreement is not None,
        rounds=trace.rounds,
        utilities={pid: float(u) for pid, u in zip(compiled.party_ids, utilities, strict=True)},
        social_welfare=float(utilities[voters].sum()),
        distance_to_frontier=None
        if frontier is None
        else distance_to_points(utilities[voters], frontier.utilities[:, voters]),
        distance_to_nash=None
        if nash_utilities is None
        else float(np.linalg.norm(utilities[voters] - nash_utilities[voters])),
        minimum_gain=float(gains.min()) if len(gains) else 0.0,
        gini_of_gains=gini(gains),
    )
