"""Run metrics on hand-made traces."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import nash
from accord.negotiation.metrics import distance_to_points, gini, run_metrics
from accord.negotiation.trace import Event, Trace


def trace_with(agreement: tuple[int, ...] | None) -> Trace:
    events = (Event(0, "p", "offer", agreement),) if agreement else ()
    return Trace("small", "alternating", 1, (("p", "x"), ("q", "y")), events, agreement, 3, 10)


def test_gini() -> None:
    assert gini(np.array([1.0, 1.0, 1.0])) == 0.0
    assert gini(np.array([0.0, 0.0, 3.0])) == pytest.approx(2 / 3)
    assert gini(np.array([0.0, 0.0])) == 0.0
    assert gini(np.array([-1.0, 1.0])) == pytest.approx(0.5)  # negative gains count as 0


def test_distance_to_points() -> None:
    points = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert distance_to_points(np.array([0.0, 0.0]), points) == pytest.approx(1.0)
    assert distance_to_points(np.array([0.0, 0.0]), np.zeros((0, 2))) is None


def test_metrics_of_the_nash_package(small) -> None:  # type: ignore[no-untyped-def]
    # small.yaml: the Nash package (a1, b1, c2) is worth 17/30 and 0.68 (reservations 0.3).
    result = nash(small).outcome
    assert result is not None
    frontier = pareto_frontier(small)
    metrics = run_metrics(
        small, trace_with(tuple(int(o) for o in result.package)), frontier, result.utilities
    )
    assert metrics.agreement and metrics.rounds == 3
    assert metrics.utilities == pytest.approx({"p": 17 / 30, "q": 0.68})
    assert metrics.social_welfare == pytest.approx(17 / 30 + 0.68)
    assert metrics.distance_to_frontier == pytest.approx(0.0)
    assert metrics.distance_to_nash == pytest.approx(0.0)
    assert metrics.minimum_gain == pytest.approx(17 / 30 - 0.3)
    gains = np.array([17 / 30 - 0.3, 0.68 - 0.3])
    assert metrics.gini_of_gains == pytest.approx(abs(gains[0] - gains[1]) / (2 * gains.sum()))


def test_metrics_without_agreement(small) -> None:  # type: ignore[no-untyped-def]
    metrics = run_metrics(small, trace_with(None), pareto_frontier(small))
    assert not metrics.agreement
    assert metrics.utilities == pytest.approx({"p": 0.3, "q": 0.3})
    assert metrics.minimum_gain == 0.0
    # From the disagreement point (0.3, 0.3) the nearest frontier point is (7/12, 0.5).
    assert metrics.distance_to_frontier == pytest.approx(np.hypot(7 / 12 - 0.3, 0.2))
    assert metrics.distance_to_nash is None
