"""What a tournament's results say: agreement, utilities by strategy and role, welfare,
distances to the Pareto frontier and to the Nash point, and the rankings.

Pure functions over the rows of a results folder (one row per party per job). Job-level
figures (agreement, welfare, distances) are counted once per job; a strategy's figures are
those of the jobs it played in, counted once per seat it held (self-play counts twice);
the mediator's seat, whose strategy the configuration fixes, is not in the standings.
Means come with the half-width of a 95% normal confidence interval (1.96 standard errors).

Utilities are normalised per scenario before they are averaged: each is divided by the
party's utility of its best package in that scenario (the ``best_utility`` column), so a
scenario scored in points up to 14 and one scored in [0, 1] weigh alike. On Accord's
default normalised scale, and for GENIUS profiles, that divisor is 1: the numbers are the
utilities as played.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa

Z95 = 1.96
# A best package worth no more than this is worth nothing up to rounding: dividing by it
# would blow the noise up (as accord.analysis.compiled.NORMALISATION_FLOOR).
SCALE_FLOOR = 1e-9


@dataclass(frozen=True)
class Mean:
    """A mean over ``count`` values and the half-width of its 95% confidence interval."""

    mean: float | None
    half_width: float | None
    count: int


def mean_of(values: list[Any]) -> Mean:
    """The mean of the values that are not None (None when there are none)."""
    present = np.array([v for v in values if v is not None], dtype=np.float64)
    if len(present) == 0:
        return Mean(None, None, 0)
    spread = float(present.std(ddof=1)) if len(present) > 1 else 0.0
    return Mean(float(present.mean()), Z95 * spread / math.sqrt(len(present)), len(present))


@dataclass(frozen=True)
class Standing:
    """One strategy's results over every seat it held."""

    strategy: str
    seats: int
    utility: Mean  # normalised per scenario: the share of the party's best package
    relative_gain: Mean  # the share of its best possible gain
    agreement_rate: float
    social_welfare: Mean
    distance_to_frontier: Mean
    distance_to_nash: Mean


@dataclass(frozen=True)
class RoleResult:
    """A strategy's mean utility in one party's seat of one scenario."""

    scenario: str
    party: str
    strategy: str
    utility: Mean  # normalised, as in Standing


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    jobs: int
    agreement_rate: float
    social_welfare: Mean
    distance_to_frontier: Mean
    distance_to_nash: Mean


@dataclass(frozen=True)
class TournamentSummary:
    jobs: int
    agreement_rate: float
    social_welfare: Mean
    distance_to_frontier: Mean
    distance_to_nash: Mean
    standings: tuple[Standing, ...]  # best mean utility first
    roles: tuple[RoleResult, ...]
    scenarios: tuple[ScenarioResult, ...]
    rankings: dict[str, tuple[str, ...]]  # measure -> strategies, best first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(table: pa.Table) -> TournamentSummary:
    """The summary of a results table (see :data:`accord.tournament.store.SCHEMA`)."""
    # In a fixed order, so that sums (and so means) do not depend on the order jobs finished.
    rows = sorted(table.to_pylist(), key=lambda row: (row["job_id"], row["seat"]))
    jobs = [row for row in rows if row["seat"] == 0]
    by_strategy: dict[str, list[dict[str, Any]]] = {}
    by_role: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    by_scenario: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        # The mediator's strategy is fixed by the configuration: it is not competing.
        if row["strategy"] and row["role"] == "negotiator":
            by_strategy.setdefault(row["strategy"], []).append(row)
            by_role.setdefault((row["scenario"], row["party"], row["strategy"]), []).append(row)
    for job in jobs:
        by_scenario.setdefault(job["scenario"], []).append(job)
    standings = sorted(
        (_standing(name, seats) for name, seats in by_strategy.items()),
        key=lambda s: (-(s.utility.mean or 0.0), s.strategy),
    )
    return TournamentSummary(
        jobs=len(jobs),
        agreement_rate=_rate(jobs),
        social_welfare=mean_of([j["social_welfare"] for j in jobs]),
        distance_to_frontier=mean_of([j["distance_to_frontier"] for j in jobs]),
        distance_to_nash=mean_of([j["distance_to_nash"] for j in jobs]),
        standings=tuple(standings),
        roles=tuple(
            RoleResult(scenario, party, strategy, mean_of([normalised_utility(r) for r in seats]))
            for (scenario, party, strategy), seats in sorted(by_role.items())
        ),
        scenarios=tuple(
            ScenarioResult(
                scenario,
                len(played),
                _rate(played),
                mean_of([j["social_welfare"] for j in played]),
                mean_of([j["distance_to_frontier"] for j in played]),
                mean_of([j["distance_to_nash"] for j in played]),
            )
            for scenario, played in sorted(by_scenario.items())
        ),
        rankings=_rankings(standings),
    )


def _standing(strategy: str, seats: list[dict[str, Any]]) -> Standing:
    return Standing(
        strategy=strategy,
        seats=len(seats),
        utility=mean_of([normalised_utility(s) for s in seats]),
        relative_gain=mean_of([s["relative_gain"] for s in seats]),
        agreement_rate=_rate(seats),
        social_welfare=mean_of([s["social_welfare"] for s in seats]),
        distance_to_frontier=mean_of([s["distance_to_frontier"] for s in seats]),
        distance_to_nash=mean_of([s["distance_to_nash"] for s in seats]),
    )


def normalised_utility(row: dict[str, Any]) -> float:
    """The row's utility as a share of its party's best package in that scenario."""
    best = row["best_utility"]
    return float(row["utility"]) / (best if best > SCALE_FLOOR else 1.0)


def _rate(rows: list[dict[str, Any]]) -> float:
    return sum(1 for row in rows if row["agreement"]) / len(rows) if rows else 0.0


def _rankings(standings: list[Standing]) -> dict[str, tuple[str, ...]]:
    """Strategies best first by each measure; higher is better except for the distances."""

    def ranked(measure: str, lower_is_better: bool = False) -> tuple[str, ...]:
        def key(standing: Standing) -> tuple[float, str]:
            value = getattr(standing, measure)
            number = value if isinstance(value, float) else value.mean
            if number is None:
                return (math.inf, standing.strategy)
            return (number if lower_is_better else -number, standing.strategy)

        return tuple(s.strategy for s in sorted(standings, key=key))

    return {
        "utility": ranked("utility"),
        "relative_gain": ranked("relative_gain"),
        "agreement_rate": ranked("agreement_rate"),
        "social_welfare": ranked("social_welfare"),
        "distance_to_frontier": ranked("distance_to_frontier", lower_is_better=True),
        "distance_to_nash": ranked("distance_to_nash", lower_is_better=True),
    }
