"""Small seeded scenarios with uncertain numbers, for comparing the robustness paths.

Numbers are decimals and thirds; an issue whose two options every party values alike
makes ties between packages, and degenerate ranges ``[v, v]`` draw ``v`` exactly, so a
reservation value can be reached exactly.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario

VALUES = ["0", "0.1", "0.2", "0.3", "0.5", "0.3333333333333333", "0.6666666666666666", "1"]


def _value(rng: np.random.Generator) -> str:
    return str(rng.choice(VALUES))


def _uncertain(rng: np.random.Generator, low: float, high: float) -> str:
    """A certain decimal, a range, or a degenerate range (drawn exactly: a tie on purpose)."""
    kind = rng.integers(3)
    if kind == 0:
        return _value(rng)
    first = float(rng.choice([0.1, 0.2, 0.3, 0.5]))
    if kind == 1:
        return f"[{first}, {first}]"
    return f"[{max(low, first - 0.2):.1f}, {min(high, first + 0.3):.1f}]"


def random_scenario(seed: int, quorum: bool = False) -> Scenario:
    """A small scenario with uncertain numbers, interactions and red lines."""
    rng = np.random.default_rng(seed)
    issues = [(f"i{k}", [f"i{k}o{o}" for o in range(int(rng.integers(2, 4)))]) for k in range(4)]
    issues.append(("tied", ["t0", "t1"]))  # every party values both options alike: ties
    lines = [f"id: random-{seed}", "issues:"]
    for issue, options in issues:
        lines.append(f"  - id: {issue}")
        lines.append("    options: [" + ", ".join(f"{{id: {o}}}" for o in options) + "]")
    parties = ["a", "b", "c"] if quorum or rng.integers(2) else ["a", "b"]
    lines.append("parties:")
    for position, party in enumerate([*parties, "m"]):
        lines.append(f"  - id: {party}")
        if party == "m":
            lines.append("    role: mediator")
        lines.append("    preferences:")
        weights = ", ".join(f"{issue}: {_uncertain(rng, 0, 3)}" for issue, _ in issues)
        lines.append(f"      weights: {{{weights}}}")
        lines.append("      values:")
        for issue, options in issues[:-1]:
            values = ", ".join(f"{o}: {_value(rng)}" for o in options)
            lines.append(f"        {issue}: {{{values}}}")
        same = _value(rng)
        lines.append(f"        tied: {{t0: {same}, t1: {same}}}")
        lines.append(f"      reservation: {_uncertain(rng, 0, 1)}")
        first, second = issues[position % 3], issues[(position + 1) % 3]
        lines.append("      interactions:")
        lines.append(
            f"        - options: {{{first[0]}: {first[1][0]}, {second[0]}: {second[1][1]}}}"
        )
        lines.append(f"          value: {rng.choice(['0.1', '-0.1', '0.2'])}")
        lines.append("      red_lines:")
        lines.append(f"        - options: {{{issues[3][0]}: {issues[3][1][int(rng.integers(2))]}}}")
        lines.append(
            f"        - options: {{{first[0]}: {first[1][1]}, {second[0]}: {second[1][0]}}}"
        )
    if quorum:
        lines += ["agreement: {kind: quorum, min_parties: 2}"]
    return parse_scenario("\n".join(lines) + "\n", f"random-{seed}.yaml")
