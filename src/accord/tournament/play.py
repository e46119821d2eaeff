"""One tournament job, played in a worker: the negotiation, then one result row per party.

This is :func:`accord.negotiation.runner.simulate` with the analysis done once per
scenario and worker instead of once per job: the compiled scenario, its Pareto frontier
and its Nash point do not depend on the strategies or the seed, and computing them took
most of a job's time on the GENIUS domains. A test checks the rows against ``simulate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.space import FloatArray
from accord.negotiation.metrics import run_metrics
from accord.negotiation.protocols import protocol as make_protocol
from accord.negotiation.registry import make_strategy
from accord.negotiation.runner import mediator_of, sees_preferences
from accord.scenario.model import Scenario
from accord.tournament.jobs import Job

Row = dict[str, Any]


@dataclass(frozen=True, eq=False)
class ScenarioAnalysis:
    """What every job on a scenario shares."""

    compiled: CompiledScenario
    frontier: Frontier | None  # None when the frontier is not exact
    nash_utilities: FloatArray | None  # None when there is no feasible package
    best_gains: FloatArray | None  # each party's largest gain in any deal (exact frontier)
    best_utilities: FloatArray  # each party's utility of its best package, in its own units


def best_utilities(scenario: Scenario, compiled: CompiledScenario) -> FloatArray:
    """Each party's utility of its best package, red lines aside (exact): 1 on the
    normalised scale, its top score on a scale of points. The summary divides by it, so that
    scenarios scored on different scales average together."""
    from accord.analysis.milp import best_package_value

    scales = {p.id: p.preferences.scale for p in scenario.parties if p.preferences is not None}
    return np.array(
        [
            1.0  # compile_scenario has scaled the best package to exactly 1
            if scales[party] == "normalised"
            else best_package_value(
                compiled.space,
                compiled.linear[index],
                compiled.terms,
                compiled.term_values[index],
            )
            + float(compiled.constant[index])
            for index, party in enumerate(compiled.party_ids)
        ]
    )


def analyse(scenario: Scenario) -> ScenarioAnalysis:
    compiled = compile_scenario(scenario)
    frontier = pareto_frontier(compiled)
    nash_point = nash(compiled).outcome if len(frontier.packages) else None
    exact = frontier.exact and len(frontier.packages) > 0
    return ScenarioAnalysis(
        compiled,
        frontier if frontier.exact else None,
        None if nash_point is None else nash_point.utilities,
        frontier.utilities.max(axis=0) - compiled.disagreement if exact else None,
        best_utilities(scenario, compiled),
    )


def relative_gain(gain: float, best_gain: float | None) -> float | None:
    """The share of its best possible gain a party got: scale-free, so that scenarios scored
    in points and in [0, 1] can be averaged together. None when no deal gains it anything."""
    if best_gain is None or best_gain <= 1e-12:
        return None
    return gain / best_gain


class JobPlayer:
    """Plays jobs of one tournament; sent to the workers once, with the scenarios inside."""

    def __init__(
        self,
        scenarios: dict[str, Scenario],
        protocol: str,
        deadline: int,
        mediator_strategy: str | None,
    ) -> None:
        self.scenarios = scenarios
        self.protocol = protocol
        self.deadline = deadline
        self.mediator_strategy = mediator_strategy
        self._analyses: dict[str, ScenarioAnalysis] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Each worker analyses the scenarios it meets; shipping the analyses would cost more.
        state = dict(self.__dict__)
        state["_analyses"] = {}
        return state

    def analysis(self, label: str) -> ScenarioAnalysis:
        if label not in self._analyses:
            self._analyses[label] = analyse(self.scenarios[label])
        return self._analyses[label]

    def __call__(self, job: Job) -> list[Row]:
        scenario = self.scenarios[job.scenario]
        shared = self.analysis(job.scenario)
        compiled = shared.compiled
        strategies = {party: make_strategy(name) for party, name in job.assignment}
        mediator = mediator_of(scenario, self.protocol)
        runner = make_protocol(self.protocol)
        if mediator is not None:
            assert self.mediator_strategy is not None
            strategies[mediator] = make_strategy(self.mediator_strategy)
            trace = runner.run(  # type: ignore[call-arg]
                compiled,
                strategies,
                job.seed,
                self.deadline,
                mediator=mediator,
                mediator_sees_preferences=sees_preferences(scenario, mediator),
            )
        else:
            trace = runner.run(compiled, strategies, job.seed, self.deadline)
        metrics = run_metrics(compiled, trace, shared.frontier, shared.nash_utilities)
        played = dict(job.assignment)
        if mediator is not None and self.mediator_strategy is not None:
            played[mediator] = self.mediator_strategy
        assignment = ",".join(f"{party}={name}" for party, name in job.assignment)
        rows: list[Row] = []
        for seat, party in enumerate(compiled.party_ids):
            utility = metrics.utilities[party]
            gain = utility - float(compiled.disagreement[seat])
            best = None if shared.best_gains is None else float(shared.best_gains[seat])
            rows.append(
                {
                    "job_id": job.job_id,
                    "scenario": job.scenario,
                    "protocol": self.protocol,
                    "repetition": job.repetition,
                    "seed": job.seed,
                    "assignment": assignment,
                    "agreement": metrics.agreement,
                    "rounds": metrics.rounds,
                    "reason": trace.reason,
                    "social_welfare": metrics.social_welfare,
                    "distance_to_frontier": metrics.distance_to_frontier,
                    "distance_to_nash": metrics.distance_to_nash,
                    "minimum_gain": metrics.minimum_gain,
                    "gini_of_gains": metrics.gini_of_gains,
                    "seat": seat,
                    "party": party,
                    "role": "mediator" if party == mediator else "negotiator",
                    "strategy": played.get(party, ""),
                    "utility": utility,
                    "gain": gain,
                    "relative_gain": relative_gain(gain, best),
                    "best_utility": float(shared.best_utilities[seat]),
                }
            )
        return rows
