"""Post-settlement improvement (Raiffa 1985): packages every voter likes at least as well.

Given a package (a tentative agreement, a draft), an *improvement* is a feasible package
that every voter weakly prefers and at least one strictly prefers: it Pareto-dominates the
package on the voters' utilities. Raiffa proposed that, once the parties have settled, a
neutral analyst look for such a package and offer it as a "post-settlement settlement"
that each may veto; the parties keep the original if any does.

Two questions are answered exactly, each by programs over :func:`package_program` (never
by enumerating packages):

* **Is the package Pareto-optimal?** Maximise the sum of the voters' utilities subject to
  every voter's utility being at least its utility of the package. An improvement exists
  exactly when that maximum exceeds the package's sum (weak gains for all and a strict
  gain for one add up to a strictly larger sum, and conversely).
* **The nearest improvement:** minimise the number of points changed (``sum over issues
  of 1 - x[issue, given option]``) over the improvements; among those at that distance,
  the Nash package (largest product of gains over the disagreement point; if every such
  package leaves some voter without gain, the largest sum of utilities).

The Pareto-optimal improvements are the frontier points that dominate the package: read
off the factored frontier (:func:`pareto_frontier`), which under unanimity is built with
each voter's floor raised to its utility of the package so that every other point is
pruned while it is built. Where that frontier is too large (more than two voters on a
large space: on four voters and 27 points of four options the factored frontier cannot be
built exactly), a summary is listed instead, each entry an exact program's
answer over the improvements and so Pareto-optimal: the Nash improvement, each voter's
best improvement (ties by the sum), the utilitarian and the egalitarian ones. Either way
they are listed fewest changes first, ties by Nash product.

Ties: utilities within ``TIE_TOLERANCE`` (1e-9) are equal, as everywhere in the analysis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import pareto_frontier
from accord.analysis.nash import nash
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.solutions import (
    Outcome,
    egalitarian,
    outcome_of,
    utilitarian,
)
from accord.analysis.space import FloatArray, IntArray
from accord.analysis.ties import TIE_TOLERANCE
from accord.errors import AnalysisError

DEFAULT_LIMIT = 20
SMALL_SPACE = 250_000
FRONTIER_POINTS = 20_000  # beyond this the frontier would be thinned: summarise instead


@dataclass(frozen=True, eq=False)
class Improvement:
    """A package that dominates the given one, and the points where it differs from it."""

    outcome: Outcome
    changed: tuple[int, ...]  # issue indices


@dataclass(frozen=True, eq=False)
class Improvements:
    """What :func:`improve` found for one package.

    ``pareto_improvements`` are frontier points dominating the package (at most ``limit``
    of them, fewest changes first); ``pareto_count`` is how many there are in all, and
    ``exact`` says whether that list is complete (``pareto_count`` is then known).
    """

    package: Outcome
    package_feasible: bool
    is_pareto_optimal: bool
    nearest: Improvement | None
    pareto_improvements: tuple[Improvement, ...]
    pareto_count: int | None  # None: only a summary is listed
    exact: bool
    reason: str = ""


def package_of(compiled: CompiledScenario, chosen: Mapping[str, str]) -> IntArray:
    """The package choosing ``chosen[issue]`` on every issue; an error names what is wrong."""
    space = compiled.space
    unknown = [issue for issue in chosen if issue not in space.issue_ids]
    if unknown:
        raise AnalysisError(f"unknown issue '{unknown[0]}' (issues: {', '.join(space.issue_ids)})")
    missing = [issue for issue in space.issue_ids if issue not in chosen]
    if missing:
        raise AnalysisError(
            f"the package names no option for {len(missing)} issue(s): {', '.join(missing)}"
        )
    package = np.zeros(space.issue_count, dtype=np.int64)
    for index, issue in enumerate(space.issue_ids):
        options = space.option_ids[index]
        if chosen[issue] not in options:
            raise AnalysisError(
                f"issue '{issue}' has no option '{chosen[issue]}' (options: {', '.join(options)})"
            )
        package[index] = options.index(chosen[issue])
    return package


def dominates(compiled: CompiledScenario, better: FloatArray, worse: FloatArray) -> bool:
    """Whether utilities ``better`` Pareto-dominate ``worse`` for the voters (with ties)."""
    voters = compiled.voter_indices
    difference = better[voters] - worse[voters]
    return bool(np.all(difference >= -TIE_TOLERANCE) and np.any(difference > TIE_TOLERANCE))


def changed_points(before: IntArray, after: IntArray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.flatnonzero(before != after))


def improve(
    compiled: CompiledScenario,
    package: IntArray,
    limit: int = DEFAULT_LIMIT,
    whole_frontier: bool | None = None,
) -> Improvements:
    """The Pareto improvements of ``package``: whether any exists, the nearest, the best.

    ``whole_frontier`` lists every frontier point above the package (exact count); by
    default only where the factored frontier stays small: two voters, or at most
    ``SMALL_SPACE`` packages. Otherwise a summary of Pareto-optimal improvements is listed.
    """
    if whole_frontier is None:
        whole_frontier = (
            len(compiled.voter_indices) <= 2 or compiled.space.outcome_count <= SMALL_SPACE
        )
    given = outcome_of(compiled, package)
    feasible = bool(compiled.feasible(package)[0])
    program = _dominating_program(compiled, given.utilities)
    voters = [int(p) for p in compiled.voter_indices]
    base_sum = float(given.utilities[voters].sum())
    best = program.milp.solve({int(program.utility[p]): 1.0 for p in voters})
    if not best.feasible or best.objective is None or best.objective <= base_sum + TIE_TOLERANCE:
        return Improvements(given, feasible, True, None, (), 0, True)
    nearest = _nearest(compiled, program, package, base_sum)
    listed, count, exact, reason = _pareto_improvements(
        compiled, given, program, limit, whole_frontier
    )
    return Improvements(given, feasible, False, nearest, listed, count, exact, reason)


def _dominating_program(compiled: CompiledScenario, utilities: FloatArray) -> PackageProgram:
    """Feasible packages every voter likes at least as well as one with ``utilities``."""
    program = package_program(compiled).copy()
    for party in compiled.voter_indices:
        floor = float(utilities[party]) - TIE_TOLERANCE
        program.milp.add_row([int(program.utility[party])], [1.0], lower=floor)
    return program


def _nearest(
    compiled: CompiledScenario, program: PackageProgram, package: IntArray, base_sum: float
) -> Improvement | None:
    space = compiled.space
    staged = program.copy()
    voters = [int(p) for p in compiled.voter_indices]
    # Strictly better for one voter: with weak gains for all, a larger sum.
    staged.milp.add_row(
        [int(staged.utility[p]) for p in voters],
        [1.0] * len(voters),
        lower=base_sum + 2 * TIE_TOLERANCE,
    )
    kept = [int(staged.x[space.flat(i, int(o))]) for i, o in enumerate(package)]
    fewest = staged.milp.solve({column: 1.0 for column in kept}, maximize=True)
    if not fewest.feasible or fewest.objective is None:
        return None
    changes = space.issue_count - round(fewest.objective)
    # At that distance: the Nash package (its own program), else the largest sum.
    staged.milp.add_row(kept, [1.0] * len(kept), lower=float(space.issue_count - changes))
    chosen = nash(compiled, staged).outcome or utilitarian(compiled, staged)
    if chosen is None:  # the solver could not confirm the optimum it found: keep it
        chosen = outcome_of(compiled, staged.package(fewest))
    return Improvement(chosen, changed_points(package, chosen.package))


def _pareto_improvements(
    compiled: CompiledScenario, given: Outcome, program: PackageProgram, limit: int, whole: bool
) -> tuple[tuple[Improvement, ...], int | None, bool, str]:
    found = _frontier_above(compiled, given) if whole else None
    count: int | None
    if found is not None:
        count, exact, reason = len(found), True, ""
    else:
        found = _supported_improvements(compiled, given, program)
        count, exact = None, False
        reason = (
            "the frontier above the package is too large to list: shown are the Nash "
            "improvement, each voter's best improvement and the utilitarian and egalitarian "
            "ones (each Pareto-optimal, found by an exact program)"
        )
    found.sort(key=lambda item: (len(item.changed), -_log_nash(compiled, item.outcome)))
    return tuple(found[:limit]), count, exact, reason


def _frontier_above(compiled: CompiledScenario, given: Outcome) -> list[Improvement] | None:
    """Every frontier point dominating ``given``, or ``None`` if the frontier is not exact."""
    search = compiled
    if compiled.is_unanimity and not compiled.every_package_acceptable:
        # Each voter must accept anyway: raising its floor to the package prunes early.
        raised = compiled.reservation.copy()
        voters = compiled.voter_indices
        raised[voters] = np.maximum(raised[voters], given.utilities[voters] - TIE_TOLERANCE)
        search = replace(compiled, reservation=raised)
    frontier = pareto_frontier(search, FRONTIER_POINTS)
    if not frontier.exact:
        return None
    return [
        Improvement(
            Outcome(frontier.packages[row], frontier.utilities[row]),
            changed_points(given.package, frontier.packages[row]),
        )
        for row in range(frontier.point_count)
        if dominates(compiled, frontier.utilities[row], given.utilities)
    ]


def _supported_improvements(
    compiled: CompiledScenario, given: Outcome, program: PackageProgram
) -> list[Improvement]:
    """Pareto-optimal improvements found by programs: a package dominating one of these
    would dominate ``given`` too, so each is Pareto-optimal among all feasible packages."""
    voters = [int(p) for p in compiled.voter_indices]
    total = {int(program.utility[p]): 1.0 for p in voters}
    candidates = [nash(compiled, program).outcome, utilitarian(compiled, program)]
    candidates.append(egalitarian(compiled, program))
    for party in voters:
        staged = program.copy()
        first = staged.milp.solve({int(staged.utility[party]): 1.0})
        if not first.feasible or first.objective is None:
            continue
        staged.milp.add_row(
            [int(staged.utility[party])], [1.0], lower=first.objective - TIE_TOLERANCE
        )
        second = staged.milp.solve(total)
        chosen = second if second.feasible else first
        candidates.append(outcome_of(compiled, staged.package(chosen)))
    found: dict[tuple[int, ...], Improvement] = {}
    for outcome in candidates:
        if outcome is None or not dominates(compiled, outcome.utilities, given.utilities):
            continue
        key = tuple(int(k) for k in outcome.package)
        found.setdefault(key, Improvement(outcome, changed_points(given.package, outcome.package)))
    return list(found.values())


def _log_nash(compiled: CompiledScenario, outcome: Outcome) -> float:
    voters = compiled.voter_indices
    gains = outcome.utilities[voters] - compiled.disagreement[voters]
    return float(np.log(gains).sum()) if np.all(gains > 0) else -math.inf
