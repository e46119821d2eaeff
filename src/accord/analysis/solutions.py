"""Feasibility and the bargaining solutions over the feasible set, each solved exactly.

Gains are measured from the disagreement point (each voter's reservation value, or 0 when
every package is acceptable). Every solution is a program over :func:`package_program`:

* utilitarian: maximise the sum of utilities;
* egalitarian: maximise the smallest gain, then the sum of gains among those packages;
* Kalai–Smorodinsky: maximise the smallest gain as a share of the voter's ideal gain
  (its best feasible gain), then the sum of shares (plus the gains of voters with
  no positive ideal gain);
* Nash: see :mod:`accord.analysis.nash`.

The second stage makes each answer Pareto-optimal when the first has ties: levels within
:data:`accord.analysis.ties.TIE_TOLERANCE` of the best count as ties, the rule of the
frontier and the counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.space import FloatArray, IntArray
from accord.analysis.ties import TIE_TOLERANCE


@dataclass(frozen=True, eq=False)
class Outcome:
    """A package and every party's utility of it."""

    package: IntArray
    utilities: FloatArray


def outcome_of(compiled: CompiledScenario, package: IntArray) -> Outcome:
    return Outcome(package, compiled.utilities(package))


def find_feasible(
    compiled: CompiledScenario, program: PackageProgram | None = None
) -> Outcome | None:
    """A package the agreement rule accepts, or ``None`` if there is none."""
    program = program or package_program(compiled)
    result = program.milp.solve({}, maximize=True)
    return outcome_of(compiled, program.package(result)) if result.feasible else None


def utilitarian(
    compiled: CompiledScenario, program: PackageProgram | None = None
) -> Outcome | None:
    """The feasible package with the largest sum of the voters' utilities."""
    program = program or package_program(compiled)
    cost = {int(program.utility[p]): 1.0 for p in compiled.voter_indices}
    result = program.milp.solve(cost)
    return outcome_of(compiled, program.package(result)) if result.feasible else None


def ideal_gains(
    compiled: CompiledScenario, program: PackageProgram | None = None
) -> FloatArray | None:
    """Each voter's best feasible gain (NaN for non-voters), or ``None`` if nothing is feasible."""
    program = program or package_program(compiled)
    ideal = np.full(compiled.party_count, np.nan)
    for party in compiled.voter_indices:
        result = program.milp.solve({int(program.utility[party]): 1.0})
        if not result.feasible:
            return None
        package = program.package(result)
        ideal[party] = compiled.utilities(package)[party] - compiled.disagreement[party]
    return ideal


def _max_min(
    compiled: CompiledScenario, program: PackageProgram, scale: FloatArray, parties: list[int]
) -> Outcome | None:
    """Maximise ``min_p gain_p / scale_p`` over ``parties``, then ``sum_p gain_p / scale_p``
    over every voter (scale 1 for voters outside ``parties``)."""
    staged = program.copy()
    level = staged.milp.add_columns(1, -np.inf, 1.0 if not parties else np.inf, False)[0]
    disagreement = compiled.disagreement
    for party in parties:
        # gain / scale >= level  <=>  utility - scale * level >= disagreement
        staged.milp.add_row(
            [int(staged.utility[party]), int(level)],
            [1.0, -float(scale[party])],
            lower=float(disagreement[party]),
        )
    first = staged.milp.solve({int(level): 1.0})
    if not first.feasible:
        return None
    assert first.objective is not None
    best_level = first.objective
    staged.milp.lower[level] = best_level - TIE_TOLERANCE
    # Every voter counts in the second stage, even one left out of the first: otherwise a
    # tie could be broken against it and the answer would not be Pareto-optimal.
    weights = {int(p): 1.0 for p in compiled.voter_indices}
    weights.update({p: 1.0 / float(scale[p]) for p in parties})
    second = staged.milp.solve({int(staged.utility[p]): w for p, w in weights.items()})
    chosen = second if second.feasible else first
    return outcome_of(compiled, staged.package(chosen))


def egalitarian(
    compiled: CompiledScenario, program: PackageProgram | None = None
) -> Outcome | None:
    """The feasible package with the largest smallest gain (ties: largest total gain)."""
    program = program or package_program(compiled)
    voters = [int(p) for p in compiled.voter_indices]
    return _max_min(compiled, program, np.ones(compiled.party_count), voters)


def kalai_smorodinsky(
    compiled: CompiledScenario,
    program: PackageProgram | None = None,
    ideal: FloatArray | None = None,
) -> Outcome | None:
    """The feasible package giving every voter the largest equal share of its ideal gain."""
    program = program or package_program(compiled)
    ideal = ideal if ideal is not None else ideal_gains(compiled, program)
    if ideal is None:
        return None
    # A voter whose ideal gain is zero gains nothing anywhere: it has no share to equalise.
    parties = [int(p) for p in compiled.voter_indices if ideal[p] > TIE_TOLERANCE]
    return _max_min(compiled, program, np.nan_to_num(ideal, nan=1.0), parties)
