"""The Nash bargaining solution, exactly: maximise the product of the voters' gains.

The product of gains is maximised as the sum of their logarithms, a concave separable
function, by outer approximation (Duran & Grossmann 1986): each ``log(gain_p)`` is replaced
by a variable ``s_p`` bounded above by tangent lines of the logarithm. Tangents over-estimate
a concave function, so the program's optimum is an upper bound; the package it returns gives
a lower bound; a tangent is added at that package's gains and the program is solved again.
The loop stops when the bounds meet within ``tolerance`` (a relative gap on the product),
or when a package comes back that was already cut at its own gains: its bound is then its
true value up to HiGHS's feasibility tolerance (1e-9 per row), and the reported gap is of
that order. Each new package is cut off unless it is optimal, so the loop ends.

The bounds on ``gain_p`` come from the egalitarian solution: if its smallest gain is ``t``,
the Nash product is at least ``t**n``, so a voter whose gain is below
``t**n / prod(other voters' ideal gains)`` cannot be in the optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.solutions import Outcome, egalitarian, ideal_gains, outcome_of
from accord.analysis.space import FloatArray

POSITIVE_GAIN = 1e-12
MAX_ROUNDS = 500
SHARED_TANGENTS = 16  # per party: more cuts make every later program slower


@dataclass(frozen=True, eq=False)
class NashResult:
    """The Nash package (or ``None`` with the reason) and the proven gap in log-product."""

    outcome: Outcome | None
    log_gap: float
    rounds: int
    reason: str = ""


def nash(
    compiled: CompiledScenario,
    program: PackageProgram | None = None,
    fair: Outcome | None = None,
    ideal: FloatArray | None = None,
    tolerance: float = 1e-9,
    tangents: dict[int, list[float]] | None = None,
) -> NashResult:
    """Maximise the product of the voters' gains over the feasible packages.

    ``fair`` may be any feasible package giving every voter a positive gain (the bounds
    only need the product of its gains to be a lower bound) and ``ideal`` any upper bound
    on each voter's gain; by default the egalitarian package and the ideal gains.
    ``tangents`` holds, per party, gains at which to cut the logarithm from the start; the
    cuts added here are appended to it, so that related programs (coalitions sharing
    members, whose gains are the same functions of the package) can share them.
    """
    program = program or package_program(compiled)
    voters = [int(p) for p in compiled.voter_indices]
    disagreement = compiled.disagreement
    fair = fair if fair is not None else egalitarian(compiled, program)
    if fair is None:
        return NashResult(None, 0.0, 0, "no package is feasible")
    smallest = float(min(fair.utilities[p] - disagreement[p] for p in voters))
    if smallest <= POSITIVE_GAIN:
        return NashResult(
            None, 0.0, 0, "no feasible package gives every voter a gain over its disagreement point"
        )
    ideal = ideal if ideal is not None else ideal_gains(compiled, program)
    assert ideal is not None
    staged = program.copy()
    floor = {
        p: max(
            smallest ** len(voters) / math.prod(float(ideal[q]) for q in voters if q != p),
            POSITIVE_GAIN,
        )
        for p in voters
    }
    logs = {}
    for p in voters:
        staged.gain_at_least(p, floor[p])
        logs[p] = staged.milp.add_columns(1, math.log(floor[p]), math.log(float(ideal[p])), False)[
            0
        ]

    def add_tangent(party: int, at: float) -> None:
        # s_p <= log(a) + (gain - a) / a, with gain = utility - disagreement
        staged.milp.add_row(
            [int(logs[party]), int(staged.utility[party])],
            [1.0, -1.0 / at],
            upper=math.log(at) - 1.0 - float(disagreement[party]) / at,
        )

    shared = tangents if tangents is not None else {}
    for p in voters:
        for point in np.geomspace(floor[p], float(ideal[p]), 8):
            add_tangent(p, float(point))
        add_tangent(p, float(fair.utilities[p] - disagreement[p]))
        for point in shared.get(p, ()):
            if floor[p] <= point <= float(ideal[p]):
                add_tangent(p, point)
    best = fair
    best_value = _log_product(fair, voters, disagreement)
    cost = {int(logs[p]): 1.0 for p in voters}
    upper = math.inf
    seen: set[tuple[int, ...]] = set()
    for rounds in range(1, MAX_ROUNDS + 1):
        result = staged.milp.solve(cost)
        assert result.feasible and result.objective is not None
        upper = result.objective
        candidate = outcome_of(compiled, staged.package(result))
        value = _log_product(candidate, voters, disagreement)
        if value > best_value:
            best, best_value = candidate, value
        key = tuple(int(option) for option in candidate.package)
        # A package already cut at its own gains comes back only when the program's bound
        # is its true value up to the solver's tolerances: the bounds have met.
        if upper - best_value <= tolerance or key in seen:
            return NashResult(best, max(upper - best_value, 0.0), rounds)
        seen.add(key)
        for p in voters:
            gain = float(candidate.utilities[p] - disagreement[p])
            if gain > POSITIVE_GAIN:
                add_tangent(p, gain)
                shared.setdefault(p, []).append(gain)
    return NashResult(best, upper - best_value, MAX_ROUNDS, "stopped at the round limit")


def _log_product(outcome: Outcome, voters: list[int], disagreement: FloatArray) -> float:
    gains = [float(outcome.utilities[p] - disagreement[p]) for p in voters]
    return sum(math.log(g) for g in gains) if min(gains) > 0 else -math.inf


def keep_recent_tangents(tangents: dict[int, list[float]], limit: int = SHARED_TANGENTS) -> None:
    """Keep each party's ``limit`` most recent distinct cuts: the likeliest to be useful
    again to the next related program, and few enough to keep it fast."""
    for party, points in tangents.items():
        tangents[party] = list(dict.fromkeys(reversed(points)))[:limit][::-1]
