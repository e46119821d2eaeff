"""Agreement rates of the single-text mediators on the Camp David example.

Each mediator drafts for Egypt and Israel (both ``linear``) under the single text and
shuttle mediation, 100 rounds, seeds 0 to 29; a row gives how many runs ended in an
agreement, their mean rounds and their mean distance to the Pareto frontier.

    python benchmarks/bench_mediators.py
"""

from __future__ import annotations

import statistics
from pathlib import Path

from accord.negotiation.runner import simulate
from accord.scenario.loader import load_scenario

CAMP_DAVID = Path(__file__).resolve().parents[1] / "examples" / "camp-david-1978.yaml"
MEDIATORS = ("hill-climbing-mediator", "annealing-mediator")
PROTOCOLS = ("single-text", "shuttle")
SEEDS = range(30)
DEADLINE = 100


def main() -> None:
    scenario = load_scenario(CAMP_DAVID)
    print(f"{'mediator':<24} {'protocol':<12} {'agreements':>10} {'rounds':>7} {'distance':>9}")
    for mediator in MEDIATORS:
        for protocol in PROTOCOLS:
            runs = [
                simulate(scenario, protocol, {"us": mediator}, seed, DEADLINE).metrics
                for seed in SEEDS
            ]
            agreed = [m for m in runs if m.agreement]
            rounds = f"{statistics.fmean(m.rounds for m in agreed):.0f}" if agreed else "-"
            distances = [m.distance_to_frontier or 0.0 for m in agreed]
            distance = f"{statistics.fmean(distances):.3f}" if agreed else "-"
            print(
                f"{mediator:<24} {protocol:<12} {len(agreed):>7}/{len(runs):<2} "
                f"{rounds:>7} {distance:>9}"
            )


if __name__ == "__main__":
    main()
