"""One simulated negotiation from names: the scenario, a protocol, a strategy per party.

Everything is checked before anything runs: the protocol, every party named, every
strategy and whether it can play that protocol (and that role). Parties not named get a
default: ``linear`` concession for negotiators, ``hill-climbing-mediator`` for the mediator
of the single-text and shuttle protocols (the scenario's party with role mediator, or a
protocol-level mediator called ``mediator``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.on_frontier import solutions_on_frontier
from accord.errors import AccordError
from accord.negotiation.metrics import RunMetrics, run_metrics
from accord.negotiation.protocols import protocol as make_protocol
from accord.negotiation.protocols.common import Progress
from accord.negotiation.registry import (
    STRATEGIES,
    check_protocol,
    check_supports,
    make_strategy,
)
from accord.negotiation.trace import Trace
from accord.scenario.model import Scenario

MEDIATED = ("single-text", "shuttle")
DEFAULT_NEGOTIATOR = "linear"
DEFAULT_MEDIATOR = "annealing-mediator"
PROTOCOL_MEDIATOR = "mediator"


@dataclass(frozen=True, eq=False)
class Simulation:
    """A run's trace, the scenario it ran on and its metrics."""

    compiled: CompiledScenario
    trace: Trace
    metrics: RunMetrics
    assignments: tuple[tuple[str, str], ...]


def mediator_of(scenario: Scenario, protocol: str) -> str | None:
    if protocol not in MEDIATED:
        return None
    named = [p.id for p in scenario.parties if p.role == "mediator"]
    return named[0] if named else PROTOCOL_MEDIATOR


def assignments_for(scenario: Scenario, protocol: str, chosen: Mapping[str, str]) -> dict[str, str]:
    """Every seat's strategy name: ``chosen`` where given, the defaults elsewhere."""
    check_protocol(protocol)
    mediator = mediator_of(scenario, protocol)
    seats = [p.id for p in scenario.parties if p.preferences is not None]
    if mediator is not None and mediator not in seats:
        seats.append(mediator)
    unknown = [party for party in chosen if party not in seats]
    if unknown:
        raise AccordError(
            f"--strategy: unknown party '{unknown[0]}' for {protocol} (parties: {', '.join(seats)})"
        )
    assignments = {
        seat: chosen.get(seat, DEFAULT_MEDIATOR if seat == mediator else DEFAULT_NEGOTIATOR)
        for seat in seats
    }
    for seat, name in assignments.items():
        check_supports(name, protocol, mediator=seat == mediator)
        if STRATEGIES[name].meta.get("needs_preferences") and not (
            seat == mediator and sees_preferences(scenario, seat)
        ):
            raise AccordError(
                f"strategy '{name}' needs the parties' preferences: the scenario must grant "
                f"them to the mediator (sees_preferences: true on party '{seat}')"
            )
    return assignments


def sees_preferences(scenario: Scenario, party: str) -> bool:
    """Whether the parties have granted ``party`` (a mediator) their preferences."""
    return any(p.id == party and p.sees_preferences for p in scenario.parties)


def simulate(
    scenario: Scenario,
    protocol: str,
    chosen: Mapping[str, str],
    seed: int,
    deadline: int,
    progress: Progress | None = None,
) -> Simulation:
    """Run ``protocol`` once with these strategies and measure the result (``progress`` is
    told the number of each round as it starts)."""
    assignments = assignments_for(scenario, protocol, chosen)
    compiled = compile_scenario(scenario)
    runner = make_protocol(protocol)
    strategies = {seat: make_strategy(name) for seat, name in assignments.items()}
    mediator = mediator_of(scenario, protocol)
    if mediator is not None:
        trace = runner.run(  # type: ignore[call-arg]
            compiled,
            strategies,
            seed,
            deadline,
            mediator=mediator,
            progress=progress,
            mediator_sees_preferences=sees_preferences(scenario, mediator),
        )
    else:
        trace = runner.run(compiled, strategies, seed, deadline, progress=progress)
    frontier = pareto_frontier(compiled)
    if frontier.exact and len(frontier.packages):
        # The maximum over the exact frontier, as `accord analyze` reads it: no program.
        nash_outcome = solutions_on_frontier(compiled, frontier)[1].outcome
    else:
        nash_outcome = nash(compiled).outcome if len(frontier.packages) else None
    metrics = run_metrics(
        compiled,
        trace,
        frontier if frontier.exact else None,
        None if nash_outcome is None else nash_outcome.utilities,
    )
    return Simulation(compiled, trace, metrics, tuple(assignments.items()))
